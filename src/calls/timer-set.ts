/**
 * Timers that belong to one call. Everything a call arms goes through here, so ending the
 * call clears them all: no timer outlives its call, and tests can count what is left.
 */
export class TimerSet {
  private readonly timers = new Set<NodeJS.Timeout>();

  set(ms: number, fn: () => void): () => void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  clearAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  get size(): number {
    return this.timers.size;
  }
}
