/**
 * pino repeats a binding a child logger sets again (`{"part":"ivr",…,"part":"caller-restrictions"}`),
 * which leaves a line with one key twice: JSON readers keep one of them at random. Parts nest
 * (the IVR's caller-restriction store inside the IVR), so the repeats are merged into one
 * path, outermost first: `"part":"ivr/caller-restrictions"`.
 */
const PART = /,?"part":"((?:[^"\\]|\\.)*)"/g;

export function mergeRepeatedParts(line: string): string {
  const first = line.indexOf('"part":');
  if (first < 0 || line.indexOf('"part":', first + 7) < 0) return line;
  const parts: string[] = [];
  for (const m of line.matchAll(PART)) parts.push(m[1]!);
  let written = false;
  return line.replace(PART, (match) => {
    if (written) return '';
    written = true;
    const comma = match.startsWith(',') ? ',' : '';
    return `${comma}"part":"${parts.join('/')}"`;
  });
}
