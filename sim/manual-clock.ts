/**
 * A simulated clock that stands still until the test moves it. Moving it runs every
 * happening that falls due on the way, earliest first and, at the same instant, in the
 * order they were scheduled, synchronously: the same steps always give the same events in
 * the same order, however slow the machine.
 */
import type { Clock } from './clock.js';

interface Pending {
  at: number;
  order: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  private nowMs = 0;
  private scheduled = 0;
  private readonly pending = new Map<number, Pending>();

  after(simMs: number, fn: () => void): () => void {
    const order = this.scheduled++;
    this.pending.set(order, { at: this.nowMs + Math.max(0, simMs), order, fn });
    return () => void this.pending.delete(order);
  }

  now(): number {
    return this.nowMs;
  }

  simElapsed(mark: number): number {
    return this.nowMs - mark;
  }

  cancelAll(): void {
    this.pending.clear();
  }

  /** When the next happening is due, or undefined when nothing is pending. */
  nextDue(): number | undefined {
    return this.earliest()?.at;
  }

  /** Moves time to the next happening and runs it; false when nothing is pending. */
  step(): boolean {
    const next = this.earliest();
    if (!next) return false;
    this.pending.delete(next.order);
    this.nowMs = Math.max(this.nowMs, next.at);
    next.fn();
    return true;
  }

  /** Moves time to `at` (never back), running every happening due by then. */
  advanceTo(at: number): void {
    for (let due = this.nextDue(); due !== undefined && due <= at; due = this.nextDue()) this.step();
    this.nowMs = Math.max(this.nowMs, at);
  }

  advance(ms: number): void {
    this.advanceTo(this.nowMs + ms);
  }

  private earliest(): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.pending.values()) {
      if (!best || p.at < best.at || (p.at === best.at && p.order < best.order)) best = p;
    }
    return best;
  }
}
