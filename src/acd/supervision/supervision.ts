/**
 * A supervisor listens to, whispers to, or barges into an agent's live call.
 *
 *   start ─► originate the supervisor's endpoint (sup-<id>) ── ringing
 *              │ answered: its StasisStart (role:supervisor,<id>)
 *              ▼
 *            connecting ── listen/whisper: snoop the agent's channel (sup-<id>-snoop-<n>),
 *              │            wait for the snoop's StasisStart (adding it earlier is refused
 *              │            with 422), then a mixing bridge sup-<id> with the snoop and the
 *              │            leg; barge: the leg joins the call's bridge
 *              ▼
 *            active ── switchMode: a new snoop with the new directions, or the leg moved
 *              │        between the helper bridge and the call's (addChannel moves it, s14)
 *              ▼
 *            ends when the supervisor hangs up, stop() is called, or the call ends
 *
 * Nothing reaches the call before the supervisor has answered, and whichever side ends
 * first, the leg, the snoops and the helper bridge go with it. The call's end is heard from
 * the agent's channel (when its events reach this instance), from the snoop (Asterisk ends a
 * snoop whose target is gone), from the leg leaving the call's bridge, and — for a call owned
 * by another instance — from its talk record disappearing, checked every `checkEveryMs`.
 *
 * The supervisor's leg and the snoop live in this instance's app; the call's bridge may be
 * another instance's (bridges and channels are Asterisk's, not an app's).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { isAriError, isGone, type AriEvent, type AriEventOf } from '../../ari/index.js';
import { AcdError } from '../errors.js';
import { acdKeys, type AcdKeys } from '../keys.js';
import { SupervisionError } from './errors.js';
import {
  SNOOP_ROLE,
  SUPERVISION_CHANNEL_PREFIX,
  SUPERVISOR_ROLE,
  parseSupervisionChannel,
  supervisorAppArgs,
  supervisorCallerId,
  supervisionIds,
  type SupervisionMode,
} from './plan.js';
import { ChannelMoves, Ended } from './channel-moves.js';
import { RunningSupervision } from './running.js';
import { SupervisionStore, type SupervisionPhase, type SupervisionRecord } from './supervision-store.js';
import { readTalk, stillTalking } from './talk.js';
import type { StartSupervision, SupervisionActor, SupervisionChannels, SupervisionDeps, SupervisionEndReason } from './supervision-deps.js';
import { agentDialString } from '../agent-dial.js';

const RECORD_TTL_FACTOR = 6;

export class Supervision {
  private readonly running = new Map<string, RunningSupervision>();
  private readonly keys: AcdKeys;
  private readonly store: SupervisionStore;
  private readonly log: Logger;
  private readonly checkEveryMs: number;
  private channels: SupervisionChannels | null = null;
  private detach: (() => void) | null = null;
  private readonly ringTimeoutSeconds: number;
  private readonly moves: ChannelMoves;
  private readonly newId: () => string;
  private readonly now: () => number;

  constructor(private readonly deps: SupervisionDeps) {
    const checkEveryMs = deps.checkEveryMs ?? 5000;
    this.keys = acdKeys(deps.keyPrefix);
    // The record outlives a few missed renewals, not a dead instance.
    this.store = new SupervisionStore(deps.redis, deps.keyPrefix, Math.max(10, Math.ceil((checkEveryMs * RECORD_TTL_FACTOR) / 1000)));
    this.log = deps.log.child({ part: 'supervision' });
    this.ringTimeoutSeconds = deps.ringTimeoutSeconds ?? 30;
    this.moves = new ChannelMoves({ ari: deps.ari, snoopStartTimeoutMs: deps.snoopStartTimeoutMs ?? 5000, log: this.log });
    this.newId = deps.newId ?? randomUUID;
    this.now = deps.now ?? Date.now;
    this.checkEveryMs = checkEveryMs;
  }

  /**
   * Hears the supervisors' legs and snoops through the call registry, and starts checking
   * supervised calls. Until then no supervision starts: nobody would hear the leg answer.
   */
  attach(channels: SupervisionChannels): void {
    if (this.detach) return;
    channels.registerRole(SUPERVISOR_ROLE, (event, args) => this.supervisorAnswered(event, args));
    channels.registerRole(SNOOP_ROLE, (event, args) => this.snoopEntered(event, args));
    const unwatch = channels.watchChannels(SUPERVISION_CHANNEL_PREFIX, (event, channelId) => this.channelEvent(event, channelId));
    const timer = setInterval(() => void this.checkCalls(), this.checkEveryMs);
    timer.unref();
    this.channels = channels;
    this.detach = () => {
      clearInterval(timer);
      unwatch();
    };
  }

  /** Rings the supervisor; the call is joined once they answer. Resolves with the record (phase `ringing`). */
  async start(request: StartSupervision): Promise<SupervisionRecord> {
    const channels = this.channels;
    if (!channels) throw new SupervisionError('telephonyUnavailable', 'supervision is not attached to the call registry yet');
    const agent = await this.deps.agents.get(request.agentId);
    if (!agent) throw new AcdError('noSuchAgent', `no agent ${request.agentId}`);
    if (agent.state.kind !== 'on-call') throw new SupervisionError('agentNotOnCall', `agent ${request.agentId} is ${agent.state.kind}, not on a call`);
    const callId = agent.state.callId;
    const talk = await readTalk(this.deps.redis, this.keys, callId);
    if (!talk) throw new SupervisionError('callNotTalking', `call ${callId} of agent ${request.agentId} is not talking`);

    const running = new RunningSupervision(
      {
        id: this.newId(),
        mode: request.mode,
        agentId: request.agentId,
        callId,
        supervisorEndpoint: request.supervisorEndpoint,
        actor: request.actor.name,
        actorRole: request.actor.role,
        phase: 'ringing',
        app: this.deps.ari.app,
        startedAt: this.now(),
      },
      talk,
    );
    // Known before the originate: the leg's StasisStart may come before its HTTP answer.
    this.running.set(running.id, running);
    running.unwatchAgent = channels.watchChannels(talk.agentChannel, (event, channelId) => {
      if (channelId === talk.agentChannel) this.agentEvent(running, event);
    });
    try {
      await this.store.save(running.record);
      await this.deps.ari.originate({
        endpoint: agentDialString(request.supervisorEndpoint, this.deps.agentsVia),
        channelId: running.ids.supervisorChannel,
        callerId: supervisorCallerId(request.mode, request.agentId),
        timeoutSeconds: this.ringTimeoutSeconds,
        appArgs: supervisorAppArgs(running.id),
      });
    } catch (err) {
      await this.end(running, 'failed');
      throw originateRefusal(err, request.supervisorEndpoint);
    }
    this.audit('supervision.start', running.record, request.actor);
    return { ...running.record };
  }

  /**
   * Listen, whisper and barge into one another on a running supervision, without ringing
   * the supervisor again. While it rings, the mode it will join in is changed.
   */
  async switchMode(supervisionId: string, mode: SupervisionMode, actor: SupervisionActor): Promise<SupervisionRecord> {
    const running = await this.local(supervisionId);
    if (running.record.mode === mode) return { ...running.record };
    if (running.busy) throw new SupervisionError('supervisionBusy', `supervision ${supervisionId} is joining the call or switching; try again`);
    const from = running.record.mode;
    this.audit('supervision.switch', { ...running.record, mode }, actor, { from });
    // Set before any move: the leg leaving the call's bridge on its way out of a barge is no end.
    running.record.mode = mode;
    this.store.update(running.id, { mode }).catch((err: unknown) => this.log.warn({ err, supervisionId }, 'could not store the supervision mode'));
    if (running.record.phase === 'ringing') return { ...running.record };
    running.busy = true;
    try {
      await this.moves.move(running, from, mode);
    } catch (err) {
      await this.failed(running, err);
      if (err instanceof Ended) throw new SupervisionError('noSuchSupervision', `supervision ${supervisionId} ended while switching to ${mode}`);
      if (isGone(err) || isAriError(err, 'ari:unprocessable')) throw new SupervisionError('callNotTalking', `the call of supervision ${supervisionId} ended while switching to ${mode}`);
      throw telephonyRefusal(err);
    } finally {
      running.busy = false;
    }
    this.log.info({ supervisionId, callId: running.record.callId, from, to: mode }, 'supervision switched');
    return { ...running.record };
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
      // Its instance went with its leg: nothing else will remove the record and the helper
      // bridge. (Its snoop, if any, ends with the agent's channel.)
      await this.moves.quietly(this.deps.ari.destroyBridge(ids.helperBridge));
      await this.store.remove(supervisionId);
    }
  }

  /** Every supervision running on any instance, oldest first. */
  list(): Promise<SupervisionRecord[]> {
    return this.store.list();
  }

  /** The supervisions this instance runs (their phase as of now). */
  runningHere(): SupervisionRecord[] {
    return [...this.running.values()].map((r) => ({ ...r.record }));
  }

  /** Ends this instance's supervisions and stops listening (before the ARI port closes: the legs are hung up). */
  async close(): Promise<void> {
    this.detach?.();
    this.detach = null;
    this.channels = null;
    await Promise.all([...this.running.values()].map((r) => this.end(r, 'shutdown')));
  }

  private async local(supervisionId: string): Promise<RunningSupervision> {
    const running = this.running.get(supervisionId);
    if (running) return running;
    const record = await this.store.get(supervisionId);
    if (record) throw new SupervisionError('runsElsewhere', `supervision ${supervisionId} runs on the instance of app ${record.app}`);
    throw new SupervisionError('noSuchSupervision', `no supervision ${supervisionId}`);
  }

  private supervisorAnswered(event: AriEventOf<'StasisStart'>, args: string[]): void {
    const running = this.running.get(args[0] ?? '');
    if (!running || running.ending || event.channel.id !== running.ids.supervisorChannel) {
      // A leg of a supervision that ended while it rang (or of a restarted instance): not wanted.
      void this.moves.quietly(this.deps.ari.hangup(event.channel.id));
      return;
    }
    void this.connect(running);
  }

  private snoopEntered(event: AriEventOf<'StasisStart'>, args: string[]): void {
    const running = this.running.get(args[0] ?? '');
    if (!running || running.ending || event.channel.id !== running.snoop?.id) {
      void this.moves.quietly(this.deps.ari.hangup(event.channel.id));
      return;
    }
    running.snoop.markEntered();
  }

  private async connect(running: RunningSupervision): Promise<void> {
    running.busy = true;
    try {
      // The record gone: a stop on another instance came while the leg was being placed (its
      // hangup found no leg yet, so it removed the record). The supervisor joins nothing then.
      if (!(await this.setPhase(running, 'connecting'))) {
        if (!running.ending) await this.end(running, 'stopped');
        return;
      }
      await this.moves.join(running);
    } catch (err) {
      await this.failed(running, err);
      return;
    } finally {
      running.busy = false;
    }
    void this.setPhase(running, 'active');
    const { record } = running;
    this.log.info({ supervisionId: record.id, callId: record.callId, agentId: record.agentId, mode: record.mode }, 'supervisor joined the call');
  }

  /** A join or switch failed: ended meanwhile, what it made goes now; otherwise the supervision ends. */
  private async failed(running: RunningSupervision, err: unknown): Promise<void> {
    if (running.ending) return this.moves.cleanUp(running);
    // The agent's channel or the call's bridge gone: the call ended under the supervision.
    const reason = isGone(err) || isAriError(err, 'ari:unprocessable') ? 'call-ended' : 'failed';
    this.log.warn({ err, supervisionId: running.id, callId: running.record.callId, mode: running.record.mode }, 'could not join the supervisor to the call');
    await this.end(running, reason);
  }

  private channelEvent(event: AriEvent, channelId: string): void {
    const parsed = parseSupervisionChannel(channelId);
    const running = parsed && this.running.get(parsed.supervisionId);
    if (!running || running.ending) return;
    if (parsed.snoop) {
      // Asterisk ends a snoop whose target went: the call is over. (Snoops hung up on a switch are no longer current.)
      if (channelId === running.snoop?.id && (event.type === 'ChannelHangupRequest' || event.type === 'StasisEnd')) void this.end(running, 'call-ended');
      return;
    }
    // Only the id given: a Local leg's `;2` half has events of its own.
    if (channelId !== running.ids.supervisorChannel) return;
    if (event.type === 'ChannelHangupRequest' || event.type === 'StasisEnd' || event.type === 'ChannelDestroyed') {
      void this.end(running, running.record.phase === 'ringing' ? 'not-answered' : 'supervisor-hung-up');
    } else if (event.type === 'ChannelLeftBridge' && event.bridge.id === running.talk.bridge && running.record.mode === 'barge' && !running.busy) {
      // The call's bridge destroyed under the barging supervisor: the call ended.
      void this.end(running, 'call-ended');
    }
  }

  private agentEvent(running: RunningSupervision, event: AriEvent): void {
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

  private async end(running: RunningSupervision, reason: SupervisionEndReason): Promise<void> {
    if (running.ending) return;
    running.ending = true;
    this.running.delete(running.id);
    running.unwatchAgent();
    running.snoop?.markEntered();
    const { record } = running;
    this.log.info({ supervisionId: record.id, callId: record.callId, agentId: record.agentId, mode: record.mode, actor: record.actor, reason }, 'supervision ended');
    await Promise.all([
      this.moves.cleanUp(running),
      this.store.remove(record.id).catch((err: unknown) => this.log.warn({ err, supervisionId: record.id }, 'could not remove the supervision record')),
    ]);
  }

  /** False when the record is gone from Redis; a store failure is logged and counts as kept. */
  private async setPhase(running: RunningSupervision, phase: SupervisionPhase): Promise<boolean> {
    running.record.phase = phase;
    try {
      return await this.store.update(running.id, { phase });
    } catch (err) {
      this.log.warn({ err, supervisionId: running.id }, 'could not store the supervision phase');
      return true;
    }
  }

  /** Who did what to whose call: every action names its actor. */
  private audit(action: string, record: SupervisionRecord, actor: SupervisionActor, extra: Record<string, unknown> = {}): void {
    this.log.info(
      {
        audit: true,
        action,
        actor: actor.name,
        role: actor.role,
        supervisionId: record.id,
        mode: record.mode,
        agentId: record.agentId,
        callId: record.callId,
        supervisorEndpoint: record.supervisorEndpoint,
        ...extra,
      },
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
