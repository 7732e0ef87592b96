/**
 * Refused requests, counted instead of logged one by one: a flood of bad tokens or bad
 * signatures must not fill the log (one fuzz run wrote 3,445 warn lines). Per key (a route
 * pattern, never a URL with a number in it) the first refusal is logged at once; the ones
 * that follow within the window are counted and written as one line when it ends, by
 * outcome. So a key writes at most one line per window plus the first.
 */
import type { FastifyBaseLogger } from 'fastify';

export const REFUSAL_LOG_WINDOW_MS = 60_000;

interface OpenWindow {
  counts: Map<string, number>;
  timer: NodeJS.Timeout;
}

export class RefusalTally {
  private readonly open = new Map<string, OpenWindow>();

  constructor(
    private readonly log: Pick<FastifyBaseLogger, 'warn'>,
    private readonly message: string,
    private readonly windowMs = REFUSAL_LOG_WINDOW_MS,
  ) {}

  /** One refused request under `key`, for `outcome` (unauthenticated, rate-limited …). */
  count(key: string, outcome: string, fields: Record<string, unknown> = {}): void {
    const window = this.open.get(key);
    if (window) {
      window.counts.set(outcome, (window.counts.get(outcome) ?? 0) + 1);
      return;
    }
    this.log.warn({ ...fields, route: key, outcome }, this.message);
    this.openWindow(key);
  }

  /** Writes what is counted and stops the timers (at shutdown). */
  flush(): void {
    for (const key of [...this.open.keys()]) this.close(key, false);
  }

  private openWindow(key: string): void {
    const timer = setTimeout(() => this.close(key, true), this.windowMs);
    timer.unref();
    this.open.set(key, { counts: new Map(), timer });
  }

  private close(key: string, reopenIfBusy: boolean): void {
    const window = this.open.get(key);
    if (!window) return;
    clearTimeout(window.timer);
    this.open.delete(key);
    if (window.counts.size === 0) return;
    const refused = Object.fromEntries(window.counts);
    const total = [...window.counts.values()].reduce((a, b) => a + b, 0);
    this.log.warn({ route: key, refused, total, windowSeconds: this.windowMs / 1000 }, `${this.message}: ${total} more in ${this.windowMs / 1000} s`);
    // Still under fire: keep counting rather than log the next refusal on its own.
    if (reopenIfBusy) this.openWindow(key);
  }
}
