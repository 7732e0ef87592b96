/**
 * Acknowledgements of delivered messages, many in one Redis step. Every lane that hears a
 * 2xx waits for its entry to be acknowledged before it sends the call's next message (as
 * before), but the lanes settled while one step is on its way share the next step: at a few
 * thousand messages a second one `outbox-ack` per message cost more than the POSTs.
 *
 * A failed step fails every ack in it; each lane then retries its own acknowledgement
 * (not the POST: the sink has the message already) until Redis takes it.
 */
import type { Redis } from 'ioredis';
import { runScript } from './redis-scripts.js';

/** Ids per step: Lua's unpack takes a few thousand at most; a few hundred keeps one step short. */
const MAX_IDS = 500;

interface Waiting {
  id: string;
  resolve(): void;
  reject(err: unknown): void;
}

export class AckBatch {
  private waiting: Waiting[] = [];
  private inFlight = false;

  constructor(
    private readonly redis: Redis,
    private readonly keys: { outbox: string; attempts: string },
    private readonly group: string,
  ) {}

  /** Resolves once the entry is acknowledged and deleted from the outbox. */
  ack(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ id, resolve, reject });
      if (!this.inFlight) {
        this.inFlight = true;
        // The rest of this turn's settled lanes join the step.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      const step = this.waiting.splice(0, MAX_IDS);
      try {
        await runScript(this.redis, 'outbox-ack', [this.keys.outbox, this.keys.attempts], [this.group, ...step.map((w) => w.id)]);
        for (const w of step) w.resolve();
      } catch (err) {
        for (const w of step) w.reject(err);
      }
    }
    this.inFlight = false;
  }
}
