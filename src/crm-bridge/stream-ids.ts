/**
 * Redis stream entry ids, `<milliseconds>-<counter>`: ordered by both parts as numbers (as
 * text, `999-0` would sort after `1000-0`).
 */
function parts(id: string): [bigint, bigint] {
  const [ms = '0', seq = '0'] = id.split('-');
  return [BigInt(ms), BigInt(seq)];
}

/** True when `id` comes at or before `limit` in a stream. */
export function streamIdAtMost(id: string, limit: string): boolean {
  const [ms, seq] = parts(id);
  const [limitMs, limitSeq] = parts(limit);
  return ms < limitMs || (ms === limitMs && seq <= limitSeq);
}

/** The time part of an entry id, in milliseconds since the epoch. */
export function streamIdMillis(id: string): number {
  return Number(id.split('-')[0]);
}
