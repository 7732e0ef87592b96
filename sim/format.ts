/**
 * Asterisk's own spellings of times and ids, so the service parses the simulator's output
 * with the same code it uses on a real PBX.
 */

/** The `asterisk_id` of the recorded PBX (its MAC address). */
export const ASTERISK_ID = '02:fc:00:00:00:01';

/** `2026-11-21T19:20:47.221+0000`: ISO 8601 with milliseconds and a `+0000` offset. */
export function asteriskTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace('Z', '+0000');
}

/** Asterisk names channels `<tech>/<resource>-<8 hex digits>`. */
export function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** Unique ids are `<unix seconds at creation>.<global counter>`, e.g. `1795288847.12`. */
export function uniqueId(counter: number, date: Date = new Date()): string {
  return `${Math.floor(date.getTime() / 1000)}.${counter}`;
}
