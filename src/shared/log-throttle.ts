/**
 * One log line per window for a failure that repeats every tick (Redis away): enough to see
 * it, never a flood.
 */
export class LogThrottle {
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly windowMs = 10_000) {}

  /** True at most once per window. */
  allow(now = Date.now()): boolean {
    if (now - this.lastAt < this.windowMs) return false;
    this.lastAt = now;
    return true;
  }
}
