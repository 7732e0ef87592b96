/**
 * The expected wait of a queue, as app_queue keeps it: each answered call's wait moves the
 * average a quarter of the way (holdtime = (3 × holdtime + wait) / 4), so it follows the
 * last few calls without storing them. One number per queue in Redis, shared by instances.
 */
import type { Redis } from 'ioredis';

export const nextHoldTime = (previous: number | null, waitedMs: number): number =>
  previous === null ? waitedMs : Math.round((3 * previous + waitedMs) / 4);

export class HoldTimes {
  constructor(
    private readonly redis: Redis,
    private readonly key: (queue: string) => string,
  ) {}

  async record(queue: string, waitedMs: number): Promise<void> {
    const previous = await this.redis.get(this.key(queue));
    await this.redis.set(this.key(queue), String(nextHoldTime(previous === null ? null : Number(previous), waitedMs)), 'EX', 7 * 24 * 3600);
  }

  /** Milliseconds, or null before any call of the queue was answered. */
  async expected(queue: string): Promise<number | null> {
    const value = await this.redis.get(this.key(queue));
    return value === null ? null : Number(value);
  }
}

/** Minutes as announced: at least 1, rounded up (a caller told "0 minutes" waits longer). */
export const announcedMinutes = (ms: number): number => Math.max(1, Math.ceil(ms / 60_000));
