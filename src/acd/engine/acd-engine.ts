/**
 * The ACD at work on one service instance: it takes callers from the IVR's queue nodes,
 * routes (any instance's) waiting calls to agents, hears the agent legs of its own callers,
 * publishes every agent change, and sweeps agents on whom time acts.
 *
 * Nothing here waits on Redis before a call is answered: the IVR answered long before a
 * queue node is reached, and a failed enqueue hands the caller to the dialplan's queue.
 */
import type { Logger } from 'pino';
import type { AriEvent, AriEventOf, AriPort } from '../../ari/index.js';
import { isGone } from '../../ari/index.js';
import { unseenEndEventId, type CallContext, type CallRegistry, type DomainEventBus, type FlowResult } from '../../calls/index.js';
import { releaseGoneCaller, releaseQueued } from './gone-callers.js';
import { withTimeout } from '../../shared/with-timeout.js';
import type { AcdCore } from '../acd-core.js';
import type { AgentStateChanged } from '../agent-events.js';
import type { CallbackStore } from '../callbacks/callback-store.js';
import type { CallbackScheduler } from '../ports/callback-scheduler.js';
import type { AcdStatsRecorder } from '../ports/stats-recorder.js';
import type { PickedCall } from '../router.js';
import { AgentSweeper } from './agent-sweeper.js';
import { Dispatcher } from './dispatcher.js';
import { HoldTimes } from './hold-time.js';
import { CallbackCall, CALLBACK_CITIZEN_ROLE } from './callback-call.js';
import { CallbackDialer } from './callback-dialer.js';
import { callIdOfLeg, CALLBACK_CITIZEN_PREFIX, OFFER_PREFIX } from './offer-ids.js';
import type { QueuedParty } from './queued-party.js';
import type { TalkRecords } from './engine-parts.js';
import { AGENT_ROLE, ringAgent, type OffererDeps } from './offerer.js';
import { AcdError } from '../errors.js';
import type { EmergencyDialer } from '../ports/emergency-dialer.js';
import { WaitingCall } from './waiting-call.js';
import { agentHoldWatcher } from './agent-hold.js';
import type { ResumedWait, ServeRequest } from './waiting-call-deps.js';
import type { QueueConfig } from '../config-schema.js';
import { takeOver } from './call-resume.js';
import type { EmergencyTransferResult } from './third-party.js';
import { AgentTransfers, type HandOn, type TransferResult, type TransferTarget } from './agent-transfer.js';
import { redisTalkRecords } from './talk-records.js';
import { UnstoredChanges } from './unstored-changes.js';
import { RedisReturn } from './redis-return.js';

/** How long a caller may wait for Redis to take them before the dialplan's queue does. */
const ENQUEUE_TIMEOUT_MS = 1500;

export type ServeResult = { taken: true; result: FlowResult } | { taken: false; reason: string };

export interface AcdEngineDeps extends Pick<OffererDeps, 'handOff'> {
  core: AcdCore;
  ari: AriPort;
  bus: DomainEventBus;
  log: Logger;
  stats?: AcdStatsRecorder;
  callbacks?: CallbackScheduler;
  /** Claims and places due callbacks (missed calls, virtual hold); absent: none are placed here. */
  callbackStore?: CallbackStore;
  /** Told of every agent change after it is published (the wallboard's push). */
  onAgentChange?: (event: AgentStateChanged) => void;
  now?: () => number;
  /** Routing and sweeping tick; 1 s by default. */
  tickMs?: number;
}

export class AcdEngine {
  /** Callers and callback reservations this instance holds in the ACD, by call (or job) id. */
  private readonly waiting = new Map<string, QueuedParty>();
  private readonly dialer: CallbackDialer | undefined;
  private readonly dispatcher: Dispatcher;
  private readonly sweeper: AgentSweeper;
  private readonly holdTimes: HoldTimes;
  private readonly transfers: AgentTransfers;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly offered = new Set<string>();
  /** Calls being taken over after a restart (resume), until their wait is known here. */
  private readonly resuming = new Map<string, Promise<void>>();
  private emergency: EmergencyDialer | undefined;
  /** Writes Redis did not take while away (read by operators' tools and tests), written when it returns (redis-return.ts). */
  readonly unstored: UnstoredChanges;
  private readonly redisReturn: RedisReturn;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly deps: AcdEngineDeps) {
    const { core } = deps;
    this.now = deps.now ?? Date.now;
    this.log = deps.log.child({ part: 'acd' });
    this.unstored = new UnstoredChanges(this.log);
    this.holdTimes = new HoldTimes(core.redis, (queue) => core.keys.holdTime(queue));
    const changed = (event: AgentStateChanged): void => this.changed(event);
    this.transfers = new AgentTransfers({ core, now: this.now, changed });
    this.dispatcher = new Dispatcher(core.router, Object.keys(core.config.queues), (picked) => this.offer(picked), this.now, this.log, deps.tickMs ?? 1000);
    this.dialer = deps.callbackStore
      ? new CallbackDialer({
          config: core.config,
          store: deps.callbackStore,
          ari: deps.ari,
          agents: core.agents,
          calls: core.calls,
          talk: this.talkStore(),
          now: this.now,
          changed,
          register: (jobId, party) => {
            this.waiting.set(jobId, party);
            return () => {
              if (this.waiting.get(jobId) === party) this.waiting.delete(jobId);
            };
          },
          route: () => this.dispatcher.kick(),
          attempted: (callId, data) => void this.deps.bus.publish('call.callback', callId, data, 0),
          log: this.log,
          everyMs: Math.max(deps.tickMs ?? 1000, 1000),
        })
      : undefined;
    this.sweeper = new AgentSweeper({ redis: core.redis, keys: core.keys, config: core.config, agents: core.agents, calls: core.calls, now: this.now, changed, log: this.log, hearsAsterisk: () => deps.ari.isConnected() }, deps.tickMs ?? 1000);
    const held = () => [...this.waiting.values()].filter((w): w is WaitingCall => w instanceof WaitingCall);
    this.redisReturn = new RedisReturn({ core, ari: deps.ari, unstored: this.unstored, held, talk: this.talkStore(), changed, route: () => this.dispatcher.kick(), log: this.log, now: this.now }, deps.tickMs ?? 1000);
  }

  /** Starts routing; the registry hands the engine its agent legs. */
  start(registry: CallRegistry): void {
    const handled = (work: Promise<void>, channelId: string): void => {
      work.catch((err: unknown) => this.log.error({ err, channelId }, 'a leg of the ACD was not handled'));
    };
    registry.registerRole(AGENT_ROLE, (event, args) => handled(this.agentLegEntered(event, args), event.channel.id));
    registry.registerRole(CALLBACK_CITIZEN_ROLE, (event, args) => handled(this.citizenLegEntered(event, args), event.channel.id));
    this.unsubscribe.push(
      registry.watchChannels(OFFER_PREFIX, (event, channelId) => this.offerLegEvent(event, channelId)),
      registry.watchChannels(CALLBACK_CITIZEN_PREFIX, (event, channelId) => this.citizenLegEvent(event, channelId)),
      registry.watchChannels(OFFER_PREFIX, agentHoldWatcher({ ari: this.deps.ari, musicClass: this.deps.core.config.musicClass, log: this.log, now: this.now })),
    );
    // A caller who hung up while no run of this app watched: what the ACD held for them is let go.
    this.unsubscribe.push(this.deps.bus.on('call.ended', (event) => {
      if (event.id !== unseenEndEventId(event.callId)) return;
      void releaseGoneCaller({ ...this.deps, changed: (e) => this.changed(e), now: this.now }, event.callId).then(
        (held) => held && this.log.info({ callId: event.callId, held }, 'the ACD lets go of a caller who left while no service ran'),
        (err: unknown) => this.log.warn({ err, callId: event.callId }, 'could not let go of a caller who left while no service ran'),
      );
    }));
    this.dispatcher.start();
    this.sweeper.start();
    this.redisReturn.start();
    this.dialer?.start();
  }

  async stop(): Promise<void> {
    this.dispatcher.stop();
    this.sweeper.stop();
    this.redisReturn.stop();
    await this.dialer?.stop();
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /** The emergency linkage an agent's transfer dials through (wired when the config has routes). */
  useEmergency(dialer: EmergencyDialer): void {
    this.emergency = dialer;
  }

  /**
   * An agent puts the caller they talk to through to an emergency route (blind or three-way).
   * Done by the instance holding the caller; another instance's call is refused with a code
   * that says so.
   */
  async emergencyTransfer(agentId: string, route: string, mode: 'blind' | 'three-way'): Promise<EmergencyTransferResult> {
    const dialer = this.dialerFor(route);
    return (await this.callOf(agentId)).emergencyTransfer(dialer, route, mode);
  }

  /** The agent calls a handling unit or utility (a route) about the call, the caller on hold or on the line. */
  async consult(agentId: string, route: string, callerOnHold: boolean): Promise<EmergencyTransferResult> {
    const dialer = this.dialerFor(route);
    return (await this.callOf(agentId)).consult(dialer, route, callerOnHold);
  }

  /** The held caller joins the agent and the unit. */
  async joinConsultation(agentId: string): Promise<void> {
    return (await this.callOf(agentId)).joinCaller();
  }

  /** The unit is let go; the caller is back with the agent. */
  async endConsultation(agentId: string): Promise<void> {
    return (await this.callOf(agentId)).endConsultation();
  }

  /** The agent hands the caller on, blind, to a queue or a named ready agent (agent-transfer.ts); `by` who asked. */
  async transfer(agentId: string, to: TransferTarget, by = agentId): Promise<TransferResult> {
    return this.transfers.handOn(await this.callOf(agentId), agentId, to, by);
  }

  private dialerFor(route: string): EmergencyDialer {
    const dialer = this.emergency;
    if (!dialer) throw new AcdError('unknownRoute', 'no emergency routes are configured (emergency.routes)');
    if (!dialer.hasRoute(route)) throw new AcdError('unknownRoute', `unknown route "${route}" (not in emergency.routes)`);
    return dialer;
  }

  /** The call the agent talks on, held by this instance; refusals say why not. */
  private async callOf(agentId: string): Promise<WaitingCall> {
    const here = [...this.waiting.values()].find((w): w is WaitingCall => w instanceof WaitingCall && w.talkingAgent === agentId);
    if (here) return here;
    const agent = await this.deps.core.agents.get(agentId);
    if (!agent) throw new AcdError('noSuchAgent', `no agent ${agentId}`);
    if (agent.state.kind !== 'on-call') throw new AcdError('notOnCall', `agent ${agentId} is ${agent.state.kind}, not on a call`);
    throw new AcdError('callElsewhere', `the call of agent ${agentId} is held by another service instance`);
  }

  /** Places the callbacks due now rather than on the next tick (tests). */
  placeCallbacks(): Promise<void> {
    return this.dialer?.tick() ?? Promise.resolve();
  }

  /** Routes now (an agent got ready through the API, a callback was queued …). */
  route(): void {
    this.dispatcher.kick();
  }

  /** Sweeps agents now rather than on the next tick (tests, and after a reconnect). */
  sweep(): Promise<void> {
    return this.sweeper.sweep();
  }

  /** Callers this instance holds in its queues now. */
  get waitingHere(): number {
    return [...this.waiting.values()].filter((w) => w.isWaiting && w instanceof WaitingCall).length;
  }

  /** Publishes an agent's change and routes when the agent can take a call. */
  changed(event: AgentStateChanged): void {
    const { agentId, from, to, reason, callId, queue, version } = event;
    this.deps.bus.publish('agent.state-changed', `agent:${agentId}`, { agentId, from, to, reason, callId, queue, version }, version);
    this.deps.onAgentChange?.(event);
    if (to === 'ready') this.dispatcher.kick();
  }

  /**
   * Keeps the caller in the ACD until the call ends, or says it could not take them (Redis
   * unreachable, unknown queue): then the caller goes to the dialplan's queue, never to silence.
   */
  async serve(call: CallContext, request: ServeRequest, from?: HandOn): Promise<ServeResult> {
    const { config, calls } = this.deps.core;
    let queueName = request.queue;
    let skill = request.skill;
    let moved = from;
    for (let moves = 0; ; moves++) {
      const queue = config.queues[queueName];
      if (!queue) return { taken: false, reason: `unknown queue "${queueName}"` };
      const enqueuedAt = this.now();
      const stats = this.transfers.statsOf(call.callId, this.deps.stats, moved);
      const waiting = this.waitingCall(call, { ...request, queue: queueName, skill }, queue, enqueuedAt, stats);
      // Known here before Redis has it: another instance may pick it and ring an agent at once.
      this.waiting.set(call.callId, waiting);
      const place = moved?.place ?? { callId: call.callId, queue: queueName, skill, priority: request.priority, enqueuedAt, app: this.deps.ari.app, caller: call.caller.number };
      try {
        await withTimeout(moved ? this.transfers.enter(moved) : calls.enqueue(place), ENQUEUE_TIMEOUT_MS, 'enqueue');
      } catch (err) {
        this.waiting.delete(call.callId);
        this.transfers.left(call.callId);
        call.log.error({ err, queue: queueName }, 'the ACD could not take the call');
        if (moves === 0) return { taken: false, reason: err instanceof Error ? err.message : String(err) };
        return { taken: true, result: await request.fallback() };
      }
      this.transfers.entered(place, moved);
      call.noteQueue({ queue: queueName, enqueuedAt: new Date(enqueuedAt).toISOString(), priority: request.priority, offeredTo: [], ...(moved && this.transfers.noteOf(call.callId)) });
      call.publish('call.queued', { queue: queueName, skill, priority: request.priority });
      void stats?.queued(queueName, enqueuedAt).catch(() => undefined);
      // A named agent's offer was reserved by the transfer: their phone rings now the caller waits here.
      if (moved?.offer && !call.signal.aborted) this.offer(moved.offer);
      else this.dispatcher.kick();
      const end = await waiting.run().finally(() => this.waiting.delete(call.callId));
      if ('result' in end) {
        this.transfers.left(call.callId);
        return { taken: true, result: end.result };
      }
      moved = end.transfer;
      call.publish('call.transferred', moved?.event ?? { target: `queue:${end.movedTo}`, kind: 'queue', by: 'acd' });
      queueName = end.movedTo;
      skill = moved?.place.skill ?? config.queues[queueName]?.skill ?? skill;
    }
  }

  /**
   * Carries on a caller a dead run of this app left in the ACD (call-resume.ts): waiting with
   * their place, ringing an agent, or talking in their bridge; undefined when the ACD holds
   * no trace of the call. Nothing is counted again: the figures counted it as it happened.
   */
  async resume(call: CallContext, request: ServeRequest): Promise<ServeResult | undefined> {
    const { core, ari } = this.deps;
    let registered = (): void => undefined;
    // Legs of the call heard meanwhile wait for it rather than taking it for an orphan.
    this.resuming.set(call.callId, new Promise<void>((resolve) => (registered = resolve)));
    let waiting: WaitingCall | undefined;
    try {
      const stats = this.transfers.statsOf(call.callId, this.deps.stats, undefined);
      const make = (request: ServeRequest, queue: QueueConfig, enqueuedAt: number, resumed: ResumedWait) => this.waitingCall(call, request, queue, enqueuedAt, stats, resumed);
      waiting = await takeOver({ ari, core, waitingCall: make, adoptLeg: this.emergency?.adoptLeg?.bind(this.emergency), ringing: (id) => this.offered.add(id), changed: (e) => this.changed(e), now: this.now }, call, request);
      if (!waiting) return undefined;
      this.waiting.set(call.callId, waiting);
    } finally {
      this.resuming.delete(call.callId);
      registered();
    }
    this.dispatcher.kick();
    const end = await waiting.run().finally(() => this.waiting.delete(call.callId));
    if ('result' in end) return { taken: true, result: end.result };
    call.publish('call.transferred', end.transfer?.event ?? { target: `queue:${end.movedTo}`, kind: 'queue', by: 'acd' });
    return this.serve(call, { ...request, queue: end.movedTo, skill: end.transfer?.place.skill ?? core.config.queues[end.movedTo]?.skill ?? request.skill }, end.transfer);
  }

  private waitingCall(call: CallContext, request: ServeRequest, queue: QueueConfig, enqueuedAt: number, stats: AcdStatsRecorder | undefined, resumed?: ResumedWait): WaitingCall {
    const { config, calls, agents } = this.deps.core;
    const parts = { config, calls, agents, holdTimes: this.holdTimes, talk: this.talkStore(), unstored: this.unstored, now: this.now, log: this.log, callbacks: this.deps.callbacks };
    const route = (): void => this.dispatcher.kick();
    return new WaitingCall({ ...parts, call, request, queue, stats, enqueuedAt, changed: (event) => this.changed(event), route, ...(resumed && { resumed }) });
  }

  /** Rings the agent a pick chose, for a caller or a callback reservation alike. */
  private offer(picked: PickedCall): void {
    const { core, ari, handOff } = this.deps;
    void ringAgent({ ari, config: core.config, agents: core.agents, calls: core.calls, now: this.now, changed: (e) => this.changed(e), log: this.log, route: () => this.dispatcher.kick(), handOff }, picked);
  }

  /** The agent answered: the leg entered this app (the instance holding the caller). */
  private async agentLegEntered(event: AriEventOf<'StasisStart'>, args: string[]): Promise<void> {
    const [callId, agentId] = args;
    const channelId = event.channel.id;
    if (callId) await this.resuming.get(callId);
    const waiting = callId ? this.waiting.get(callId) : undefined;
    if (waiting) return waiting.agentAnswered(channelId);
    // No caller here for it any more (they left as it was answered): release the phone.
    await this.deps.ari.hangup(channelId).catch((err: unknown) => {
      if (!isGone(err)) this.log.warn({ err, channelId }, 'could not hang up a stray agent leg');
    });
    if (callId) await this.releaseOrphan(callId);
    if (callId && agentId) {
      await this.deps.core.agents.apply(agentId, { type: 'caller-gone', callId }, this.now()).then((e) => this.changed(e), () => undefined);
    }
  }

  /**
   * A call queued by this app that no caller here waits for (left by a run of this app that
   * died): taken out, so agents are not offered it again and again.
   */
  private async releaseOrphan(callId: string): Promise<void> {
    if (this.waiting.has(callId) || this.resuming.has(callId)) return;
    const was = await releaseQueued({ ...this.deps, changed: (e) => this.changed(e), now: this.now }, callId).catch(() => 'unknown' as const);
    if (was !== 'unknown') this.log.info({ callId, was }, 'a queued call no caller here waits for (left by an earlier run) is taken out');
  }

  private offerLegEvent(event: AriEvent, channelId: string): void {
    const callId = callIdOfLeg(channelId);
    const waiting = callId ? this.waiting.get(callId) : undefined;
    if (!callId) return;
    if (!waiting) {
      if (event.type === 'ChannelDestroyed') {
        this.offered.delete(channelId);
        void this.releaseOrphan(callId);
      }
      return;
    }
    if (!this.offered.has(channelId) && (event.type === 'Dial' || event.type === 'ChannelStateChange')) {
      this.offered.add(channelId);
      void this.noteOffer(callId, channelId, waiting);
    }
    if (event.type === 'ChannelDestroyed' || event.type === 'StasisEnd' || event.type === 'ChannelHangupRequest') {
      this.offered.delete(channelId);
      if (waiting.isWaiting) {
        if (event.type === 'ChannelDestroyed') void waiting.offerFailed(channelId);
      } else {
        void waiting.agentLegEnded(channelId);
      }
    }
  }

  /** A callback's citizen answered: their leg entered the app. */
  private async citizenLegEntered(event: AriEventOf<'StasisStart'>, args: string[]): Promise<void> {
    const party = args[0] ? this.waiting.get(args[0]) : undefined;
    if (party instanceof CallbackCall) return party.citizenAnswered(event.channel.id);
    await this.deps.ari.hangup(event.channel.id).catch(() => undefined);
  }

  private citizenLegEvent(event: AriEvent, channelId: string): void {
    const jobId = callIdOfLeg(channelId);
    const party = jobId ? this.waiting.get(jobId) : undefined;
    if (!(party instanceof CallbackCall)) return;
    if (event.type === 'ChannelDestroyed') void party.citizenLegEnded(channelId, event.cause);
    else if (event.type === 'StasisEnd') void party.citizenLegEnded(channelId, undefined);
  }

  /** `call.offered`, once per offer, when the agent's phone starts ringing. */
  private async noteOffer(callId: string, channelId: string, waiting: QueuedParty): Promise<void> {
    const offer = await this.deps.core.calls.state(callId).catch(() => null);
    if (!offer?.agentId || offer.offerChannel !== channelId) return;
    waiting.offeredTo(offer.agentId, channelId);
  }

  private talkStore(): TalkRecords {
    return redisTalkRecords(this.deps.core, this.unstored);
  }
}
