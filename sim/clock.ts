/**
 * Simulated time. Every delay the simulator schedules is in Asterisk milliseconds and goes
 * through one Clock, so a simulated restart or `close()` cancels every pending happening at
 * once, the way a process exit would.
 *
 * Two clocks: ScaledClock runs on the wall clock, `speed` times faster (the demo, and tests
 * that drive the whole service); ManualClock (manual-clock.ts) moves only when a test moves
 * it, for replays whose event order must not depend on how busy the machine is.
 */
export interface Clock {
  /** Runs `fn` after `simMs` simulated milliseconds; returns a cancel function. */
  after(simMs: number, fn: () => void): () => void;
  /** A reading of this clock, only meaningful to `simElapsed`. */
  now(): number;
  /** Simulated milliseconds elapsed since `mark` (an earlier `now()`). */
  simElapsed(mark: number): number;
  cancelAll(): void;
}

export class ScaledClock implements Clock {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(readonly speed: number) {}

  after(simMs: number, fn: () => void): () => void {
    const handle = setTimeout(() => {
      this.timers.delete(handle);
      fn();
    }, Math.max(0, simMs / this.speed));
    this.timers.add(handle);
    return () => {
      clearTimeout(handle);
      this.timers.delete(handle);
    };
  }

  now(): number {
    return Date.now();
  }

  simElapsed(mark: number): number {
    return (Date.now() - mark) * this.speed;
  }

  cancelAll(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
