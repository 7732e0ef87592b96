/**
 * Rings the agent a pick chose: originates the agent's softphone into the app of the
 * instance that holds the caller, with the caller's number as caller id and the call id
 * in a variable and in the app args. From then on that instance hears the leg (answer,
 * ring-out, rejection). Only a refused originate is seen here — the endpoint is not
 * registered (500 Allocation failed) or Asterisk is away: the call goes back to the head of
 * its queue and the agent is paused as unreachable (or, with Asterisk away, made ready again).
 */
import { isAriError } from '../../ari/index.js';
import { agentDialString } from '../agent-dial.js';
import type { PickedCall } from '../router.js';
import { agentPhoneCallerId } from '../screen-pop/screen-pop.js';
import type { EngineParts } from './engine-parts.js';

export const AGENT_ROLE = 'agent';

export type OffererDeps = EngineParts;

export function agentLegArgs(callId: string, agentId: string): string {
  return `role:${AGENT_ROLE},${callId},${agentId}`;
}

export async function ringAgent(deps: OffererDeps, picked: PickedCall): Promise<void> {
  const { ari, config, agents, calls, log } = deps;
  deps.changed(picked.event);
  const queue = config.queues[picked.queue]!;
  try {
    await ari.originate({
      // The seat itself, or through the SIP proxy of a multi-node layout (acd.agentsVia).
      endpoint: agentDialString(picked.endpoint, config.agentsVia),
      channelId: picked.offerChannel,
      app: picked.app || ari.app,
      appArgs: agentLegArgs(picked.callId, picked.agentId),
      // Masked when agents may not see whole numbers (acd.screenPop): the phone shows no more than the desk.
      callerId: picked.caller ? agentPhoneCallerId(picked.caller, config.screenPop) : undefined,
      timeoutSeconds: queue.ringTimeoutSeconds,
      variables: { HOTLINE_CALL_ID: picked.callId, HOTLINE_QUEUE: picked.queue, HOTLINE_AGENT_ID: picked.agentId },
    });
  } catch (err) {
    const asteriskAway = isAriError(err, 'ari:unavailable') || isAriError(err, 'ari:timeout');
    log.warn({ err, agentId: picked.agentId, endpoint: picked.endpoint, callId: picked.callId }, asteriskAway ? 'could not ring the agent: Asterisk away' : 'agent not reachable; paused');
    try {
      await calls.requeue(picked.callId, picked.offerChannel);
    } catch {
      // The caller left meanwhile: their instance released the agent already.
      return;
    }
    const now = deps.now();
    const change = asteriskAway
      ? agents.apply(picked.agentId, { type: 'caller-gone', callId: picked.callId }, now)
      : agents.missed(picked.agentId, picked.callId, picked.queue, now, true);
    await change.then(deps.changed, (e: unknown) => log.warn({ err: e, agentId: picked.agentId }, 'agent state not changed after a failed offer'));
    // Back at the head of the queue: the next agent is rung now, not at the next tick.
    deps.route?.();
  }
}
