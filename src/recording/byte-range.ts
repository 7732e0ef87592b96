/**
 * HTTP Range for the audio (RFC 9110 §14): one range of bytes, so a browser's player can
 * seek. Pure: the header and the size in, what to answer out.
 *   bytes=0-99     the first 100 bytes      bytes=500-   from byte 500 to the end
 *   bytes=-500     the last 500 bytes       bytes=0-0,10-20 (several): the whole file, 200
 * A header that does not parse is ignored (200, the whole file), as the RFC allows; a range
 * that starts past the end is 416 with `Content-Range: bytes *\/<size>`.
 */
export type RangeAnswer = { kind: 'whole' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

const ONE_RANGE = /^bytes=(\d*)-(\d*)$/;

export function rangeAnswer(header: string | undefined, size: number): RangeAnswer {
  if (!header) return { kind: 'whole' };
  const match = ONE_RANGE.exec(header.trim());
  if (!match) return { kind: 'whole' };
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    // A suffix: the last N bytes (all of them when N exceeds the size).
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}
