/**
 * Calls waiting in the ACD's queues, in Redis: enqueue, take out (abandon, overflow), put
 * back where they were after a failed offer, and forget once answered. Picking a call for
 * an agent is the router's (one script that moves both).
 */
import type { Redis } from 'ioredis';
import type { AcdConfig } from './config-schema.js';
import { AcdError } from './errors.js';
import type { AcdKeys } from './keys.js';
import { runAcdScript } from './redis-scripts.js';
import { waitingOrder } from './routing-rules.js';

export interface QueuedCall {
  callId: string;
  queue: string;
  /** The skill asked for; the queue's own when absent. */
  skill?: string;
  /** 0 (lowest) … 10 (highest): priority callers from the IVR come first. */
  priority: number;
  /** Epoch ms; the wait (and the widening) counts from here, across requeues. */
  enqueuedAt: number;
  /** The Stasis app of the service instance holding the caller: agent legs are originated into it. */
  app?: string;
  /** The caller's number: the agent's phone shows it. */
  caller?: string;
  /** `callback`: a reservation for a callback (virtual hold, missed call): the agent is rung first, then the citizen. */
  kind?: CallKind;
}

export type CallKind = 'inbound' | 'callback';

export type Dequeued = { was: 'waiting' } | { was: 'offered'; agentId: string; offerChannel: string } | { was: 'unknown' };

export class CallQueue {
  constructor(
    private readonly redis: Redis,
    private readonly keys: AcdKeys,
    private readonly config: Pick<AcdConfig, 'queues' | 'skills'>,
  ) {}

  async enqueue(call: QueuedCall): Promise<void> {
    const queue = Object.hasOwn(this.config.queues, call.queue) ? this.config.queues[call.queue] : undefined;
    if (!queue) throw new AcdError('unknownQueue', `unknown queue "${call.queue}" (not in acd.queues)`);
    const skill = call.skill ?? queue.skill;
    if (!this.config.skills.includes(skill)) throw new AcdError('unknownSkill', `unknown skill "${skill}" (not in acd.skills)`);
    const priority = Math.max(0, Math.min(10, Math.round(call.priority)));
    const queued = await runAcdScript(
      this.redis,
      'call-enqueue',
      [this.keys.call(call.callId), this.keys.waiting(call.queue, skill)],
      [call.callId, call.queue, skill, priority, call.enqueuedAt, waitingOrder(priority, call.enqueuedAt), call.app ?? '', call.caller ?? '', call.kind ?? 'inbound'],
    );
    if (queued !== 1) throw new AcdError('callAlreadyQueued', `call ${call.callId} is in the ACD already`);
  }

  /** Takes the call out, waiting or offered; an offered call's agent is the caller's to release. */
  async dequeue(callId: string): Promise<Dequeued> {
    const { waitingPrefix } = this.keys.scriptPrefixes();
    const found = (await runAcdScript(this.redis, 'call-dequeue', [this.keys.call(callId)], [waitingPrefix, callId])) as string[];
    if (found.length === 0) return { was: 'unknown' };
    return found[0] === 'offered' ? { was: 'offered', agentId: found[1]!, offerChannel: found[2] ?? '' } : { was: 'waiting' };
  }

  /**
   * After a ring timeout or a rejection: back where it was, ahead of later calls of its
   * priority. With `offerChannel`, only if that offer is still the call's current one.
   * Returns the agent it was offered to.
   */
  async requeue(callId: string, offerChannel = ''): Promise<string> {
    const { waitingPrefix } = this.keys.scriptPrefixes();
    const agentId = await runAcdScript(this.redis, 'call-requeue', [this.keys.call(callId)], [waitingPrefix, callId, offerChannel]);
    if (typeof agentId !== 'string') throw new AcdError('noSuchCall', `call ${callId} is not offered${offerChannel ? ` on ${offerChannel}` : ''}`);
    return agentId;
  }

  /** The caller's place in their queue (1 = next), whatever skill the calls ask for; null when not waiting. */
  async position(callId: string): Promise<number | null> {
    // One script: a waiting caller asks at every announcement, thousands of them at once.
    const { waitingPrefix } = this.keys.scriptPrefixes();
    const place = Number(await runAcdScript(this.redis, 'call-position', [this.keys.call(callId)], [waitingPrefix, ...this.config.skills]));
    return place > 0 ? place : null;
  }

  /** Whether the call is still the ACD's, and to whom it is offered now. */
  async state(callId: string): Promise<{ state: 'waiting' | 'offered'; agentId: string | null; offerChannel: string | null; app: string } | null> {
    const [state, agentId, offerChannel, app] = await this.redis.hmget(this.keys.call(callId), 'state', 'agent', 'offerChannel', 'app');
    if (state !== 'waiting' && state !== 'offered') return null;
    return { state, agentId: agentId ?? null, offerChannel: offerChannel ?? null, app: app ?? '' };
  }

  /**
   * The call's whole entry while the ACD holds it (waiting or offered), as enqueued: what a
   * restarted instance needs to keep the caller's place. Null when the ACD holds it no more.
   */
  async entry(callId: string): Promise<(Required<Pick<QueuedCall, 'queue' | 'skill' | 'priority' | 'enqueuedAt'>> & { state: 'waiting' | 'offered'; agentId: string | null; offerChannel: string | null; app: string }) | null> {
    const h = await this.redis.hgetall(this.keys.call(callId));
    if ((h.state !== 'waiting' && h.state !== 'offered') || !h.queue || !h.skill) return null;
    return { state: h.state, queue: h.queue, skill: h.skill, priority: Number(h.priority ?? 0), enqueuedAt: Number(h.enqueuedAt ?? 0), agentId: h.agent ?? null, offerChannel: h.offerChannel || null, app: h.app ?? '' };
  }

  /** The agent answered: the call is no longer the queue's. */
  async answered(callId: string): Promise<void> {
    await this.redis.del(this.keys.call(callId));
  }

  /** Waiting calls of a queue, whatever skill they ask for, first in line first. */
  async waitingIds(queue: string): Promise<string[]> {
    const perSkill = await Promise.all(this.config.skills.map((skill) => this.redis.zrange(this.keys.waiting(queue, skill), 0, -1, 'WITHSCORES')));
    const scored = perSkill.flatMap((flat) => flat.flatMap((id, i) => (i % 2 === 0 ? [{ id, score: Number(flat[i + 1]) }] : [])));
    return scored.sort((a, b) => a.score - b.score).map((c) => c.id);
  }
}
