/**
 * A supervisor listens to, whispers to, or barges into an agent's live call.
 *
 *   start ─► originate the supervisor's endpoint (sup-<id>) ── ringing
 *              │ answered: its StasisStart (role:supervisor,<id>)
 *              ▼
 *            connecting ── listen/whisper: snoop the agent's channel (sup-<id>-snoop), wait
 *              │            for the snoop's StasisStart (adding it earlier is refused with
 *              │            422), then a mixing bridge sup-<id> with the snoop and the leg;
 *              │            barge: the leg joins the call's bridge
 *              ▼
 *            active ── ends when the supervisor hangs up, stop() is called, or the call ends
 *
 * Nothing reaches the call before the supervisor has answered, and whichever side ends
 * first, the leg, the snoop and the helper bridge go with it. The call's end is heard from
 * the agent's channel (when its events reach this instance), from the snoop (Asterisk ends a
 * snoop whose target is gone), from the leg leaving the call's bridge, and — for a call owned
 * by another instance — from its talk record disappearing, checked every `checkEveryMs`.
 *
 * The supervisor's leg and the snoop live in this instance's app; the call's bridge may be
 * another instance's (bridges and channels are Asterisk's, not an app's).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { isAriError, isGone, type AriEvent, type AriEventOf, type AriPort } from '../../ari/index.js';
import { withTimeout } from '../../shared/with-timeout.js';
import type { AgentStore } from '../agent-store.js';
import { AcdError } from '../errors.js';
import { acdKeys, type AcdKeys } from '../keys.js';
import { SupervisionError } from './errors.js';
import {
  SNOOP_ROLE,
  SUPERVISION_CHANNEL_PREFIX,
  SUPERVISOR_ROLE,
  snoopFor,
  supervisionIds,
  supervisorAppArgs,
  supervisorCallerId,
  type SupervisionIds,
  type SupervisionMode,
} from './plan.js';
import { SupervisionStore, type SupervisionPhase, type SupervisionRecord } from './supervision-store.js';
import { readTalk, stillTalking, type CallTalk } from './talk.js';

/** The registry's hooks for channels the service makes itself (CallRegistry has both). */
export interface SupervisionChannels {
  registerRole(role: string, handler: (event: AriEventOf<'StasisStart'>, args: string[]) => void): void;
  watchChannels(prefix: string, listener: (event: AriEvent, channelId: string) => void): () => void;
}

export interface SupervisionActor {
  name: string;
  role: string;
}

export interface StartSupervision {
  mode: SupervisionMode;
  agentId: string;
  /** Rung first, e.g. `PJSIP/1101`. */
  supervisorEndpoint: string;
  actor: SupervisionActor;
}

export type SupervisionEndReason = 'stopped' | 'supervisor-hung-up' | 'not-answered' | 'call-ended' | 'failed' | 'shutdown';

export interface SupervisionDeps {
  ari: AriPort;
  agents: Pick<AgentStore, 'get'>;
  redis: Redis;
  keyPrefix: string;
  channels: SupervisionChannels;
  log: Logger;
  /** How long the supervisor's phone rings before Asterisk gives up. */
  ringTimeoutSeconds?: number;
  /** How often the talk records of supervised calls are checked and the Redis records renewed. */
  checkEveryMs?: number;
  /** How long a snoop may take to enter the app before the supervision is given up. */
  snoopStartTimeoutMs?: number;
  newId?: () => string;
  now?: () => number;
}

interface Running {
  record: SupervisionRecord;
  ids: SupervisionIds;
  talk: CallTalk;
  ending: boolean;
  snoopStarted: Promise<void>;
  markSnoopStarted: () => void;
  unwatchAgent: () => void;
}

const RECORD_TTL_FACTOR = 6;

export class Supervision {
  private readonly running = new Map<string, Running>();
  private readonly keys: AcdKeys;
  private readonly store: SupervisionStore;
  private readonly log: Logger;
  private readonly unwatch: () => void;
  private readonly checkTimer: NodeJS.Timeout;
  private readonly ringTimeoutSeconds: number;
  private readonly snoopStartTimeoutMs: number;
  private readonly newId: () => string;
  private readonly now: () => number;

  constructor(private readonly deps: SupervisionDeps) {
    const checkEveryMs = deps.checkEveryMs ?? 5000;
    this.keys = acdKeys(deps.keyPrefix);
    // The record outlives a few missed renewals, not a dead instance.
    this.store = new SupervisionStore(deps.redis, deps.keyPrefix, Math.max(10, Math.ceil((checkEveryMs * RECORD_TTL_FACTOR) / 1000)));
    this.log = deps.log.child({ part: 'supervision' });
    this.ringTimeoutSeconds = deps.ringTimeoutSeconds ?? 30;
    this.snoopStartTimeoutMs = deps.snoopStartTimeoutMs ?? 5000;
    this.newId = deps.newId ?? randomUUID;
    this.now = deps.now ?? Date.now;
    deps.channels.registerRole(SUPERVISOR_ROLE, (event, args) => this.supervisorAnswered(event, args));
    deps.channels.registerRole(SNOOP_ROLE, (event, args) => this.snoopStarted(event, args));
    this.unwatch = deps.channels.watchChannels(SUPERVISION_CHANNEL_PREFIX, (event, channelId) => this.channelEvent(event, channelId));
    this.checkTimer = setInterval(() => void this.checkCalls(), checkEveryMs);
    this.checkTimer.unref();
  }

  /** Rings the supervisor; the call is joined once they answer. Resolves with the record (phase `ringing`). */
  async start(request: StartSupervision): Promise<SupervisionRecord> {
    const agent = await this.deps.agents.get(request.agentId);
    if (!agent) throw new AcdError('noSuchAgent', `no agent ${request.agentId}`);
    if (agent.state.kind !== 'on-call') throw new SupervisionError('agentNotOnCall', `agent ${request.agentId} is ${agent.state.kind}, not on a call`);
    const callId = agent.state.callId;
    const talk = await readTalk(this.deps.redis, this.keys, callId);
    if (!talk) throw new SupervisionError('callNotTalking', `call ${callId} of agent ${request.agentId} is not talking`);

    const id = this.newId();
    const record: SupervisionRecord = {
      id,
      mode: request.mode,
      agentId: request.agentId,
      callId,
      supervisorEndpoint: request.supervisorEndpoint,
      actor: request.actor.name,
      actorRole: request.actor.role,
      phase: 'ringing',
      app: this.deps.ari.app,
      startedAt: this.now(),
    };
    let markSnoopStarted = (): void => undefined;
    const snoopStarted = new Promise<void>((resolve) => (markSnoopStarted = resolve));
    const running: Running = { record, ids: supervisionIds(id), talk, ending: false, snoopStarted, markSnoopStarted, unwatchAgent: () => undefined };
    // Known before the originate: the leg's StasisStart may come before its HTTP answer.
    this.running.set(id, running);
    running.unwatchAgent = this.deps.channels.watchChannels(talk.agentChannel, (event, channelId) => {
      if (channelId === talk.agentChannel) this.agentEvent(running, event);
    });
    try {
      await this.store.save(record);
      await this.deps.ari.originate({
        endpoint: request.supervisorEndpoint,
        channelId: running.ids.supervisorChannel,
        callerId: supervisorCallerId(request.mode, request.agentId),
        timeoutSeconds: this.ringTimeoutSeconds,
        appArgs: supervisorAppArgs(id),
      });
    } catch (err) {
      await this.end(running, 'failed');
      throw originateRefusal(err, request.supervisorEndpoint);
    }
    this.audit('supervision.start', record, request.actor);
    return { ...record };
  }

  /**
   * Ends a supervision: hangs up the supervisor's leg; the snoop and the helper bridge go
   * with it. One run by another instance ends there, when its leg's hangup reaches it.
   */
  async stop(supervisionId: string, actor: SupervisionActor): Promise<void> {
    const running = this.running.get(supervisionId);
    if (running) {
      this.audit('supervision.stop', running.record, actor);
      await this.end(running, 'stopped');
      return;
    }
    const record = await this.store.get(supervisionId);
    if (!record) throw new SupervisionError('noSuchSupervision', `no supervision ${supervisionId}`);
    this.audit('supervision.stop', record, actor);
    const ids = supervisionIds(supervisionId);
    try {
      await this.deps.ari.hangup(ids.supervisorChannel);
    } catch (err) {
      if (!isGone(err)) throw telephonyRefusal(err);
      // Its instance is gone with its leg: nothing will remove the record but us.
      await Promise.all([this.quietly(this.deps.ari.hangup(ids.snoopChannel)), this.quietly(this.deps.ari.destroyBridge(ids.helperBridge))]);
      await this.store.remove(supervisionId);
    }
  }

  /** Every supervision running on any instance, oldest first. */
  list(): Promise<SupervisionRecord[]> {
    return this.store.list();
  }

  /** The supervisions this instance runs (their phase as of now). */
  local(): SupervisionRecord[] {
    return [...this.running.values()].map((r) => ({ ...r.record }));
  }

  /** Ends this instance's supervisions and stops listening. */
  async close(): Promise<void> {
    clearInterval(this.checkTimer);
    this.unwatch();
    await Promise.all([...this.running.values()].map((r) => this.end(r, 'shutdown')));
  }

  private supervisorAnswered(event: AriEventOf<'StasisStart'>, args: string[]): void {
    const running = this.running.get(args[0] ?? '');
    if (!running || running.ending || event.channel.id !== running.ids.supervisorChannel) {
      // A leg of a supervision that ended while it rang (or of a restarted instance): not wanted.
      void this.quietly(this.deps.ari.hangup(event.channel.id));
      return;
    }
    void this.connect(running);
  }

  private snoopStarted(event: AriEventOf<'StasisStart'>, args: string[]): void {
    const running = this.running.get(args[0] ?? '');
    if (!running || running.ending || event.channel.id !== running.ids.snoopChannel) {
      void this.quietly(this.deps.ari.hangup(event.channel.id));
      return;
    }
    running.markSnoopStarted();
  }

  private async connect(running: Running): Promise<void> {
    const { ari } = this.deps;
    const { record, ids, talk } = running;
    this.setPhase(running, 'connecting');
    try {
      const snoop = snoopFor(record.mode, record.id);
      if (!snoop) {
        await ari.addToBridge(talk.bridge, [ids.supervisorChannel]);
      } else {
        await ari.snoop(talk.agentChannel, snoop);
        await withTimeout(running.snoopStarted, this.snoopStartTimeoutMs, 'the snoop entering the app');
        if (running.ending) return await this.cleanUp(running);
        await ari.createBridge({ bridgeId: ids.helperBridge, type: 'mixing', name: `supervision-${record.mode}` });
        if (running.ending) return await this.cleanUp(running);
        await ari.addToBridge(ids.helperBridge, [ids.snoopChannel, ids.supervisorChannel]);
      }
    } catch (err) {
      // Ended meanwhile: what was made after the end's clean-up goes now.
      if (running.ending) return await this.cleanUp(running);
      // The agent's channel or the call's bridge gone: the call ended while the supervisor answered.
      const reason = isGone(err) || isAriError(err, 'ari:unprocessable') ? 'call-ended' : 'failed';
      this.log.warn({ err, supervisionId: record.id, callId: record.callId }, 'could not join the supervisor to the call');
      await this.end(running, reason);
      return;
    }
    if (running.ending) return await this.cleanUp(running);
    this.setPhase(running, 'active');
    this.log.info({ supervisionId: record.id, callId: record.callId, agentId: record.agentId, mode: record.mode }, 'supervisor joined the call');
  }

  private channelEvent(event: AriEvent, channelId: string): void {
    const rest = channelId.slice(SUPERVISION_CHANNEL_PREFIX.length);
    const isSnoop = rest.endsWith('-snoop');
    const running = this.running.get(isSnoop ? rest.slice(0, -'-snoop'.length) : rest);
    if (!running || running.ending) return;
    // Only the ids given: a Local leg's `;2` half has events of its own.
    if (channelId !== (isSnoop ? running.ids.snoopChannel : running.ids.supervisorChannel)) return;
    if (isSnoop) {
      // Asterisk ends a snoop whose target went: the call is over.
      if (event.type === 'ChannelHangupRequest' || event.type === 'StasisEnd') void this.end(running, 'call-ended');
      return;
    }
    if (event.type === 'ChannelHangupRequest' || event.type === 'StasisEnd' || event.type === 'ChannelDestroyed') {
      void this.end(running, running.record.phase === 'ringing' ? 'not-answered' : 'supervisor-hung-up');
    } else if (event.type === 'ChannelLeftBridge' && event.bridge.id === running.talk.bridge) {
      void this.end(running, 'call-ended');
    }
  }

  private agentEvent(running: Running, event: AriEvent): void {
    const gone = event.type === 'ChannelHangupRequest' || event.type === 'StasisEnd' || event.type === 'ChannelDestroyed';
    const leftCall = event.type === 'ChannelLeftBridge' && event.bridge.id === running.talk.bridge;
    if (gone || leftCall) void this.end(running, 'call-ended');
  }

  /** The talk records of supervised calls (a call owned by another instance ends out of sight); renews the records. */
  private async checkCalls(): Promise<void> {
    const all = [...this.running.values()];
    if (all.length === 0) return;
    try {
      const talking = await stillTalking(this.deps.redis, this.keys, all.map((r) => r.record.callId));
      await Promise.all(all.filter((r) => !talking.has(r.record.callId)).map((r) => this.end(r, 'call-ended')));
      await this.store.renew([...this.running.keys()]);
    } catch (err) {
      this.log.warn({ err }, 'could not check the supervised calls');
    }
  }

  private async end(running: Running, reason: SupervisionEndReason): Promise<void> {
    if (running.ending) return;
    running.ending = true;
    this.running.delete(running.record.id);
    running.unwatchAgent();
    running.markSnoopStarted();
    const { record } = running;
    this.log.info({ supervisionId: record.id, callId: record.callId, agentId: record.agentId, mode: record.mode, actor: record.actor, reason }, 'supervision ended');
    await Promise.all([
      this.cleanUp(running),
      this.store.remove(record.id).catch((err: unknown) => this.log.warn({ err, supervisionId: record.id }, 'could not remove the supervision record')),
    ]);
  }

  /** Hangs up the leg and the snoop, destroys the helper bridge: each may be gone already. */
  private async cleanUp(running: Running): Promise<void> {
    const { ari } = this.deps;
    const { ids, record } = running;
    const work = [this.quietly(ari.hangup(ids.supervisorChannel))];
    if (record.mode !== 'barge') work.push(this.quietly(ari.hangup(ids.snoopChannel)), this.quietly(ari.destroyBridge(ids.helperBridge)));
    await Promise.all(work);
  }

  private setPhase(running: Running, phase: SupervisionPhase): void {
    running.record.phase = phase;
    this.store.setPhase(running.record.id, phase).catch((err: unknown) => this.log.warn({ err, supervisionId: running.record.id }, 'could not store the supervision phase'));
  }

  private async quietly(request: Promise<unknown>): Promise<void> {
    try {
      await request;
    } catch (err) {
      if (!isGone(err)) this.log.warn({ err }, 'supervision clean-up request failed');
    }
  }

  /** Who did what to whose call: every action names its actor. */
  private audit(action: string, record: SupervisionRecord, actor: SupervisionActor): void {
    this.log.info(
      { audit: true, action, actor: actor.name, role: actor.role, supervisionId: record.id, mode: record.mode, agentId: record.agentId, callId: record.callId, supervisorEndpoint: record.supervisorEndpoint },
      'supervision action',
    );
  }
}

function originateRefusal(err: unknown, endpoint: string): Error {
  if (isAriError(err, 'ari:server-error') || isAriError(err, 'ari:bad-request') || isAriError(err, 'ari:not-found')) {
    return new SupervisionError('supervisorUnreachable', `cannot call ${endpoint}: ${err.message}`);
  }
  return telephonyRefusal(err);
}

function telephonyRefusal(err: unknown): Error {
  if (isAriError(err)) return new SupervisionError('telephonyUnavailable', err.message);
  return err instanceof Error ? err : new Error(String(err));
}
