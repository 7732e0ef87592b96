/**
 * Call events at a steady pace for the ticket bridge's fault tests: round robin over a few
 * calls, each call numbering its own, every published id remembered per call.
 */
import type { DomainEventBus } from '../../src/calls/index.js';

const CALLS = 8;

/** Call events at a steady pace, round robin over the calls, each call numbering its own. */
export class CallLoad {
  readonly published = new Map<string, string[]>();
  private count = 0;

  constructor(private readonly bus: DomainEventBus) {}

  /** Publishes until `total` events are out, a few every few milliseconds. */
  run(total: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setInterval(() => {
        for (let burst = 0; burst < 3 && this.count < total; burst++) this.publishOne();
        if (this.count >= total) {
          clearInterval(timer);
          resolve();
        }
      }, 4);
    });
  }

  get total(): number {
    return this.count;
  }

  private publishOne(): void {
    const callId = `call-${this.count % CALLS}`;
    const ids = this.published.get(callId) ?? [];
    const sequence = ids.length + 1;
    const event =
      sequence === 1
        ? this.bus.publish('call.started', callId, { channelId: `ch-${callId}`, caller: '13812345678', callerName: '', dialled: '12345', line: 'main' }, sequence)
        : this.bus.publish('call.ivr-choice', callId, { node: `menu-${sequence}`, input: '1', outcome: 'matched', next: null }, sequence);
    ids.push(event.id);
    this.published.set(callId, ids);
    this.count++;
  }
}
