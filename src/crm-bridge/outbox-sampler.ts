/**
 * Samples what Redis holds for each sink — backlog, age of the oldest message, dead letters,
 * how far its consumer group has read — in the background, one pipeline per round with a
 * deadline, so that /metrics and readiness answer from memory and never wait on Redis.
 *
 * Each round also tells the writer how far every sink's group has read (so it stops keeping
 * those events), but only when the writer's marker is still there at the end of the round:
 * positions from a Redis that has since lost its data mean nothing for what the writer kept.
 * A missing marker makes the writer check for a loss.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { withTimeout } from '../shared/with-timeout.js';
import { FailureStreak } from '../shared/failure-streak.js';
import { DELIVERY_GROUP, type CrmKeys } from './keys.js';
import { fieldMap, type RawStreamEntry } from './outbox-entry.js';
import type { OutboxWriter } from './outbox.js';
import { streamIdMillis } from './stream-ids.js';

export interface SinkSample {
  depth: number;
  lagSeconds: number;
  deadLetters: number;
}

export interface OutboxSamplerDeps {
  redis: Redis;
  keys: CrmKeys;
  sinks: string[];
  writer: Pick<OutboxWriter, 'marker' | 'readUpTo' | 'suspectLoss'>;
  everyMs: number;
  log: Logger;
}

/** Rounds in a row without an answer that make the bridge not ready. */
const SILENT_ROUNDS_NOT_READY = 2;

export class OutboxSampler {
  private readonly samples = new Map<string, SinkSample>();
  private answeredAt: number | null = null;
  private startedAt = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private inFlight = false;
  private readonly failures = new FailureStreak(60_000);

  constructor(private readonly deps: OutboxSamplerDeps) {}

  start(): void {
    if (this.timer) return;
    this.startedAt = Date.now();
    this.timer = setInterval(() => void this.round(), this.deps.everyMs);
    this.timer.unref();
    void this.round();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  sampled(sink: string): SinkSample | null {
    return this.samples.get(sink) ?? null;
  }

  ageSeconds(now = Date.now()): number {
    return (now - (this.answeredAt ?? this.startedAt)) / 1000;
  }

  /** Why Redis counts as not answering, or null. From memory. */
  unreadiness(): string | null {
    if (this.answeredAt === null) return this.failures.streak > 0 ? `Redis does not answer the ticket bridge (${this.failures.lastError})` : 'waiting for the first answer from Redis';
    if (this.failures.streak >= SILENT_ROUNDS_NOT_READY) {
      return `Redis does not answer the ticket bridge: last answer ${Math.round(this.ageSeconds())} s ago (${this.failures.lastError})`;
    }
    return null;
  }

  /** One round; a round still waiting for its answer makes the next one skip. */
  async round(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      await this.sample();
      this.failures.succeeded();
    } catch (err) {
      if (this.failures.failed(err)) this.deps.log.warn({ err }, 'ticket outbox figures could not be sampled from Redis; /metrics serves the last sample');
    } finally {
      this.inFlight = false;
    }
  }

  private async sample(): Promise<void> {
    const { redis, keys, sinks, writer } = this.deps;
    const pipeline = redis.pipeline();
    for (const sink of sinks) {
      pipeline.xlen(keys.outbox(sink));
      pipeline.xlen(keys.deadLetters(sink));
      pipeline.xrange(keys.outbox(sink), '-', '+', 'COUNT', 1);
      pipeline.xinfo('GROUPS', keys.outbox(sink));
    }
    // Last, after the groups: see the file comment.
    pipeline.exists(writer.marker.key);
    const results = (await withTimeout(pipeline.exec(), Math.min(2000, this.deps.everyMs), 'ticket outbox sample')) ?? [];
    if (results.length !== sinks.length * 4 + 1) throw new Error(`sample answered ${results.length} of ${sinks.length * 4 + 1}`);
    const now = Date.now();
    const [markerErr, markerFound] = results[results.length - 1]!;
    if (markerErr) throw markerErr;
    sinks.forEach((sink, i) => {
      const [depthR, deadR, oldestR, groupsR] = results.slice(i * 4, i * 4 + 4) as Array<[Error | null, unknown]>;
      // Redis answered, but not for this sink's keys (a key of another type): its delivery says why.
      if (depthR![0] || deadR![0] || oldestR![0]) return;
      const oldest = (oldestR![1] as RawStreamEntry[])[0];
      this.samples.set(sink, {
        depth: Number(depthR![1]),
        deadLetters: Number(deadR![1]),
        lagSeconds: oldest ? Math.max(0, (now - streamIdMillis(oldest[0])) / 1000) : 0,
      });
      // No such key (the stream is gone or not made yet): nothing to learn about reading.
      const readUpTo = groupsR![0] ? null : lastDeliveredId(groupsR![1]);
      if (readUpTo && markerFound === 1) writer.readUpTo(sink, readUpTo);
    });
    if (markerFound !== 1 && writer.marker.known) writer.suspectLoss();
    this.answeredAt = now;
  }
}

/** XINFO GROUPS answers one flat field list per group. */
function lastDeliveredId(reply: unknown): string | null {
  if (!Array.isArray(reply)) return null;
  for (const group of reply as string[][]) {
    const fields = fieldMap(group.map(String));
    if (fields.name === DELIVERY_GROUP) return fields['last-delivered-id'] ?? null;
  }
  return null;
}
