/**
 * The live statistics' Redis keys, named once: one hash of counters per queue per local day,
 * `<prefix>acd:stats:<yyyy-mm-dd>:<queue>`, kept a few days (yesterday's figures stay
 * readable after midnight, then go by themselves); and the figures' history, one sorted set
 * `<prefix>acd:stats:history` of a sample per minute scored by its minute (history-store.ts).
 */
import { keyspace } from '../../redis/connection.js';

/** How long a day's counters outlive their last write (each recording sets the TTL again). */
export const DAY_COUNTERS_TTL_SECONDS = 4 * 24 * 3600;

export interface StatsKeys {
  /** Hash: one queue's counters of one local day (fields: see DayCounters). */
  day(date: string, queue: string): string;
  /** Sorted set: one sample of the live figures per minute, scored by the minute's epoch ms. */
  history(): string;
}

export function statsKeys(prefix: string): StatsKeys {
  const k = keyspace(`${prefix}acd:stats:`);
  return { day: (date, queue) => k(date, queue), history: () => k('history') };
}
