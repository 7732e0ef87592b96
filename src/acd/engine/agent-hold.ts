/**
 * What the other party hears while the agent holds the call: music on hold, never silence.
 *
 * The agent's softphone holds with a re-INVITE (`sendonly`/`inactive`); Asterisk raises
 * ChannelHold on the agent's channel and ChannelUnhold when a `sendrecv` offer takes the hold
 * off. Asterisk passes the hold on by itself only in a two-party bridge (the other PJSIP
 * channel starts its own music unless moh_passthrough is set); a softmix bridge only stops
 * counting the held party as talking. So the service starts the music itself on the channel
 * the agent talks to, left in the call's mixing bridge (`POST /channels/{id}/moh`: res_stasis
 * runs it on a bridged channel, whose generator then feeds it the music), and stops it at the
 * unhold. Starting music Asterisk already plays restarts it; stopping it twice is harmless.
 *
 * Who gets the music is read from the call's bridge, not from the ACD's records: the agent's
 * one other party in it (the caller, or the unit of a consultation while the caller waits
 * outside with music already). With two or more others in the bridge (a three-way call with
 * 110, a supervisor barging in) nobody gets music: they go on talking to each other.
 */
import type { Logger } from 'pino';
import type { AriEvent, AriPort } from '../../ari/index.js';
import { isGone } from '../../ari/index.js';
import { callIdOfLeg, OFFER_PREFIX, talkBridgeId } from './offer-ids.js';

export interface AgentHoldDeps {
  ari: AriPort;
  musicClass: string;
  log: Logger;
  now(): number;
}

/** The channel that hears music while `agentChannel` holds: its only other party in the bridge, if any. */
export function partyToHold(bridgeChannels: readonly string[], agentChannel: string): string | null {
  if (!bridgeChannels.includes(agentChannel)) return null;
  const others = bridgeChannels.filter((c) => c !== agentChannel);
  return others.length === 1 ? others[0]! : null;
}

interface Hold {
  callId: string;
  since: number;
  /** The channel given music, if any. */
  party: string | null;
}

export class AgentHold {
  /** Holds in progress, by agent channel. */
  private readonly holds = new Map<string, Hold>();
  /** Hold changes run one after the other: an unhold never overtakes the hold's music start. */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AgentHoldDeps) {}

  /** An event of an agent's leg (the engine's watcher of `offer-` channels). */
  event(event: AriEvent, channelId: string): void {
    if (!channelId.startsWith(OFFER_PREFIX)) return;
    const run = (work: () => Promise<void>): void => {
      this.chain = this.chain.then(work).catch((err: unknown) => this.deps.log.warn({ err, channelId }, 'hold music not changed'));
    };
    switch (event.type) {
      case 'ChannelHold':
        return run(() => this.held(channelId));
      case 'ChannelUnhold':
        return run(() => this.unheld(channelId));
      case 'StasisEnd':
      case 'ChannelDestroyed':
        // The agent left while holding: whoever stays in the call is not left with music.
        return run(() => this.unheld(channelId));
      default:
    }
  }

  private async held(agentChannel: string): Promise<void> {
    const callId = callIdOfLeg(agentChannel);
    if (!callId || this.holds.has(agentChannel)) return;
    const hold: Hold = { callId, since: this.deps.now(), party: null };
    this.holds.set(agentChannel, hold);
    const party = partyToHold(await this.bridgeChannels(callId), agentChannel);
    if (!party) return;
    hold.party = party;
    await this.deps.ari.startMoh(party, this.deps.musicClass).catch((err: unknown) => {
      if (!isGone(err)) throw err;
    });
    this.deps.log.info({ callId, channelId: party }, 'the agent holds the call: music for the other party');
  }

  private async unheld(agentChannel: string): Promise<void> {
    const hold = this.holds.get(agentChannel);
    if (!hold) return;
    this.holds.delete(agentChannel);
    const heldMs = this.deps.now() - hold.since;
    // A party no longer in the call's bridge (a caller a consultation put on hold since) keeps the music it has now.
    if (hold.party && (await this.inBridge(hold.callId, hold.party))) {
      await this.deps.ari.stopMoh(hold.party).catch((err: unknown) => {
        if (!isGone(err)) throw err;
      });
    }
    this.deps.log.info({ callId: hold.callId, heldMs, music: hold.party !== null }, 'the agent took the call off hold');
  }

  private async bridgeChannels(callId: string): Promise<string[]> {
    const bridge = (await this.deps.ari.listBridges()).find((b) => b.id === talkBridgeId(callId));
    return bridge?.channels ?? [];
  }

  private async inBridge(callId: string, channelId: string): Promise<boolean> {
    return (await this.bridgeChannels(callId)).includes(channelId);
  }
}

/** The registry's watcher of agents' legs that gives the other party music while the agent holds. */
export function agentHoldWatcher(deps: AgentHoldDeps): (event: AriEvent, channelId: string) => void {
  const holds = new AgentHold(deps);
  return (event, channelId) => holds.event(event, channelId);
}
