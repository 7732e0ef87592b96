/**
 * The expected wait of a queue, as app_queue keeps it: each answered call's wait moves the
 * average a quarter of the way (holdtime = (3 × holdtime + wait) / 4), so it follows the
 * last few calls without storing them. One number per queue in Redis, shared by instances.
 */
import type { Redis } from 'ioredis';

export const nextHoldTime = (previous: number | null, waitedMs: number): number =>
  previous === null ? waitedMs : Math.round((3 * previous + waitedMs) / 4);

/**
 * How long a read figure serves announcements: every waiting caller hears it every few
 * seconds, and it is said in whole minutes, so one read a second per queue (rather than one
 * per announcement) tells callers the same thing while other instances' answers still
 * reach it within a second.
 */
const READ_FRESH_MS = 1000;

export class HoldTimes {
  private readonly read = new Map<string, { at: number; value: Promise<number | null> }>();

  constructor(
    private readonly redis: Redis,
    private readonly key: (queue: string) => string,
    private readonly now: () => number = Date.now,
  ) {}

  async record(queue: string, waitedMs: number): Promise<void> {
    this.read.delete(queue);
    const previous = await this.redis.get(this.key(queue));
    await this.redis.set(this.key(queue), String(nextHoldTime(previous === null ? null : Number(previous), waitedMs)), 'EX', 7 * 24 * 3600);
    this.read.delete(queue);
  }

  /** Milliseconds, or null before any call of the queue was answered. */
  expected(queue: string): Promise<number | null> {
    const now = this.now();
    const fresh = this.read.get(queue);
    if (fresh && now - fresh.at < READ_FRESH_MS) return fresh.value;
    const value = this.redis.get(this.key(queue)).then((v) => (v === null ? null : Number(v)));
    this.read.set(queue, { at: now, value });
    // A failed read is not kept: the next announcement asks again.
    value.catch(() => {
      if (this.read.get(queue)?.value === value) this.read.delete(queue);
    });
    return value;
  }
}

/** Minutes as announced: at least 1, rounded up (a caller told "0 minutes" waits longer). */
export const announcedMinutes = (ms: number): number => Math.max(1, Math.ceil(ms / 60_000));
