/**
 * What the recorder counts per queue per local day, as the hash stores it. Pure.
 *
 * A call counts as offered to every queue it is queued in: one that overflows to another
 * queue is offered to both. `overflowedOnward` counts those, so the centre counts each call
 * once (see live-stats.ts).
 */
export interface DayCounters {
  /** Calls queued. */
  offered: number;
  answered: number;
  /** Answered within the queue's serviceLevelSeconds (GB/T 33358-2016: 15 s). */
  answeredWithin: number;
  /** Sum of the waits of answered calls, ms (ASA = this / answered). */
  answeredWaitMs: number;
  abandoned: number;
  abandonedWaitMs: number;
  /** Calls whose handling ended, and the sum of their handle times as recorded (talk time), ms. */
  handled: number;
  handleMs: number;
  /** Calls that left by the queue's overflow, whatever its kind. */
  overflowed: number;
  /** Of those, calls the overflow queued again in another queue. */
  overflowedOnward: number;
}

export const DAY_COUNTER_FIELDS = [
  'offered',
  'answered',
  'answeredWithin',
  'answeredWaitMs',
  'abandoned',
  'abandonedWaitMs',
  'handled',
  'handleMs',
  'overflowed',
  'overflowedOnward',
] as const satisfies ReadonlyArray<keyof DayCounters>;

export const NO_COUNTS: DayCounters = Object.fromEntries(DAY_COUNTER_FIELDS.map((f) => [f, 0])) as unknown as DayCounters;

/** A stored hash (HGETALL's answer) as counters; absent or unreadable fields count 0. */
export function dayCountersOf(hash: Record<string, string>): DayCounters {
  return Object.fromEntries(
    DAY_COUNTER_FIELDS.map((f) => {
      const n = Number(hash[f] ?? 0);
      return [f, Number.isFinite(n) ? n : 0];
    }),
  ) as unknown as DayCounters;
}
