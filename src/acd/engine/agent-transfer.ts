/**
 * An agent's blind transfer of the caller to another queue or to a named agent (the agent
 * desk's "transfer to a queue or an agent"). The agent's leg leaves as at a hang-up: the
 * agent goes to wrap-up and their talk time ends there. The caller goes back into the ACD
 * and hears the hold music:
 *   - to a queue: waiting in that queue, picked for an agent as any call;
 *   - to a named agent: offered straight to that agent, who must be ready now, or the
 *     transfer is refused at once and nothing moves. Their phone rings for the queue's ring
 *     timeout; unanswered, the call goes back to waiting in the queue it was answered
 *     from, at its place, and the next agent is picked as for any call (never dropped).
 *
 * The caller's place: they keep their priority and the enqueue time of the wait in which
 * they were answered, so they stand ahead of everyone who called after them; they waited
 * once already, and the transfer is the centre's decision, not theirs. A raised priority
 * would do the same for them but put them ahead of callers the IVR ranks higher (priority
 * callers), and the priority would no longer say what the IVR decided.
 *
 * Statistics: a transfer is not a new call. The first agent's handling ends (`handled`,
 * with its talk time); the second wait is not offered again, and its end — a second answer
 * or the caller hanging up — is not a second answer or an abandon of the call (answer
 * rate, service level, ASA and abandon rate count each call once, by its first wait). The
 * second agent's talk is a handling of its own (`handled`) when it ends.
 *
 * Several instances: the transfer runs on the instance holding the caller (another one's
 * call is refused with `acd:call-elsewhere`), and a named agent is taken from ready to
 * ringing by one script (scripts/call-transfer.lua) that no pick can interleave with.
 */
import type { CallTransferNote } from '../../calls/index.js';
import type { AcdCore } from '../acd-core.js';
import { agentStateChanged, type AgentStateChanged } from '../agent-events.js';
import type { AgentState } from '../agent-state.js';
import { AcdError } from '../errors.js';
import type { AcdStatsRecorder } from '../ports/stats-recorder.js';
import { runAcdScript } from '../redis-scripts.js';
import type { PickedCall } from '../router.js';
import { waitingOrder } from '../routing-rules.js';
import type { WaitEnd } from './waiting-call-deps.js';

export type TransferTarget = { queue: string } | { agent: string };

/** What the transfer came to: the caller waits in `queue`, or `agentId`'s phone rings for them. */
export interface TransferResult {
  outcome: 'queued' | 'ringing';
  callId: string;
  queue: string;
  agentId: string | null;
}

/** Where a caller stands in the ACD, kept while the engine serves them: a transfer keeps it. */
export interface CallPlace {
  callId: string;
  queue: string;
  skill: string;
  priority: number;
  /** The enqueue time the caller's order in line is made of. */
  enqueuedAt: number;
  app: string;
  caller: string;
}

/** A transfer under way, as the wait ends with it: where the caller goes and what was reserved. */
export interface HandOn {
  place: CallPlace;
  /** Offers the call had before (the next offer channel's number follows them). */
  offers: number;
  /** The named agent's offer, reserved before the first agent left; rung once the caller waits again. */
  offer: PickedCall | null;
  note: CallTransferNote;
  /** `call.transferred`'s data. */
  event: { target: string; kind: 'queue' | 'agent'; by: string; fromAgent: string };
}

/** The waiting call as a transfer sees it. */
export interface HandingOn {
  handOn(next: WaitEnd): Promise<void>;
}

export interface AgentTransferDeps {
  core: Pick<AcdCore, 'config' | 'redis' | 'keys' | 'agents'>;
  now(): number;
  changed(event: AgentStateChanged): void;
}

type ScriptAnswer = ['queued'] | ['exists'] | ['refused', string] | ['offered', string, string, number, string, string];

export class AgentTransfers {
  private readonly places = new Map<string, { place: CallPlace; transfers: CallTransferNote[] }>();

  constructor(private readonly deps: AgentTransferDeps) {}

  /** The caller entered a queue (the first, an overflow's, a transfer's): their place from now on. */
  entered(place: CallPlace, moved?: HandOn): void {
    const transfers = [...(this.places.get(place.callId)?.transfers ?? []), ...(moved ? [moved.note] : [])];
    this.places.set(place.callId, { place, transfers });
  }

  left(callId: string): void {
    this.places.delete(callId);
  }

  /** The call record's queue note for a wait after a transfer: the transfers so far, nothing of the earlier wait's agent. */
  noteOf(callId: string): { transfers: CallTransferNote[]; agentId: undefined; answeredAt: undefined; waitedMs: undefined; result: undefined; talkMs: undefined; endedBy: undefined } {
    const transfers = this.places.get(callId)?.transfers ?? [];
    return { transfers: [...transfers], agentId: undefined, answeredAt: undefined, waitedMs: undefined, result: undefined, talkMs: undefined, endedBy: undefined };
  }

  /** The statistics a caller's wait tells: after a transfer, only the handlings (see the head of this file). */
  statsOf(callId: string, stats: AcdStatsRecorder | undefined, moved: HandOn | undefined): AcdStatsRecorder | undefined {
    if (!stats || (!moved && !this.places.get(callId)?.transfers.length)) return stats;
    const none = (): Promise<void> => Promise.resolve();
    return { queued: none, answered: none, abandoned: none, overflowed: none, handled: (queue, handleMs, at) => stats.handled(queue, handleMs, at) };
  }

  /**
   * The agent hands the caller on (blind). Refused, with nothing moved, for an unknown queue
   * or a named agent who is not ready; the agent leaves only once the target is settled.
   */
  async handOn(waiting: HandingOn, fromAgent: string, target: TransferTarget, by: string): Promise<TransferResult> {
    const { config, agents, redis, keys } = this.deps.core;
    const agent = await agents.get(fromAgent);
    const callId = agent?.state.kind === 'on-call' ? agent.state.callId : null;
    const held = callId ? this.places.get(callId) : undefined;
    if (!callId || !held) throw new AcdError('notOnCall', `agent ${fromAgent} is not on a call`);
    const queue = 'queue' in target ? target.queue : held.place.queue;
    const queueConfig = Object.hasOwn(config.queues, queue) ? config.queues[queue] : undefined;
    if (!queueConfig) throw new AcdError('unknownQueue', `unknown queue "${queue}" (not in acd.queues)`);
    if ('agent' in target && target.agent === fromAgent) throw new AcdError('transferTargetNotReady', `agent ${fromAgent} cannot take their own call again`);
    const [agentChannel, answeredAt] = await redis.hmget(keys.talk(callId), 'agentChannel', 'answeredAt');
    const at = this.deps.now();
    const place: CallPlace = { ...held.place, queue, skill: 'queue' in target ? queueConfig.skill : held.place.skill };
    const to = 'queue' in target ? `queue:${target.queue}` : `agent:${target.agent}`;
    const offers = offersOf(agentChannel);
    const next: HandOn = {
      place,
      offers,
      offer: 'agent' in target ? await this.reserve(place, target.agent, offers, at) : null,
      note: { at: new Date(at).toISOString(), fromAgent, to, by, talkMs: answeredAt ? Math.max(0, at - Number(answeredAt)) : null },
      event: { target: to, kind: 'queue' in target ? 'queue' : 'agent', by, fromAgent },
    };
    try {
      await waiting.handOn({ movedTo: queue, transfer: next });
    } catch (err) {
      if (next.offer) await this.release(next.offer);
      throw err;
    }
    return { outcome: next.offer ? 'ringing' : 'queued', callId, queue, agentId: next.offer?.agentId ?? null };
  }

  /** Puts a handed-on caller back in the ACD once their new wait is known here; a named agent's offer is in already. */
  async enter(next: HandOn): Promise<void> {
    if (next.offer) return;
    const answer = await this.run(next.place, null, next.offers, this.deps.now());
    if (answer[0] !== 'queued') throw new AcdError('callAlreadyQueued', `call ${next.place.callId} is in the ACD already`);
  }

  /** The named agent, ready now, rings for the call from here on (no pick can take them); refused otherwise. */
  private async reserve(place: CallPlace, agentId: string, offers: number, at: number): Promise<PickedCall> {
    const answer = await this.run(place, agentId, offers, at);
    if (answer[0] === 'refused') {
      if (answer[1] === 'unknown') throw new AcdError('noSuchAgent', `no agent ${agentId}`);
      throw new AcdError('transferTargetNotReady', `agent ${agentId} is ${answer[1]}, not ready: the call stays with the agent`);
    }
    if (answer[0] !== 'offered') throw new AcdError('callAlreadyQueued', `call ${place.callId} is in the ACD already`);
    const [, previous, state, version, endpoint, offerChannel] = answer;
    return {
      ...place,
      agentId,
      agentLevel: 0,
      endpoint,
      kind: 'inbound',
      offerChannel,
      event: agentStateChanged(agentId, JSON.parse(previous) as AgentState, JSON.parse(state) as AgentState, version),
    };
  }

  /** A reservation the first agent could not hand the call on for (they left meanwhile): the named agent is ready again. */
  private async release(offer: PickedCall): Promise<void> {
    const { redis, keys, agents } = this.deps.core;
    await redis.del(keys.call(offer.callId)).catch(() => undefined);
    await agents.apply(offer.agentId, { type: 'caller-gone', callId: offer.callId }, this.deps.now()).then(
      (event) => this.deps.changed(event),
      () => undefined,
    );
  }

  private async run(place: CallPlace, agentId: string | null, offers: number, at: number): Promise<ScriptAnswer> {
    const { redis, keys } = this.deps.core;
    const { readyPrefix } = keys.scriptPrefixes();
    const order = waitingOrder(place.priority, place.enqueuedAt);
    return (await runAcdScript(
      redis,
      'call-transfer',
      [keys.call(place.callId), keys.waiting(place.queue, place.skill), keys.stateCounts(), ...(agentId ? [keys.agent(agentId)] : [])],
      [place.callId, place.queue, place.skill, place.priority, place.enqueuedAt, order, place.app, place.caller, offers, readyPrefix, agentId ?? '', at],
    )) as ScriptAnswer;
  }
}

/** The offers a call had so far, from its agent leg's id (`offer-<callId>-<n>`): the next offer's number follows. */
function offersOf(agentChannel: string | null | undefined): number {
  return Number(/-(\d+)$/.exec(agentChannel ?? '')?.[1] ?? 0);
}
