/**
 * Rings the agent a pick chose: originates the agent's softphone into the app of the
 * instance that holds the caller, with the caller's number as caller id and the call id
 * in a variable and in the app args. From then on that instance hears the leg (answer,
 * ring-out, rejection). Only a refused originate is seen here — the endpoint is not
 * registered (500 Allocation failed) or Asterisk is away: the call goes back to the head of
 * its queue and the agent is paused as unreachable (or, with Asterisk away, made ready again).
 *
 * A pick whose caller is held by an app on another Asterisk node cannot be originated here
 * (the app exists only there): it is handed to that app's instance (offer-handoff.ts), which
 * places it with placeOffer as its own; one nobody took in time goes back as an offer that
 * could not be placed, the agent made ready again.
 */
import { isAriError } from '../../ari/index.js';
import { agentDialString } from '../agent-dial.js';
import type { PickedCall } from '../router.js';
import { agentPhoneCallerId } from '../screen-pop/screen-pop.js';
import type { EngineParts } from './engine-parts.js';
import type { OfferHandOff } from './offer-handoff.js';

export const AGENT_ROLE = 'agent';

export interface OffererDeps extends EngineParts {
  /** Hands picks of callers held on another node to their instance; absent: every pick is placed here. */
  handOff?: OfferHandOff;
}

/** What placing an offer needs of a pick (the agent's change was published by the instance that picked). */
export type OfferToPlace = Omit<PickedCall, 'event'>;

export function agentLegArgs(callId: string, agentId: string): string {
  return `role:${AGENT_ROLE},${callId},${agentId}`;
}

export async function ringAgent(deps: OffererDeps, picked: PickedCall): Promise<void> {
  deps.changed(picked.event);
  const { handOff } = deps;
  if (!handOff || (await handOff.isHere(picked.app))) return placeOffer(deps, picked);
  // Held on another node: its instance places the offer; the pair stays reserved meanwhile.
  if ((await handOff.send(picked)) === 'released') await offerNotPlaced(deps, picked, 'not-taken');
}

/** Originates the agent's leg of a pick into the app holding the caller (this node's). */
export async function placeOffer(deps: EngineParts, picked: OfferToPlace): Promise<void> {
  const { ari, config, log } = deps;
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
    await offerNotPlaced(deps, picked, asteriskAway ? 'asterisk-away' : 'unreachable');
  }
}

/**
 * An offer that was never placed: the call goes back to the head of its queue and the agent
 * is made ready again (Asterisk away, or no instance took the hand-off: not the agent's
 * fault) or paused as unreachable (the endpoint refused).
 */
export async function offerNotPlaced(deps: EngineParts, picked: OfferToPlace, why: 'asterisk-away' | 'not-taken' | 'unreachable'): Promise<void> {
  const { agents, calls, log } = deps;
  try {
    await calls.requeue(picked.callId, picked.offerChannel);
  } catch {
    // The caller left meanwhile: their instance released the agent already.
    return;
  }
  const now = deps.now();
  const change = why !== 'unreachable'
    ? agents.apply(picked.agentId, { type: 'caller-gone', callId: picked.callId }, now)
    : agents.missed(picked.agentId, picked.callId, picked.queue, now, true);
  await change.then(deps.changed, (e: unknown) => log.warn({ err: e, agentId: picked.agentId }, 'agent state not changed after a failed offer'));
  // Back at the head of the queue: the next agent is rung now, not at the next tick.
  deps.route?.();
}
