/**
 * A value read in the background and kept: /metrics, readiness and wallboards answer from
 * memory whether the store is quick, slow or away. A failed or late read keeps the last good
 * sample (its age says how stale it is). Calls to refresh() while a read waits for its
 * answer join it; a read not answered within `timeoutMs` is given up (its late answer is
 * ignored) and the next round reads afresh, so a read that never settles cannot stop the
 * sampling — the store's own command timeout bounds how long the abandoned ones linger.
 * Failures are counted and logged at the first of a streak, then at most once per `logEveryMs`.
 */
import type { Logger } from 'pino';
import { FailureStreak } from './failure-streak.js';
import { withTimeout } from './with-timeout.js';

export interface LastGoodSampleOptions<T> {
  read: () => Promise<T>;
  everyMs: number;
  /** A read not answered in this long counts as failed (default: `everyMs`, at most 2 s). */
  timeoutMs?: number;
  log: Logger;
  /** What is sampled, for the log line: "ACD live statistics". */
  what: string;
  logEveryMs?: number;
}

export class LastGoodSample<T> {
  private last: { value: T; at: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<boolean> | null = null;
  private readonly streakLog: FailureStreak;
  private failedReads = 0;

  constructor(private readonly options: LastGoodSampleOptions<T>) {
    this.streakLog = new FailureStreak(options.logEveryMs ?? 30_000);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh(), this.options.everyMs);
    this.timer.unref();
    void this.refresh();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The last value read, or null before the first read answered. */
  value(): T | null {
    return this.last?.value ?? null;
  }

  /** Milliseconds since the last good read, or null before the first. */
  ageMs(now = Date.now()): number | null {
    return this.last ? now - this.last.at : null;
  }

  /** Failed reads since the start (for a counter). */
  get failures(): number {
    return this.failedReads;
  }

  /** Failed reads in a row now (0 while reads answer). */
  get failingInARow(): number {
    return this.streakLog.streak;
  }

  /** One read now; true when it answered. A read in flight is joined, not repeated. */
  refresh(): Promise<boolean> {
    this.inFlight ??= this.readOnce().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async readOnce(): Promise<boolean> {
    const { read, everyMs, timeoutMs, log, what } = this.options;
    try {
      const value = await withTimeout(read(), timeoutMs ?? Math.min(everyMs, 2000), what);
      this.last = { value, at: Date.now() };
      this.streakLog.succeeded();
      return true;
    } catch (err) {
      this.failedReads++;
      if (this.streakLog.failed(err)) log.warn({ err, failingInARow: this.streakLog.streak }, `${what} not read; the last sample stays`);
      return false;
    }
  }
}
