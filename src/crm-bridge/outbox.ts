/**
 * The outbox writer: takes events from the synchronous domain event bus and makes them
 * durable in Redis, quickly, without holding the emitter.
 *
 * `accept` only appends to an in-memory buffer and schedules a flush; the flush stores
 * the buffered events in order with one pipelined `outbox-append` script each (one XADD
 * per sink that takes the event). An event counts as accepted by the bridge once it is
 * in the buffer, and as sendable only once it is in Redis. If Redis refuses, the events
 * stay buffered in order, the failure is logged at error level and counted, and the flush
 * retries with backoff — forever: an accepted event is never dropped. A retried write
 * that had in fact succeeded stores nothing twice (the script keeps an enqueued marker).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DomainEvent } from '../calls/index.js';
import type { SinkConfig } from './config-schema.js';
import { MARKER_TTL_SECONDS, type CrmKeys } from './keys.js';
import { toUnsequencedMessage, type OutboundEvent } from './message-schema.js';
import type { CrmBridgeMetrics } from './metrics.js';
import { queueScript } from './redis-scripts.js';

const BATCH = 500;
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5000;
const STALL_WARN_MS = 2000;

export class OutboxWriter {
  private buffer: Array<DomainEvent | OutboundEvent> = [];
  private running = false;
  private retryDelayMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly drainWaiters: Array<() => void> = [];

  constructor(
    private readonly redis: Redis,
    private readonly keys: CrmKeys,
    private readonly sinks: SinkConfig[],
    private readonly metrics: CrmBridgeMetrics,
    private readonly log: Logger,
  ) {}

  /** Synchronous and cheap: safe to call from a bus subscriber. */
  accept(event: DomainEvent | OutboundEvent): void {
    this.buffer.push(event);
    this.metrics.outboxBuffered.set(this.buffer.length);
    this.kick();
  }

  get buffered(): number {
    return this.buffer.length;
  }

  /** Resolves once everything accepted so far is in Redis, or after `timeoutMs`; returns how many are left. */
  async drain(timeoutMs: number): Promise<number> {
    if (this.buffer.length === 0) return 0;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.kick();
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.drainWaiters.push(resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    return this.buffer.length;
  }

  /** Stops retrying (the process is going away; `drain` reports what is still buffered). */
  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private kick(): void {
    if (this.running || this.retryTimer) return;
    this.running = true;
    // setImmediate lets the rest of this tick's events join the batch: one round trip for many.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    try {
      while (this.buffer.length > 0) {
        const batch = this.buffer.slice(0, BATCH);
        await this.write(batch);
        this.buffer.splice(0, batch.length);
        this.metrics.outboxBuffered.set(this.buffer.length);
        this.retryDelayMs = RETRY_MIN_MS;
      }
      this.drainWaiters.splice(0).forEach((resolve) => resolve());
    } catch (err) {
      this.metrics.outboxWriteFailures.inc();
      this.log.error(
        { err, buffered: this.buffer.length, retryInMs: this.retryDelayMs },
        'CANNOT STORE TICKET EVENTS IN REDIS: they are kept in memory and retried; a crash now would lose them',
      );
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.kick();
      }, this.retryDelayMs);
      this.retryDelayMs = Math.min(this.retryDelayMs * 2, RETRY_MAX_MS);
    } finally {
      this.running = false;
    }
  }

  private async write(batch: Array<DomainEvent | OutboundEvent>): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const event of batch) {
      const streams = this.sinks.filter((s) => !s.events || s.events.includes(event.type)).map((s) => this.keys.outbox(s.name));
      const message = toUnsequencedMessage(event);
      queueScript(
        pipeline,
        'outbox-append',
        [this.keys.enqueued(event.id), this.keys.callSequence(event.callId), ...streams],
        [event.id, event.callId, event.type, JSON.stringify(message), MARKER_TTL_SECONDS],
      );
    }
    // The connection queues commands while Redis is away instead of failing them; say so loudly
    // while it lasts rather than pile up more copies of the same write.
    const watchdog = setInterval(() => {
      this.metrics.outboxWriteFailures.inc();
      this.log.error({ buffered: this.buffer.length }, 'TICKET EVENTS NOT STORED YET: Redis does not answer; still waiting');
    }, STALL_WARN_MS);
    let results: Array<[Error | null, unknown]>;
    try {
      results = (await pipeline.exec()) ?? [];
    } finally {
      clearInterval(watchdog);
    }
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
    if (results.length !== batch.length) throw new Error(`pipeline answered ${results.length} of ${batch.length}`);
  }
}
