/**
 * Per-call lanes: work items of one call run one after the other, in the order pushed;
 * different calls run side by side. `limit` bounds the items held in memory, so a slow
 * sink makes the reader wait instead of loading the whole outbox.
 */
export class CallLanes<T extends { callId: string }> {
  private readonly lanes = new Map<string, T[]>();
  private held = 0;
  private roomWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly work: (item: T) => Promise<void>,
    private readonly limit: number,
  ) {}

  get size(): number {
    return this.held;
  }

  push(item: T): void {
    this.held++;
    const lane = this.lanes.get(item.callId);
    if (lane) {
      lane.push(item);
      return;
    }
    this.lanes.set(item.callId, [item]);
    void this.run(item.callId);
  }

  /** Resolves when fewer than `limit` items are held. */
  waitForRoom(): Promise<void> {
    if (this.held < this.limit) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Resolves when every lane has finished. */
  idle(): Promise<void> {
    if (this.held === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(callId: string): Promise<void> {
    const lane = this.lanes.get(callId)!;
    while (lane.length > 0) {
      // `work` settles every item itself (delivered, dead-lettered, or left for the next reader).
      await this.work(lane[0]!).catch(() => undefined);
      lane.shift();
      this.held--;
      if (this.held < this.limit) this.roomWaiters.splice(0).forEach((resolve) => resolve());
    }
    this.lanes.delete(callId);
    if (this.held === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }
}
