/**
 * What the ACD still held for a caller who hung up while no service of this app ran: the
 * restarted instance finds the call gone and ends it as dropped (src/calls/unseen-ends.ts),
 * and the ACD lets go of it here. A talk: the agent's leg (alone in the bridge now) is hung
 * up, the bridge destroyed, the agent goes to wrap-up and the talk is counted handled once
 * (its length an upper bound); a wait: the entry leaves the queue, and a phone still
 * ringing for it is hung up and its agent made ready again.
 */
import { isGone, type AriPort } from '../../ari/index.js';
import type { AcdCore } from '../acd-core.js';
import type { AgentStateChanged } from '../agent-events.js';
import type { Dequeued } from '../call-queue.js';
import type { AcdStatsRecorder } from '../ports/stats-recorder.js';
import { talkBridgeId } from './offer-ids.js';

export interface GoneCallerDeps {
  ari: AriPort;
  core: AcdCore;
  stats?: AcdStatsRecorder | undefined;
  changed(event: AgentStateChanged): void;
  now(): number;
}

export async function releaseGoneCaller(deps: GoneCallerDeps, callId: string): Promise<'talk' | 'wait' | null> {
  const { ari, core } = deps;
  const talk = await core.redis.hgetall(core.keys.talk(callId));
  if (talk.agentId && talk.app === ari.app) {
    // One instance does this: the talk record goes first, and only whoever removed it goes on.
    if ((await core.redis.del(core.keys.talk(callId))) !== 1) return null;
    if (talk.agentChannel) await hangup(ari, talk.agentChannel);
    await ari.destroyBridge(talkBridgeId(callId)).catch(() => undefined);
    const at = deps.now();
    const queue = core.config.queues[talk.queue ?? ''];
    await core.agents.apply(talk.agentId, { type: 'hang-up', callId, wrapUpSeconds: queue?.wrapUpSeconds ?? 0 }, at).then(deps.changed, () => undefined);
    if (talk.queue) void deps.stats?.handled(talk.queue, Math.max(0, at - Number(talk.answeredAt)), at);
    return 'talk';
  }
  return (await releaseQueued(deps, callId)) === 'unknown' ? null : 'wait';
}

/**
 * Takes a call of this app that no caller here waits for out of its queue (the caller gone
 * unseen, or an entry a dead run left): a phone still ringing for it is hung up and its
 * agent made ready again. 'unknown' when the ACD holds no entry of this app for it.
 */
export async function releaseQueued(deps: GoneCallerDeps, callId: string): Promise<Dequeued['was']> {
  const { ari, core } = deps;
  const entry = await core.calls.entry(callId);
  if (!entry || entry.app !== ari.app) return 'unknown';
  const was = await core.calls.dequeue(callId);
  if (was.was === 'offered') {
    if (was.offerChannel) await hangup(ari, was.offerChannel);
    await core.agents.apply(was.agentId, { type: 'caller-gone', callId }, deps.now()).then(deps.changed, () => undefined);
  }
  return was.was;
}

async function hangup(ari: AriPort, channelId: string): Promise<void> {
  await ari.hangup(channelId).catch((err: unknown) => {
    if (!isGone(err)) throw err;
  });
}
