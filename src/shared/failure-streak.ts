/**
 * Failures in a row of one repeated Redis step (a store, a read, a sample): how many, the
 * last error, and whether this one is worth a log line — the first of a streak, then one
 * per interval, so an outage is told without flooding the log.
 */
export class FailureStreak {
  private count = 0;
  private error = '';
  private loggedAt = 0;

  constructor(private readonly logEveryMs = 30_000) {}

  /** Counts a failure; true when this one should be logged. */
  failed(err: unknown): boolean {
    this.count++;
    this.error = err instanceof Error ? err.message : String(err);
    const now = Date.now();
    if (this.count > 1 && now - this.loggedAt < this.logEveryMs) return false;
    this.loggedAt = now;
    return true;
  }

  /** Ends the streak; returns how long it was (0 when there was none). */
  succeeded(): number {
    const count = this.count;
    this.count = 0;
    this.error = '';
    this.loggedAt = 0;
    return count;
  }

  get streak(): number {
    return this.count;
  }

  get lastError(): string {
    return this.error;
  }
}
