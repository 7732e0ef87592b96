/**
 * Runs an asynchronous pass one at a time: a kick while a pass runs asks for one more pass
 * after it (however many kicks came), so a change seen during a pass is never missed and
 * passes never overlap. Used where a change anywhere may call for a pass (routing, the ACD's
 * catch-up after Redis returns).
 */
export class SerialPasses {
  private running = false;
  private again = false;

  constructor(private readonly pass: () => Promise<void>) {}

  /** Runs a pass now, or once more after the one running. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    void this.loop();
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        await this.pass();
      } while (this.again);
    } finally {
      this.running = false;
    }
  }
}
