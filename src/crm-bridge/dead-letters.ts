/**
 * The dead-letter lists: messages a sink did not take within the retry budget, took as
 * permanently invalid, or that were held behind such a message of the same call. Listed
 * for the admin API, counted for metrics, and replayed back to the tail of the outbox.
 */
import type { Redis } from 'ioredis';
import { CRM_BRIDGE_ERRORS, CrmBridgeError } from './errors.js';
import type { CrmKeys } from './keys.js';
import type { CrmBridgeMetrics } from './metrics.js';
import { fieldMap, type RawStreamEntry } from './outbox-entry.js';
import { runScript } from './redis-scripts.js';

export interface DeadLetter {
  /** Id within the sink's dead-letter list (what a replay names). */
  id: string;
  sink: string;
  eventId: string;
  callId: string;
  type: string;
  sequence: number;
  /** exhausted (retry budget spent), rejected (4xx), held-behind (an earlier message of the call is dead). */
  reason: string;
  attempts: number;
  lastError: string;
  deadAt: string;
}

export interface ReplayResult {
  sink: string;
  /** Dead-letter ids put back in the outbox, in order. */
  replayed: string[];
}

export class DeadLetterList {
  constructor(
    private readonly redis: Redis,
    private readonly keys: CrmKeys,
    private readonly sinks: string[],
    private readonly metrics: CrmBridgeMetrics,
  ) {}

  async count(sink: string): Promise<number> {
    return this.redis.xlen(this.keys.deadLetters(this.known(sink)));
  }

  /** Oldest first, at most `limit` per sink. */
  async list(options: { sink?: string; limit?: number } = {}): Promise<{ total: Record<string, number>; items: DeadLetter[] }> {
    const sinks = options.sink ? [this.known(options.sink)] : this.sinks;
    const total: Record<string, number> = {};
    const items: DeadLetter[] = [];
    for (const sink of sinks) {
      total[sink] = await this.count(sink);
      const raw = (await this.redis.xrange(this.keys.deadLetters(sink), '-', '+', 'COUNT', options.limit ?? 100)) as RawStreamEntry[];
      for (const [id, fields] of raw) {
        const f = fieldMap(fields ?? []);
        items.push({
          id,
          sink,
          eventId: f.e ?? '',
          callId: f.c ?? '',
          type: f.t ?? '',
          sequence: Number(f.s ?? 0),
          reason: f.reason ?? '',
          attempts: Number(f.attempts ?? 0),
          lastError: f.error ?? '',
          deadAt: f.at ?? '',
        });
      }
    }
    return { total, items };
  }

  /** Replays one dead letter (with the rest of its call's chain, to keep order) or, with no id, all of a sink's. */
  async replay(sink: string, id?: string): Promise<ReplayResult> {
    this.known(sink);
    const replayed = (await runScript(
      this.redis,
      'dead-letter-replay',
      [this.keys.deadLetters(sink), this.keys.heldCalls(sink), this.keys.outbox(sink)],
      [id ?? '*'],
    )) as string[];
    if (id && replayed.length === 0) {
      throw new CrmBridgeError(CRM_BRIDGE_ERRORS.noSuchDeadLetter, `no dead letter ${id} in sink ${sink}`);
    }
    this.metrics.replayed.inc({ sink }, replayed.length);
    return { sink, replayed };
  }

  async replayAll(sink?: string): Promise<ReplayResult[]> {
    const sinks = sink ? [this.known(sink)] : this.sinks;
    const results: ReplayResult[] = [];
    for (const s of sinks) results.push(await this.replay(s));
    return results;
  }

  private known(sink: string): string {
    if (!this.sinks.includes(sink)) throw new CrmBridgeError(CRM_BRIDGE_ERRORS.noSuchSink, `no sink named "${sink}"`);
    return sink;
  }
}
