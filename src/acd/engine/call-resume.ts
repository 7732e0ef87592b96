/**
 * Where a caller stood in the ACD when the instance holding them died, read back by the
 * restarted instance (same app) from what outlives the process:
 *
 *   talk record (Redis, `talk(callId)`)   talking: the agent's leg and the bridge `call-<callId>`
 *   queue entry (Redis, `call(callId)`)    waiting, or offered to an agent whose leg rings
 *   the channels and bridges (Asterisk)   whether the agent's leg is still there
 *
 * Read only for a call already answered and adopted: answering never waits on Redis.
 */
import type { AriPort, Bridge } from '../../ari/index.js';
import { isGone } from '../../ari/index.js';
import type { CallContext } from '../../calls/index.js';
import { withTimeout } from '../../shared/with-timeout.js';
import type { AcdCore } from '../acd-core.js';
import type { AgentStateChanged } from '../agent-events.js';
import type { CallQueue } from '../call-queue.js';
import type { QueueConfig } from '../config-schema.js';
import { releaseGoneCaller } from './gone-callers.js';
import { talkBridgeId } from './offer-ids.js';
import type { WaitingCall } from './waiting-call.js';
import type { EmergencyDialer } from '../ports/emergency-dialer.js';
import type { ResumedWait, ServeRequest } from './waiting-call-deps.js';

const READ_TIMEOUT_MS = 1500;

export type ResumePoint =
  | { phase: 'waiting'; queue: string; skill: string; priority: number; enqueuedAt: number; offer: { agentId: string; channelId: string; leg: 'ringing' | 'gone' } | null }
  | { phase: 'talking'; queue: string; enqueuedAt: number; agent: { id: string; channelId: string; answeredAt: number }; agentThere: boolean };

export interface ResumeReadDeps {
  ari: AriPort;
  calls: CallQueue;
  /** The call's talk record (empty when none). */
  talk(callId: string): Promise<Record<string, string>>;
}

/** What the engine lends a take-over. */
export interface TakeOverHost {
  ari: AriPort;
  core: AcdCore;
  waitingCall(request: ServeRequest, queue: QueueConfig, enqueuedAt: number, resumed: ResumedWait): WaitingCall;
  /** The emergency linkage's leg among the bridge's members (an agent's transfer or consultation), heard again. */
  adoptLeg?: EmergencyDialer['adoptLeg'];
  /** The offer's leg rings on: its first report is not a new offer. */
  ringing(channelId: string): void;
  changed(event: AgentStateChanged): void;
  now(): number;
}

/**
 * The wait (or talk) of the call as a dead run of this app left it, ready to run; undefined
 * when the ACD holds no trace of it. An offer whose leg ended unheard puts the call back at
 * the head of its queue and frees the agent; a talk's bridge is made whole again.
 */
export async function takeOver(host: TakeOverHost, call: CallContext, request: ServeRequest): Promise<WaitingCall | undefined> {
  const { ari, core } = host;
  const at = await resumePoint({ ari, calls: core.calls, talk: (id) => core.redis.hgetall(core.keys.talk(id)) }, call);
  const queue = at && core.config.queues[at.queue];
  if (!at || !queue) return undefined;
  const offers = (call.adopted && call.adopted.queue?.offeredTo) || [];
  call.log.info({ queue: at.queue, phase: at.phase, offer: at.phase === 'waiting' ? (at.offer?.leg ?? null) : undefined, agentId: at.phase === 'talking' ? at.agent.id : undefined }, 'the ACD takes the call over where it was');
  if (at.phase === 'talking') {
    // A caller on hold for a consultation stays out of the bridge, with the music Asterisk plays on.
    const held = at.agentThere && (await consultationHolding(ari, call.callId, call.channelId));
    let talking = at;
    let members: readonly string[] = [];
    if (at.agentThere) {
      try {
        members = await keepTalkBridge(ari, call.callId, held ? [at.agent.channelId] : [call.channelId, at.agent.channelId]);
      } catch (err) {
        members = await talkEndedMeanwhile(host, call, at.agent.channelId, err);
        talking = { ...at, agentThere: false };
      }
    }
    const third = host.adoptLeg?.(call.callId, members);
    if (held) call.log.info({ agentId: at.agent.id }, 'the caller stays on hold while the agent consults');
    return host.waitingCall({ ...request, queue: at.queue }, queue, at.enqueuedAt, { offers, talking, ...(third && { third: { ...third, callerOnHold: held } }) });
  }
  const ringing = at.offer?.leg === 'ringing' ? at.offer.channelId : undefined;
  // `offer-<callId>-<n>` is the call's n-th offer: reported already when the record counts n offers.
  const reported = ringing !== undefined && offers.length >= Number(ringing.slice(ringing.lastIndexOf('-') + 1));
  if (reported) host.ringing(ringing);
  const waiting = host.waitingCall({ ...request, queue: at.queue, skill: at.skill, priority: at.priority }, queue, at.enqueuedAt, { offers, ...(reported && { offerChannel: ringing }) });
  if (at.offer?.leg === 'gone') await offerGoneUnseen(host, call.callId, at.offer);
  return waiting;
}

/**
 * The bridge could not be made whole: a leg hung up during the take-over's reads, heard by
 * no wait of this process (none held the call yet). The caller gone: the talk is let go here
 * — the agent's leg hung up, the agent to wrap-up, the talk record removed — or the agent
 * would stay on a call that is over, and the failure goes on to the caller's flow. The agent
 * gone: the bridge's members as they are now (the caller, a unit an agent brought in), and
 * the wait ends the agent's part as at any hang-up of theirs.
 */
async function talkEndedMeanwhile(host: TakeOverHost, call: CallContext, agentChannel: string, err: unknown): Promise<readonly string[]> {
  if (!(await legAlive(host.ari, call.channelId).catch(() => true))) {
    const released = await releaseGoneCaller(host, call.callId);
    call.log.warn({ released }, 'the caller hung up while the ACD took the call over; the agent is let go');
    throw err;
  }
  if (await legAlive(host.ari, agentChannel).catch(() => true)) throw err;
  call.log.info('the agent hung up while the ACD took the call over');
  const bridge = (await host.ari.listBridges()).find((b) => b.id === talkBridgeId(call.callId));
  return bridge?.channels ?? [];
}

/** The offer's leg ended while no process heard it: the call back at the head, the agent free again. */
async function offerGoneUnseen(host: TakeOverHost, callId: string, offer: { agentId: string; channelId: string }): Promise<void> {
  const { calls, agents } = host.core;
  try {
    await calls.requeue(callId, offer.channelId);
  } catch {
    return; // no longer that offer: another instance's sweep or pick moved it
  }
  await agents.apply(offer.agentId, { type: 'caller-gone', callId }, host.now()).then(host.changed, () => undefined);
}

/** Where the call was in this app's ACD; null when the ACD holds no trace of it. Rejects when Redis does not answer. */
export async function resumePoint(deps: ResumeReadDeps, call: CallContext): Promise<ResumePoint | null> {
  const { ari, calls } = deps;
  const [talk, entry] = await withTimeout(Promise.all([deps.talk(call.callId), calls.entry(call.callId)]), READ_TIMEOUT_MS, 'ACD resume');
  const stored = call.adopted ? call.adopted.queue : undefined;
  if (talk.agentChannel && talk.agentId && talk.app === ari.app) {
    const answeredAt = Number(talk.answeredAt);
    const enqueuedAt = stored?.enqueuedAt ? Date.parse(stored.enqueuedAt) : answeredAt;
    return { phase: 'talking', queue: talk.queue ?? stored?.queue ?? '', enqueuedAt, agent: { id: talk.agentId, channelId: talk.agentChannel, answeredAt }, agentThere: await legAlive(ari, talk.agentChannel) };
  }
  if (!entry || entry.app !== ari.app) return null;
  const offer = entry.state === 'offered' && entry.agentId && entry.offerChannel ? { agentId: entry.agentId, channelId: entry.offerChannel, leg: (await legAlive(ari, entry.offerChannel)) ? ('ringing' as const) : ('gone' as const) } : null;
  return { phase: 'waiting', queue: entry.queue, skill: entry.skill, priority: entry.priority, enqueuedAt: entry.enqueuedAt, offer };
}

/**
 * Caller and agent in the call's bridge again: a process that died while connecting them
 * may have left the bridge unmade or half filled. Asterisk keeps a made bridge through the
 * restart, and then nothing is asked of it.
 */
export async function keepTalkBridge(ari: AriPort, callId: string, members: string[]): Promise<readonly string[]> {
  const bridgeId = talkBridgeId(callId);
  const bridge: Bridge | undefined = (await ari.listBridges()).find((b) => b.id === bridgeId);
  const missing = members.filter((id) => !bridge?.channels.includes(id));
  if (missing.length === 0) return bridge!.channels;
  await ari.stopMoh(members[0]!).catch(() => undefined);
  if (!bridge) await ari.createBridge({ bridgeId, type: 'mixing', name: bridgeId });
  await ari.addToBridge(bridgeId, missing);
  return [...(bridge?.channels ?? []), ...missing];
}

/**
 * Whether the call's bridge holds a consultation's unit (`emg-<callId>-c<n>`) without the
 * caller: the agent was consulting with the caller on hold (music, outside the bridge).
 */
export async function consultationHolding(ari: AriPort, callId: string, callerChannel: string): Promise<boolean> {
  const bridge = (await ari.listBridges()).find((b) => b.id === talkBridgeId(callId));
  return !!bridge && !bridge.channels.includes(callerChannel) && bridge.channels.some((id) => id.startsWith(`emg-${callId}-c`));
}

/** Whether Asterisk still has the channel; rejects when it cannot say. */
export async function legAlive(ari: AriPort, channelId: string): Promise<boolean> {
  try {
    await ari.getChannel(channelId);
    return true;
  } catch (err) {
    if (isGone(err)) return false;
    throw err;
  }
}
