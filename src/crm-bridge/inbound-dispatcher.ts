/**
 * Hands stored ticket events to the in-process handlers (TicketEventHub), at least once.
 *
 * The inbound stream is read through a consumer group, one consumer per instance. An
 * event is acknowledged (and deleted) only after every handler ran; one whose handlers
 * threw stays pending and is claimed again after `claimIdleMs` — by this instance or,
 * after a crash, by another — until `handlerAttempts`, then it moves to the inbound
 * dead-letter stream with the error (phone numbers masked).
 *
 * After any failed read it reads its own pending entries again first; a consumer group that
 * is gone (Redis restarted empty) is created again. Nothing here waits on Redis at start.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { storedErrorText } from './error-text.js';
import { FailureStreak } from '../shared/failure-streak.js';
import { TicketEventSchema } from './inbound-events.js';
import { INBOUND_GROUP, type CrmKeys } from './keys.js';
import type { CrmBridgeMetrics } from './metrics.js';
import { entriesOf, fieldMap, type RawStreamEntry } from './outbox-entry.js';
import { runScript } from './redis-scripts.js';
import { ensureGroup, isNoGroup, LONGEST_BLOCK_MS } from './stream-group.js';
import { sleep } from '../shared/sleep.js';
import type { TicketEventHub } from './ticket-event-hub.js';

export interface InboundDispatcherDeps {
  redis: Redis;
  reader: Redis;
  keys: CrmKeys;
  hub: TicketEventHub;
  metrics: CrmBridgeMetrics;
  log: Logger;
  consumer: string;
  handlerAttempts: number;
  claimIdleMs: number;
}

export class InboundDispatcher {
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private handled = 0;
  private groupReady = false;
  private needPending = true;
  private readonly failures = new FailureStreak();

  constructor(private readonly deps: InboundDispatcherDeps) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Why ticket events cannot be handed on now, or null. From memory. */
  unreadiness(): string | null {
    if (!this.groupReady && this.failures.streak > 0) return `inbound ticket events: their consumer group cannot be created (${this.failures.lastError})`;
    if (this.failures.streak >= 3) return `inbound ticket events: reads failed ${this.failures.streak} times in a row (${this.failures.lastError})`;
    return null;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.deps.reader.disconnect();
    await this.loop;
  }

  get handledCount(): number {
    return this.handled;
  }

  private async run(): Promise<void> {
    const { redis, reader, keys, consumer } = this.deps;
    let claimAt = 0;
    while (!this.stopping.signal.aborted) {
      try {
        if (!this.groupReady) {
          await ensureGroup(redis, keys.inbound(), INBOUND_GROUP);
          this.groupReady = true;
        }
        if (this.needPending) {
          // This instance's own unfinished entries, before anything new.
          const mine = await reader.xreadgroup('GROUP', INBOUND_GROUP, consumer, 'COUNT', 100, 'STREAMS', keys.inbound(), '0');
          for (const entry of entriesOf(mine)) await this.handle(entry);
          this.needPending = false;
        }
        if (Date.now() >= claimAt) {
          claimAt = Date.now() + Math.max(50, Math.floor(this.deps.claimIdleMs / 2));
          // Events read but never finished — by a crashed instance, or retried after a handler threw.
          const claimed = (await reader.xautoclaim(keys.inbound(), INBOUND_GROUP, consumer, this.deps.claimIdleMs, '0-0', 'COUNT', 100)) as [string, RawStreamEntry[]];
          for (const entry of claimed[1] ?? []) await this.handle(entry);
        }
        const block = Math.max(10, Math.min(LONGEST_BLOCK_MS, claimAt - Date.now()));
        const reply = await reader.xreadgroup('GROUP', INBOUND_GROUP, consumer, 'COUNT', 100, 'BLOCK', block, 'STREAMS', keys.inbound(), '>');
        for (const entry of entriesOf(reply)) await this.handle(entry);
        const failedReads = this.failures.succeeded();
        if (failedReads > 0) this.deps.log.info({ failedReads }, 'inbound ticket event reads work again');
      } catch (err) {
        if (this.stopping.signal.aborted) break;
        this.needPending = true;
        const lost = isNoGroup(err);
        if (lost) this.groupReady = false;
        if (this.failures.failed(err)) {
          this.deps.log.error({ err, failedReads: this.failures.streak }, lost ? 'inbound consumer group is gone (Redis restarted empty?); creating it again' : 'inbound ticket event read failed; retrying');
        }
        await sleep(lost ? 50 : 1000, this.stopping.signal);
      }
    }
  }

  private async handle([id, fields]: RawStreamEntry): Promise<void> {
    const { redis, keys, hub, metrics, log } = this.deps;
    const done = (dead: boolean, eventId = '', type = '', json = '', error = '') =>
      runScript(redis, 'inbound-done', [keys.inbound(), keys.inboundAttempts(), keys.inboundDeadLetters()], [
        INBOUND_GROUP, id, dead ? '1' : '0', eventId, type, json, error, new Date().toISOString(),
      ]);
    if (!fields) return void (await done(false));
    const f = fieldMap(fields);
    let parsed;
    try {
      parsed = TicketEventSchema.safeParse(JSON.parse(f.m ?? ''));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) {
      log.error({ entryId: id }, 'unreadable stored ticket event moved to the inbound dead letters');
      return void (await done(true, f.e, f.t, f.m, 'unreadable'));
    }
    const event = parsed.data;
    try {
      await hub.dispatch(event);
      this.handled++;
      await done(false);
    } catch (err) {
      metrics.inboundHandlerFailures.inc({ type: event.type });
      const attempts = await redis.hincrby(keys.inboundAttempts(), id, 1);
      const dead = attempts >= this.deps.handlerAttempts;
      log.error({ err, eventId: event.eventId, type: event.type, attempts, gaveUp: dead }, 'ticket event handler failed');
      if (dead) await done(true, event.eventId, event.type, f.m, storedErrorText(describe(err)));
    }
  }
}

/** The hub rejects with every handler's error: keep what each said, not only how many failed. */
function describe(err: unknown): string {
  if (err instanceof AggregateError) return `${err.message}: ${err.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join('; ')}`;
  return err instanceof Error ? err.message : String(err);
}
