/**
 * The Asterisk side of a supervision: joining the supervisor's leg to the call (barge: the
 * call's bridge; listen and whisper: a snoop on the agent's channel in a helper bridge),
 * moving between modes, and taking everything made away again. Each step checks whether the
 * supervision ended meanwhile and then stops (`Ended`), leaving the clean-up to the end.
 */
import type { Logger } from 'pino';
import { isGone, type AriPort } from '../../ari/index.js';
import { withTimeout } from '../../shared/with-timeout.js';
import { snoopFor, type SupervisionMode } from './plan.js';
import type { RunningSupervision } from './running.js';

/** The supervision ended while a step was under way. */
export class Ended extends Error {}

export class ChannelMoves {
  constructor(private readonly deps: { ari: AriPort; snoopStartTimeoutMs: number; log: Logger }) {}

  /** The supervisor's answered leg into the call, in the record's mode. */
  async join(running: RunningSupervision): Promise<void> {
    if (running.record.mode === 'barge') await this.deps.ari.addToBridge(running.talk.bridge, [running.ids.supervisorChannel]);
    else await this.throughSnoop(running, running.record.mode, { createBridge: true, withLeg: true });
    if (running.ending) throw new Ended();
  }

  /** From one mode to another once joined; `record.mode` already names the new one. */
  async move(running: RunningSupervision, from: SupervisionMode, to: SupervisionMode): Promise<void> {
    const { ari } = this.deps;
    const { ids, talk } = running;
    const old = running.snoop;
    if (to === 'barge') {
      running.snoop = null;
      // addChannel moves the leg out of the helper bridge (s14); the snoop and that bridge go after.
      await ari.addToBridge(talk.bridge, [ids.supervisorChannel]);
      await Promise.all([old ? this.quietly(ari.hangup(old.id)) : undefined, this.quietly(ari.destroyBridge(ids.helperBridge))]);
      return;
    }
    // A snoop's directions are fixed: listen ↔ whisper is a new snoop, as in s14.
    if (old) {
      running.snoop = null;
      await this.quietly(ari.hangup(old.id));
    }
    await this.throughSnoop(running, to, { createBridge: from === 'barge', withLeg: from === 'barge' });
  }

  /** Hangs up the leg and every snoop made, destroys the helper bridge: each may be gone already. */
  async cleanUp(running: RunningSupervision): Promise<void> {
    const { ari } = this.deps;
    await Promise.all([
      this.quietly(ari.hangup(running.ids.supervisorChannel)),
      ...running.snoopsMade.map((id) => this.quietly(ari.hangup(id))),
      this.quietly(ari.destroyBridge(running.ids.helperBridge)),
    ]);
  }

  /** A request whose failure because the thing is gone already is no failure. */
  async quietly(request: Promise<unknown>): Promise<void> {
    try {
      await request;
    } catch (err) {
      if (!isGone(err)) this.deps.log.warn({ err }, 'supervision clean-up request failed');
    }
  }

  /** A new snoop on the agent's channel into the helper bridge, once it is in the app. */
  private async throughSnoop(running: RunningSupervision, mode: SupervisionMode, o: { createBridge: boolean; withLeg: boolean }): Promise<void> {
    const { ari } = this.deps;
    const leg = running.nextSnoop();
    await ari.snoop(running.talk.agentChannel, snoopFor(mode, running.id, leg.id)!);
    await withTimeout(leg.entered, this.deps.snoopStartTimeoutMs, 'the snoop entering the app');
    if (running.ending) throw new Ended();
    if (o.createBridge) {
      await ari.createBridge({ bridgeId: running.ids.helperBridge, type: 'mixing', name: 'supervision' });
      if (running.ending) throw new Ended();
    }
    // With the leg: it moves from the call's bridge when it barged before.
    await ari.addToBridge(running.ids.helperBridge, o.withLeg ? [leg.id, running.ids.supervisorChannel] : [leg.id]);
  }
}
