/**
 * The outbox writer: takes events from the synchronous domain event bus and makes them
 * durable in Redis, quickly, without holding the emitter.
 *
 * `accept` only appends to an in-memory buffer and schedules a flush; the flush stores the
 * buffered events in order with one pipelined `outbox-append` script each (one XADD per sink
 * that takes the event). An event counts as accepted once it is in the buffer, and as
 * sendable once it is in Redis. If Redis refuses or does not answer (commands fail fast),
 * the events stay buffered in order, the failure is logged and counted, and the flush
 * retries with backoff: an accepted event is never dropped. A retried write that had in fact
 * succeeded stores nothing twice (the script keeps an enqueued marker).
 *
 * Memory is bounded (`maxBufferedEvents`): when Redis stays away that long, BufferAdmission
 * refuses what has not been accepted yet. Stored events no deliverer has read are kept too
 * (UnreadEvents), within the same bound, so that a Redis restarted empty loses nothing: the
 * writer's marker key vanishes with the data, the next write (or a probe) sees it gone, and
 * the unread events are stored again ahead of everything newer. The marker holds the token
 * of the writer's last batch, so a Sentinel failover to a replica that had not received the
 * last batches (replication is asynchronous) shows as an older token and is handled alike.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DomainEvent } from '../calls/index.js';
import { BufferAdmission } from './buffer-admission.js';
import type { SinkConfig } from './config-schema.js';
import { FailureStreak } from '../shared/failure-streak.js';
import { MARKER_TTL_SECONDS, type CrmKeys } from './keys.js';
import { toUnsequencedMessage, type OutboundEvent } from './message-schema.js';
import type { CrmBridgeMetrics } from './metrics.js';
import { queueScript } from './redis-scripts.js';
import { UnreadEvents } from './unread-events.js';

const BATCH = 500;
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 2000;
/** Batches in a row without a reply whose tokens are remembered; beyond, a mismatch only costs a harmless store again. */
const MAX_UNCONFIRMED = 16;

type Outgoing = DomainEvent | OutboundEvent;

export interface OutboxWriterDeps {
  redis: Redis;
  keys: CrmKeys;
  sinks: SinkConfig[];
  metrics: CrmBridgeMetrics;
  log: Logger;
  /** Names this writer's marker key. */
  owner: string;
  maxBufferedEvents: number;
}

export class OutboxWriter {
  private buffer: Outgoing[] = [];
  private readonly unread = new UnreadEvents();
  private readonly admission: BufferAdmission;
  /**
   * The marker's value after this writer's last stored batch (null before the first, and
   * after a loss): a marker gone or holding an older token means Redis lost data.
   */
  private lastToken: string | null = null;
  /** Tokens of batches sent since, whose replies were lost: any of them may be the marker's value. */
  private unconfirmed: string[] = [];
  private batches = 0;
  private probeWanted = false;
  private running = false;
  private closed = false;
  private retryDelayMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly drainWaiters: Array<() => void> = [];
  private readonly failures = new FailureStreak();
  private releasingUnread = false;

  constructor(private readonly deps: OutboxWriterDeps) {
    this.admission = new BufferAdmission(deps.maxBufferedEvents, deps.metrics, deps.log);
  }

  /** Synchronous and cheap: safe to call from a bus subscriber. False when refused (see BufferAdmission). */
  accept(event: Outgoing): boolean {
    if (this.closed || this.admission.admit(event, this.buffer.length)) return false;
    this.makeRoom();
    this.buffer.push(event);
    this.deps.metrics.outboxBuffered.set(this.buffer.length);
    this.kick();
    return true;
  }

  /** Accepted events not yet stored in Redis. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Stored events kept in memory until a deliverer reads them. */
  get unreadKept(): number {
    return this.unread.size;
  }

  /** The last store attempts failed (how many in a row, and why), or null. */
  get failing(): { streak: number; error: string } | null {
    return this.failures.streak > 0 ? { streak: this.failures.streak, error: this.failures.lastError } : null;
  }

  /** A deliverer of this process read the event from the sink's stream. */
  read(sink: string, eventId: string): void {
    this.unread.read(sink, eventId);
    this.deps.metrics.outboxUnreadKept.set(this.unread.size);
  }

  /** The sink's consumer group is past `lastReadId` (sampled while this writer's marker was in place). */
  readUpTo(sink: string, lastReadId: string): void {
    this.unread.readUpTo(sink, lastReadId);
    this.deps.metrics.outboxUnreadKept.set(this.unread.size);
  }

  /** Something suggests Redis lost its data (a consumer group gone, the marker missing): check before the next store. */
  suspectLoss(): void {
    if (this.lastToken === null || this.unread.size === 0) return;
    this.probeWanted = true;
    this.kick();
  }

  get marker(): { key: string; known: boolean } {
    return { key: this.deps.keys.writerMarker(this.deps.owner), known: this.lastToken !== null };
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

  /** Stops retrying and accepting (the process is going away; `drain` reported what is still buffered). */
  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Memory holds at most maxBufferedEvents: stored-but-unread events give way first (they are in Redis). */
  private makeRoom(): void {
    const max = this.deps.maxBufferedEvents;
    while (this.buffer.length + this.unread.size >= max && this.unread.dropOldest()) {
      this.deps.metrics.outboxUnreadReleased.inc();
      if (!this.releasingUnread) {
        this.releasingUnread = true;
        this.deps.log.warn(
          { maxBufferedEvents: max },
          'ticket outbox memory full of stored events no deliverer has read: the oldest are no longer kept, so a Redis restarted empty now would lose them',
        );
      }
    }
    if (this.releasingUnread && this.buffer.length + this.unread.size < max / 2) this.releasingUnread = false;
  }

  private kick(): void {
    if (this.running || this.retryTimer || this.closed) return;
    this.running = true;
    // setImmediate lets the rest of this tick's events join the batch: one round trip for many.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    try {
      for (;;) {
        if (this.probeWanted) {
          const gone = this.lastToken !== null && (await this.deps.redis.exists(this.marker.key)) === 0;
          this.probeWanted = false;
          if (gone) this.storeUnreadAgain('Redis lost the ticket outbox (restarted empty?)');
        }
        if (this.buffer.length === 0) break;
        const batch = this.buffer.slice(0, BATCH);
        if (!(await this.write(batch))) {
          this.storeUnreadAgain('the ticket outbox in Redis is not as this writer left it (Redis restarted empty, or a failover to a replica that lacked the last batches)');
          continue;
        }
        this.buffer.splice(0, batch.length);
        this.deps.metrics.outboxBuffered.set(this.buffer.length);
        this.deps.metrics.outboxUnreadKept.set(this.unread.size);
        this.admission.stored(this.buffer.length);
        this.recovered();
      }
      this.drainWaiters.splice(0).forEach((resolve) => resolve());
    } catch (err) {
      this.failed(err as Error);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.kick();
      }, this.retryDelayMs);
      this.retryDelayMs = Math.min(this.retryDelayMs * 2, RETRY_MAX_MS);
    } finally {
      this.running = false;
    }
  }

  /**
   * Stores a batch; false (nothing stored) when the marker is not where this writer left it:
   * gone (Redis restarted empty) or older (a replica promoted in a failover lacks the last
   * batches the old master acknowledged). The marker's token advances with every batch in the
   * same replication stream as the events, so a marker that is current vouches for them all.
   */
  private async write(batch: Outgoing[]): Promise<boolean> {
    const { redis, keys } = this.deps;
    const marker = this.marker.key;
    const token = `${++this.batches}`;
    const accepted = this.lastToken === null ? [] : [this.lastToken, ...this.unconfirmed];
    const pipeline = redis.pipeline();
    queueScript(pipeline, 'outbox-marker', [marker], [token, MARKER_TTL_SECONDS, ...accepted]);
    const seed = String(Date.now() * 1000);
    const targets = batch.map((event) => this.sinksTaking(event.type));
    batch.forEach((event, i) => {
      const own = ownSequence(event);
      queueScript(
        pipeline,
        'outbox-append',
        [marker, keys.enqueued(event.id), own ? keys.callSequence(event.callId) : keys.featureSequence(event.callId), ...targets[i]!.map((s) => keys.outbox(s))],
        [event.id, event.callId, event.type, JSON.stringify(toUnsequencedMessage(event)), MARKER_TTL_SECONDS, own, seed, token],
      );
    });
    // Until the reply comes, this batch may or may not be stored: its token may be the marker's.
    if (this.lastToken !== null) this.unconfirmed = [...this.unconfirmed, token].slice(-MAX_UNCONFIRMED);
    const results = (await pipeline.exec()) ?? [];
    if (results.length !== batch.length + 1) throw new Error(`pipeline answered ${results.length} of ${batch.length + 1}`);
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
    const replies = results.slice(1).map(([, reply]) => reply as Array<number | string>);
    if (Number(results[0]![1]) === -1 || replies.some((reply) => Number(reply[0]) === -1)) return false;
    this.lastToken = token;
    this.unconfirmed = [];
    batch.forEach((event, i) => {
      const ids = replies[i]!.slice(2).map(String);
      this.unread.add(event, new Map(targets[i]!.map((sink, j) => [sink, ids[j]!])));
    });
    return true;
  }

  /** Redis lost (or may have lost) its data: the events stored but not read go back to the front of the buffer, in order. */
  private storeUnreadAgain(why: string): void {
    const again = this.unread.takeAll();
    this.lastToken = null;
    this.unconfirmed = [];
    this.buffer = [...again, ...this.buffer];
    this.deps.metrics.outboxStoredAgain.inc(again.length);
    this.deps.metrics.outboxBuffered.set(this.buffer.length);
    this.deps.metrics.outboxUnreadKept.set(0);
    this.deps.log.warn({ storedAgain: again.length, buffered: this.buffer.length }, `${why}: storing the events no deliverer had read again, ahead of newer ones`);
  }

  private sinksTaking(type: string): string[] {
    return this.deps.sinks.filter((s) => !s.events || s.events.includes(type)).map((s) => s.name);
  }

  private failed(err: Error): void {
    this.deps.metrics.outboxWriteFailures.inc();
    if (!this.failures.failed(err)) return;
    this.deps.log.error(
      { err, failedAttempts: this.failures.streak, buffered: this.buffer.length, retryInMs: this.retryDelayMs },
      'CANNOT STORE TICKET EVENTS IN REDIS: they are kept in memory (bounded by maxBufferedEvents) and retried; a crash now would lose them',
    );
  }

  private recovered(): void {
    this.retryDelayMs = RETRY_MIN_MS;
    const failedAttempts = this.failures.succeeded();
    if (failedAttempts > 0) this.deps.log.info({ failedAttempts }, 'ticket events are stored in Redis again');
  }
}

/** A call's own number for its event (see DomainEventBase.sequence), or 0 for another feature's event. */
function ownSequence(event: Outgoing): number {
  const sequence = (event as Partial<DomainEvent>).sequence;
  return typeof sequence === 'number' && Number.isInteger(sequence) && sequence > 0 ? sequence : 0;
}
