/**
 * Makes a sink or the look-ups misbehave on demand, the ways real backends do:
 *   down             answer 503
 *   timeout          never answer (until recovered or the hold ends)
 *   record-then-fail record the message, then answer 500 — the sender must retry, and the
 *                    retry must be recognised as a duplicate
 *   reject           answer 400 (a permanent refusal)
 * `count` limits the fault to that many requests; otherwise it lasts until `recover`.
 */
export type FaultMode = 'down' | 'timeout' | 'record-then-fail' | 'reject';

export class FaultSwitch {
  private mode: FaultMode | null = null;
  private remaining = Infinity;
  private releaseHeld: Array<() => void> = [];

  set(mode: FaultMode, count = Infinity): void {
    this.mode = mode;
    this.remaining = count;
  }

  recover(): void {
    this.mode = null;
    this.releaseHeld.splice(0).forEach((release) => release());
  }

  /** The fault for this request, if any (consumes one of `count`). */
  take(): FaultMode | null {
    if (!this.mode) return null;
    const mode = this.mode;
    if (--this.remaining <= 0) this.mode = null;
    return mode;
  }

  /** Holds a request that must time out; released by `recover` or after `maxMs`. */
  hold(maxMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxMs);
      this.releaseHeld.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
