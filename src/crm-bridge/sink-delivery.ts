/**
 * Delivers one sink's outbox: read in order, one lane per call, signed POSTs, per-message
 * retries with backoff, then the dead-letter list.
 *
 * Why a Redis stream with a consumer group, and not BullMQ: BullMQ runs jobs of a queue
 * concurrently with no order between them (per-key ordering needs BullMQ Pro groups), so
 * per-call order would need extra bookkeeping around it. A stream per sink is already an
 * ordered, durable log; the consumer group's pending list remembers what was read but not
 * acknowledged, so after a crash the next deliverer re-reads exactly those, in order, and
 * re-sends them — at-least-once delivery, made exactly-once in effect by the receiver's
 * de-duplication on X-Hotline-Event-Id. One deliverer per sink (the lease) keeps a call's
 * messages in one process, where a lane sends them one after the other while other calls
 * proceed. An entry is deleted once acknowledged, so the stream's length is the backlog; a
 * lane sends its call's next message only once the previous one is acknowledged, in one
 * Redis step with whatever other lanes settled meanwhile (ack-batch.ts), and the POSTs of
 * many calls share a few pipelined keep-alive connections (pipelined-http.ts).
 *
 * Per-call order survives dead letters too: when a message of a call is dead-lettered,
 * the call is marked held and its later messages follow it to the dead letters instead of
 * overtaking it; a replay puts the call's whole chain back in order (dead-letter-replay.lua).
 *
 * And it survives Redis faults: after any failed step the deliverer checks its lease and
 * reads its pending list again before anything new, so what was read before the failure
 * is never overtaken by what comes after it (an entry already in a lane is not pushed
 * twice). A consumer group that is gone (Redis restarted empty) is created again, and the
 * writer is told so it can store again what no deliverer had read.
 */
import { setMaxListeners } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SinkConfig } from './config-schema.js';
import { AckBatch } from './ack-batch.js';
import { HttpSink, backoffDelay } from './http-sink.js';
import { CallLanes } from './call-lanes.js';
import { DELIVERY_GROUP, type CrmKeys } from './keys.js';
import { SinkLease } from './lease.js';
import { messageBody, type UnsequencedMessage } from './message-schema.js';
import type { CrmBridgeMetrics } from './metrics.js';
import { entriesOf, parseOutboxEntry, type OutboxEntry, type RawStreamEntry } from './outbox-entry.js';
import { storedErrorText } from './error-text.js';
import { FailureStreak } from '../shared/failure-streak.js';
import { runScript } from './redis-scripts.js';
import { Semaphore } from '../shared/semaphore.js';
import { sleep } from '../shared/sleep.js';
import { ensureGroup, isNoGroup, LONGEST_BLOCK_MS } from './stream-group.js';

/** One consumer name per sink: the lease holder reads as it, so a successor inherits the pending list. */
const CONSUMER = 'deliverer';
const READ_COUNT = 500;
const REDIS_RETRY_MS = 1000;
/** Failed reads in a row that make the bridge not ready. */
const READ_FAILURES_NOT_READY = 3;

export interface SinkDeliveryDeps {
  redis: Redis;
  /** A connection of its own: blocking reads would stall every other command on a shared one. */
  reader: Redis;
  sink: SinkConfig;
  secret: string;
  keys: CrmKeys;
  metrics: CrmBridgeMetrics;
  log: Logger;
  owner: string;
  leaseMs: number;
  readAhead: number;
  /** Told of every entry read from the stream (the writer stops keeping it in memory). */
  onRead(eventId: string): void;
  /** Told when the consumer group was gone: Redis may have lost what it held. */
  onGroupLost(): void;
}

export interface SinkDeliveryStats {
  sink: string;
  leaseHeld: boolean;
  inMemory: number;
  delivered: number;
  retried: number;
  deadLettered: number;
}

type DeadReason = 'exhausted' | 'rejected' | 'held-behind';

export class SinkDelivery {
  private readonly stopping = new AbortController();
  /** Aborted when the lease is lost: in-flight sends stop, their entries stay pending for the new holder. */
  private term = new AbortController();
  private readonly lanes: CallLanes<OutboxEntry>;
  private readonly sends: Semaphore;
  private readonly lease: SinkLease;
  private readonly http: HttpSink;
  private readonly acks: AckBatch;
  private readonly log: Logger;
  private loop: Promise<void> | null = null;
  private leaseHeld = false;
  /** Set when the lease is taken and after any failure: the pending list is read before anything new. */
  private needPending = true;
  private groupReady = false;
  private readonly failures = new FailureStreak();
  /** Redis steps of deliveries (ack, attempt count, dead letter), all lanes together: one log line per outage. */
  private readonly stepFailures = new FailureStreak();
  /** Stream ids now in a lane, so a pending list read again does not queue them twice. */
  private readonly inLanes = new Set<string>();
  /** When a message was last settled here, or nothing waited. */
  private lastProgressAt = Date.now();
  private readonly counts = { delivered: 0, retried: 0, deadLettered: 0 };
  /**
   * Calls held behind a dead letter. Exact without asking Redis for every message: holds
   * are only added by the lease holder (this instance, from the moment it loads the set at
   * lease acquisition), and a replay elsewhere only removes them — which the authoritative
   * check in dead-letter-move.lua sees for the calls still listed here.
   */
  private held = new Set<string>();

  constructor(private readonly deps: SinkDeliveryDeps) {
    this.log = deps.log.child({ sink: deps.sink.name });
    // Every in-flight request and backoff listens to these: many more than node's default warning level of 10.
    setMaxListeners(0, this.stopping.signal, this.term.signal);
    this.lanes = new CallLanes((entry) => this.deliver(entry, this.term.signal).finally(() => this.inLanes.delete(entry.id)), deps.readAhead);
    this.sends = new Semaphore(deps.sink.concurrency);
    const { url, timeoutMs, concurrency, pipelining } = deps.sink;
    this.http = new HttpSink({ url, secret: deps.secret, timeoutMs, concurrency, pipelining });
    this.acks = new AckBatch(deps.redis, { outbox: deps.keys.outbox(deps.sink.name), attempts: deps.keys.attempts(deps.sink.name) }, DELIVERY_GROUP);
    this.lease = new SinkLease(deps.redis, deps.keys.lease(deps.sink.name), deps.owner, deps.leaseMs);
  }

  /** Starts the loop at once; the consumer group is made there, with retries, so a Redis away at start holds nothing up. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Stops reading and sending; what is not acknowledged stays pending for the next start. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.term.abort();
    this.deps.reader.disconnect();
    await this.loop;
    await this.lanes.idle();
    if (this.leaseHeld) await this.lease.release().catch((err) => this.log.warn({ err }, 'could not release the delivery lease'));
    this.leaseHeld = false;
    this.http.close();
  }

  get sinkName(): string {
    return this.deps.sink.name;
  }

  stats(): SinkDeliveryStats {
    return { sink: this.deps.sink.name, leaseHeld: this.leaseHeld, inMemory: this.lanes.size, ...this.counts };
  }

  /** Why this sink cannot deliver now (its group cannot be made, its reads keep failing), or null. From memory. */
  unreadiness(): string | null {
    const name = this.deps.sink.name;
    if (!this.groupReady && this.failures.streak > 0) return `sink ${name}: its consumer group cannot be created (${this.failures.lastError})`;
    if (this.failures.streak >= READ_FAILURES_NOT_READY) return `sink ${name}: outbox reads failed ${this.failures.streak} times in a row (${this.failures.lastError})`;
    return null;
  }

  /**
   * Seconds without a settled message while messages wait here, or wait in Redis while this
   * deliverer cannot read (`sampledDepth`: the last sampled backlog). 0 for a standby.
   */
  stuckSeconds(sampledDepth: number | undefined, now = Date.now()): number {
    const reading = this.groupReady && this.failures.streak === 0;
    const waiting = this.lanes.size > 0 || (!reading && (sampledDepth ?? 0) > 0);
    if (!waiting || (reading && !this.leaseHeld)) {
      this.lastProgressAt = now;
      return 0;
    }
    return Math.max(0, (now - this.lastProgressAt) / 1000);
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async run(): Promise<void> {
    const { redis, reader, keys, sink } = this.deps;
    const renewEvery = Math.max(100, Math.floor(this.deps.leaseMs / 3));
    let renewAt = 0;
    while (!this.stopped) {
      try {
        if (!this.groupReady) {
          await ensureGroup(redis, keys.outbox(sink.name), DELIVERY_GROUP);
          this.groupReady = true;
        }
        if (Date.now() >= renewAt) {
          const had = this.leaseHeld;
          this.leaseHeld = await this.lease.acquire();
          renewAt = Date.now() + renewEvery;
          if (had && !this.leaseHeld) await this.loseLease();
          if (!this.leaseHeld) {
            this.readSucceeded();
            await sleep(renewEvery, this.stopping.signal);
            continue;
          }
          if (!had) this.needPending = true;
        }
        if (this.needPending) {
          this.held = new Set(await redis.hkeys(keys.heldCalls(sink.name)));
          await this.readPending();
          this.needPending = false;
        }
        await this.lanes.waitForRoom();
        const block = Math.max(10, Math.min(LONGEST_BLOCK_MS, renewAt - Date.now()));
        const reply = await reader.xreadgroup('GROUP', DELIVERY_GROUP, CONSUMER, 'COUNT', READ_COUNT, 'BLOCK', block, 'STREAMS', keys.outbox(sink.name), '>');
        this.pushAll(entriesOf(reply));
        this.readSucceeded();
      } catch (err) {
        if (this.stopped) break;
        // Whatever failed, the next round checks the lease and reads the pending list first.
        this.needPending = true;
        renewAt = 0;
        const lost = isNoGroup(err);
        if (lost) {
          this.groupReady = false;
          this.deps.onGroupLost();
        }
        if (this.failures.failed(err)) {
          this.log.error({ err, failedReads: this.failures.streak }, lost ? 'sink outbox consumer group is gone (Redis restarted empty?); creating it again' : 'sink outbox read failed; retrying');
        }
        await sleep(lost ? 50 : REDIS_RETRY_MS, this.stopping.signal);
      }
    }
  }

  private readSucceeded(): void {
    const failedReads = this.failures.succeeded();
    if (failedReads > 0) this.log.info({ failedReads }, 'sink outbox reads work again');
  }

  private async loseLease(): Promise<void> {
    this.log.warn('delivery lease lost to another instance; handing over');
    this.term.abort();
    await this.lanes.idle();
    this.term = new AbortController();
    setMaxListeners(0, this.term.signal);
  }

  /** After taking the lease or a failure: whatever was read but never settled (by a previous holder or this one), oldest first. */
  private async readPending(): Promise<void> {
    let after = '0';
    for (;;) {
      await this.lanes.waitForRoom();
      const reply = await this.deps.reader.xreadgroup(
        'GROUP', DELIVERY_GROUP, CONSUMER, 'COUNT', READ_COUNT, 'STREAMS', this.deps.keys.outbox(this.deps.sink.name), after,
      );
      const entries = entriesOf(reply);
      if (entries.length === 0) return;
      this.pushAll(entries);
      after = entries[entries.length - 1]![0];
    }
  }

  private pushAll(entries: RawStreamEntry[]): void {
    for (const raw of entries) {
      if (this.inLanes.has(raw[0])) continue;
      const entry = parseOutboxEntry(raw);
      if (!entry) {
        void this.discardMalformed(raw[0]);
        continue;
      }
      // From idle to waiting: a stuck clock starts now, not at the last message long ago.
      if (this.lanes.size === 0) this.lastProgressAt = Date.now();
      this.inLanes.add(entry.id);
      this.lanes.push(entry);
      this.deps.onRead(entry.eventId);
    }
  }

  private async discardMalformed(id: string): Promise<void> {
    this.log.error({ entryId: id }, 'unreadable outbox entry acknowledged and skipped');
    await runScript(this.deps.redis, 'outbox-ack', [this.deps.keys.outbox(this.deps.sink.name), this.deps.keys.attempts(this.deps.sink.name)], [DELIVERY_GROUP, id]).catch(() => undefined);
  }

  /** Settles one entry: delivered, dead-lettered, or (when stopping) left pending. Retries its own Redis faults. */
  private async deliver(entry: OutboxEntry, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        return await this.attempt(entry, signal);
      } catch (err) {
        if (signal.aborted) return;
        if (this.stepFailures.failed(err)) {
          this.log.error({ err, callId: entry.callId, eventId: entry.eventId, failedSteps: this.stepFailures.streak }, 'Redis step of a delivery failed; retrying');
        }
        await sleep(REDIS_RETRY_MS, signal);
      }
    }
  }

  private async attempt(entry: OutboxEntry, signal: AbortSignal): Promise<void> {
    const { sink, keys, redis } = this.deps;
    if (this.held.has(entry.callId)) {
      if (await this.moveToDeadLetters(entry, 'held-behind', 0, 'an earlier message of this call is in the dead letters', true)) return;
      this.held.delete(entry.callId); // replayed since: deliver
    }
    const body = messageBody(JSON.parse(entry.message) as UnsequencedMessage, entry.sequence);
    for (;;) {
      const outcome = await this.sends.run(() => this.http.send(entry.eventId, body, signal));
      if (outcome.kind === 'delivered') {
        await this.acknowledge(entry, signal);
        return;
      }
      if (signal.aborted) return;
      const attempts = await redis.hincrby(keys.attempts(sink.name), entry.id, 1);
      if (outcome.kind === 'rejected' || attempts >= sink.retry.attempts) {
        await this.moveToDeadLetters(entry, outcome.kind === 'rejected' ? 'rejected' : 'exhausted', attempts, outcome.error, false);
        return;
      }
      this.counts.retried++;
      this.deps.metrics.retried.inc({ sink: sink.name });
      const delay = backoffDelay(attempts, sink.retry.backoffMs, sink.retry.maxBackoffMs);
      this.log.warn({ callId: entry.callId, eventId: entry.eventId, attempts, retryInMs: delay, error: outcome.error }, 'sink delivery failed; will retry');
      await sleep(delay, signal);
      if (signal.aborted) return;
    }
  }

  /**
   * The sink has the message: from here only the acknowledgement is retried, never the POST.
   * With Redis away every ack fails for as long as the outage lasts; sending again on each
   * failure would repeat the call's delivered message to the sink every couple of seconds.
   * Given up only when the lease goes (the entry stays pending and its new holder sends it
   * again, once) or the bridge stops.
   */
  private async acknowledge(entry: OutboxEntry, signal: AbortSignal): Promise<void> {
    for (;;) {
      try {
        await this.acks.ack(entry.id);
        break;
      } catch (err) {
        if (signal.aborted) return;
        if (this.stepFailures.failed(err)) {
          this.log.error({ err, callId: entry.callId, eventId: entry.eventId, failedSteps: this.stepFailures.streak }, 'acknowledging a delivered message failed; retrying the acknowledgement');
        }
        await sleep(REDIS_RETRY_MS, signal);
        if (signal.aborted) return;
      }
    }
    this.lastProgressAt = Date.now();
    this.stepFailures.succeeded();
    this.counts.delivered++;
    this.deps.metrics.delivered.inc({ sink: this.deps.sink.name });
  }

  private async moveToDeadLetters(entry: OutboxEntry, reason: DeadReason, attempts: number, errorText: string, onlyIfHeld: boolean): Promise<boolean> {
    const { sink, keys, redis } = this.deps;
    const error = storedErrorText(errorText);
    const moved = await runScript(
      redis,
      'dead-letter-move',
      [keys.outbox(sink.name), keys.deadLetters(sink.name), keys.heldCalls(sink.name), keys.attempts(sink.name)],
      [DELIVERY_GROUP, entry.id, entry.callId, entry.eventId, entry.type, entry.sequence, entry.message, reason, attempts, error, new Date().toISOString(), onlyIfHeld ? '1' : '0'],
    );
    if (moved !== 1) return false;
    this.lastProgressAt = Date.now();
    this.held.add(entry.callId);
    this.counts.deadLettered++;
    this.deps.metrics.deadLettered.inc({ sink: sink.name, reason });
    const level = reason === 'held-behind' ? 'warn' : 'error';
    this.log[level]({ callId: entry.callId, eventId: entry.eventId, type: entry.type, reason, attempts, error }, 'message moved to the dead letters');
    return true;
  }
}
