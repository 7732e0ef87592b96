/**
 * Simulated time: every delay the simulator schedules is in Asterisk milliseconds and runs
 * `speed` times faster in real time. All timers live in one registry so a simulated restart
 * or `close()` cancels every pending happening at once, the way a process exit would.
 */
export class Clock {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(readonly speed: number) {}

  /** Runs `fn` after `simMs` simulated milliseconds; returns a cancel function. */
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

  /** Simulated milliseconds elapsed since `startReal` (a Date.now() value). */
  simElapsed(startReal: number): number {
    return (Date.now() - startReal) * this.speed;
  }

  cancelAll(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
