/**
 * The calls in the app right now, and the dispatcher of ARI events to them.
 *
 * It turns each inbound StasisStart into a CallSession running the flow the factory picks,
 * routes every later event to its session (playback events by their target channel), hands
 * channels the service made itself to the handler of their role, and after every (re)connect
 * reconciles with Asterisk — the truth about channels: sessions whose channel is gone end,
 * channels still in the app that no session holds (a restart) are adopted again, their
 * flows told where the call was, and stored calls of the app whose channels went while no
 * process watched end as dropped (unseen-ends.ts). The service's own channels (agent legs,
 * emergency legs, snoops) that ended while the socket was down get the end they missed
 * (own-channels.ts): Asterisk replays nothing.
 */
import type { Logger } from 'pino';
import { channelIdOf, type AriEvent, type AriEventOf } from '../ari/index.js';
import { isGone } from '../ari/index.js';
import type { AriPort } from '../ari/index.js';
import type { Channel } from '../ari/index.js';
import type { CallsConfigView } from './config-schema.js';
import type { CallFlow, CallFlowFactory } from './ports/call-flow.js';
import type { CallRecord } from './call-record.js';
import { CallSession, type CallSessionDeps, type CallStart } from './call-session.js';
import type { DomainEventBus } from './event-bus.js';
import type { LiveCallStore } from './live-call-store.js';
import type { PromptCatalog } from './prompt-catalog.js';
import { argsFromDialplan, classifyStasisStart, isInApp } from './stasis-args.js';
import { UnseenEnds } from './unseen-ends.js';
import { missedEvents, OwnChannels } from './own-channels.js';

export interface CallRegistryDeps {
  ari: AriPort;
  bus: DomainEventBus;
  log: Logger;
  config: CallsConfigView;
  prompts: PromptCatalog;
  flows: CallFlowFactory;
  store?: LiveCallStore;
}

/** Handles StasisStart of channels the service made itself, e.g. `role:agent`. */
export type RoleHandler = (event: AriEventOf<'StasisStart'>, args: string[]) => void;

/** Hears every event of channels whose id starts with a prefix and that no call session holds. */
export type ChannelWatcher = (event: AriEvent, channelId: string) => void;

export class CallRegistry {
  private readonly sessions = new Map<string, CallSession>();
  private readonly roles = new Map<string, RoleHandler>();
  private readonly watchers: Array<{ prefix: string; listener: ChannelWatcher }> = [];
  /** The service's own channels heard of and not yet heard to end. */
  private readonly own = new OwnChannels();
  private readonly unsubscribe: Array<() => void> = [];
  private draining = false;
  private totals = { started: 0, ended: 0, adopted: 0, handedBack: 0 };
  private readonly unseen: UnseenEnds | undefined;
  /** Channels whose sessions ended while a reconcile ran: their records are not left unseen. */
  private endedDuringReconcile: Set<string> | undefined;

  constructor(private readonly deps: CallRegistryDeps) {
    this.unseen = deps.store && new UnseenEnds({ store: deps.store, bus: deps.bus, log: deps.log, app: deps.ari.app });
  }

  start(): void {
    this.unsubscribe.push(
      this.deps.ari.onEvent((event) => this.dispatch(event)),
      this.deps.ari.onConnectionChange((state) => {
        if (state === 'connected') void this.reconcile();
      }),
    );
    if (this.deps.ari.isConnected()) void this.reconcile();
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  registerRole(role: string, handler: RoleHandler): void {
    this.roles.set(role, handler);
  }

  /**
   * Channels the service made itself (agent legs, supervisors, callbacks) choose their ids
   * with a prefix; their events after StasisStart (Dial, hangups, StasisEnd, ChannelDestroyed)
   * reach the feature that owns the prefix. Returns the unsubscribe function.
   */
  watchChannels(prefix: string, listener: ChannelWatcher): () => void {
    const entry = { prefix, listener };
    this.watchers.push(entry);
    return () => {
      const at = this.watchers.indexOf(entry);
      if (at >= 0) this.watchers.splice(at, 1);
    };
  }

  /**
   * Runs a channel the service placed itself, once answered, as a call of its own with the
   * given flow (a satisfaction survey): a call record, domain events and the features that
   * take a CallContext (the emergency linkage, the ACD) serve it like any call. `caller` is
   * the citizen called. Resolves with the final record when the call has left the app.
   */
  openPlaced(channel: Channel, start: { dialled: string; line: string; caller: { number: string; name: string } }, flow: CallFlow): { callId: string; ended: Promise<CallRecord> } {
    const session = this.open({ ...channel, caller: start.caller }, start.dialled, undefined, { line: start.line, flow });
    return { callId: session.callId, ended: session.ended() };
  }

  get size(): number {
    return this.sessions.size;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  stats(): { active: number; draining: boolean } & CallRegistry['totals'] {
    return { active: this.sessions.size, draining: this.draining, ...this.totals };
  }

  session(channelId: string): CallSession | undefined {
    return this.sessions.get(channelId);
  }

  /** Notes the call's recording on its record while the call lives; false when it has ended. */
  noteRecording(channelId: string, note: Parameters<CallSession['noteRecording']>[0]): boolean {
    const session = this.sessions.get(channelId);
    session?.noteRecording(note);
    return Boolean(session && !session.isEnded);
  }

  /**
   * Stops taking calls (new ones go back to the dialplan, whose fallback serves them),
   * gives live calls `graceMs` to finish, then hands the rest back to the dialplan too.
   */
  async drain(graceMs: number): Promise<void> {
    this.draining = true;
    await this.allEnded(graceMs);
    const left = [...this.sessions.values()];
    await Promise.all(left.map((s) => this.handBack(s.channelId)));
    await this.allEnded(5_000);
  }

  private allEnded(timeoutMs: number): Promise<void> {
    if (this.sessions.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void Promise.all([...this.sessions.values()].map((s) => s.ended())).then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private dispatch(event: AriEvent): void {
    if (event.type === 'StasisStart') return this.stasisStart(event);
    const channelId = channelIdOf(event) ?? this.playbackChannel(event);
    if (!channelId) return;
    const session = this.sessions.get(channelId);
    if (!session) return this.toWatchers(event, channelId);
    session.handle(event);
    if (event.type === 'StasisEnd') this.forget(session);
  }

  private toWatchers(event: AriEvent, channelId: string): void {
    let watched = false;
    for (const { prefix, listener } of this.watchers) {
      if (!channelId.startsWith(prefix)) continue;
      // A channel of the service: noted once, before its watchers hear the event.
      if (!watched) this.own.heard(event, channelId);
      watched = true;
      try {
        listener(event, channelId);
      } catch (err) {
        this.deps.log.error({ err, channelId, event: event.type }, 'channel watcher failed');
      }
    }
  }

  /** Playback and recording events name their target as `channel:<id>`. */
  private playbackChannel(event: AriEvent): string | undefined {
    const target = 'playback' in event ? event.playback.target_uri : 'recording' in event ? event.recording.target_uri : undefined;
    return target?.startsWith('channel:') ? target.slice('channel:'.length) : undefined;
  }

  private stasisStart(event: AriEventOf<'StasisStart'>): void {
    const entry = classifyStasisStart(event.args, event.channel);
    if (entry.kind === 'internal') {
      this.own.entered(event.channel);
      const handler = this.roles.get(entry.role);
      if (handler) handler(event, entry.args);
      else this.deps.log.warn({ role: entry.role, channelId: event.channel.id }, 'no handler for channel role');
      return;
    }
    if (this.sessions.has(event.channel.id)) return;
    if (this.draining) {
      void this.handBack(event.channel.id);
      return;
    }
    this.open(event.channel, entry.dialled);
  }

  private open(channel: Channel, dialled: string, adopted?: CallStart['adopted'], placed?: { line: string; flow: CallFlow }): CallSession {
    const { config } = this.deps;
    const line = placed?.line ?? config.hotline.numbers.find((n) => n.number === dialled)?.line ?? config.hotline.defaultLine;
    const sessionDeps: CallSessionDeps = {
      ari: this.deps.ari,
      bus: this.deps.bus,
      log: this.deps.log,
      prompts: this.deps.prompts,
      maxPromptMs: config.calls.maxPromptSeconds * 1000,
      onRecordChange: (record) => this.deps.store?.save(record),
    };
    const session = new CallSession(sessionDeps, {
      channelId: channel.id,
      caller: { number: channel.caller.number, name: channel.caller.name },
      dialled,
      line,
      app: this.deps.ari.app,
      adopted,
    });
    this.sessions.set(channel.id, session);
    this.own.handedToSession(channel.id);
    if (adopted) this.totals.adopted += 1;
    else this.totals.started += 1;
    const flow = placed?.flow ?? this.deps.flows({ line, dialled, caller: session.record.caller, adopted: session.adoptedFrom });
    void session.run(flow);
    return session;
  }

  private forget(session: CallSession): void {
    if (this.sessions.get(session.channelId) === session) {
      this.sessions.delete(session.channelId);
      this.endedDuringReconcile?.add(session.channelId);
      this.totals.ended += 1;
    }
  }

  private async handBack(channelId: string): Promise<void> {
    try {
      await this.deps.ari.continueInDialplan(channelId);
      this.totals.handedBack += 1;
    } catch (err) {
      if (!isGone(err)) this.deps.log.error({ err, channelId }, 'could not hand the call back to the dialplan');
    }
  }

  /** After a (re)connect: Asterisk says which channels exist; the registry follows. */
  private async reconcile(): Promise<void> {
    const ended = (this.endedDuringReconcile ??= new Set());
    try {
      await this.reconcileChannels(ended);
    } finally {
      if (this.endedDuringReconcile === ended) this.endedDuringReconcile = undefined;
    }
  }

  private async reconcileChannels(endedMeanwhile: ReadonlySet<string>): Promise<void> {
    // Only sessions that existed when Asterisk was asked can be missing from its answer: a
    // call that arrived while the list was on its way is not lost.
    const asked = new Set(this.sessions.values());
    const askedOwn = this.own.snapshot();
    let channels: Channel[];
    try {
      channels = await this.deps.ari.listChannels();
    } catch (err) {
      this.deps.log.warn({ err }, 'could not list channels to reconcile');
      return;
    }
    const alive = new Map(channels.map((c) => [c.id, c]));
    let lost = 0;
    let adopted = 0;
    for (const session of [...this.sessions.values()]) {
      if (asked.has(session) && !alive.has(session.channelId)) {
        lost += 1;
        session.end('channel-lost');
        this.forget(session);
      }
    }
    // Prompts of the calls that stayed whose ends went unheard while the socket was down.
    for (const session of asked) if (!session.isEnded) void session.recheckPlaybacks();
    const own = this.passMissed(missedEvents(askedOwn, new Set(alive.keys()), this.deps.ari.app, new Date().toISOString()));
    const unheld: Array<{ channel: Channel; dialled: string }> = [];
    for (const channel of channels) {
      if (this.sessions.has(channel.id) || !isInApp(channel, this.deps.ari.app)) continue;
      const entry = classifyStasisStart(argsFromDialplan(channel), channel);
      if (entry.kind === 'inbound') unheld.push({ channel, dialled: entry.dialled });
    }
    // One read for every call to adopt: with Redis away, one timeout, not one per call.
    const records = (await this.deps.store?.getMany(unheld.map((u) => u.channel.id))) ?? new Map<string, CallRecord>();
    for (const { channel, dialled } of unheld) {
      if (this.sessions.has(channel.id)) continue;
      const record = records.get(channel.id);
      this.deps.log.info({ channelId: channel.id, known: Boolean(record) }, 'adopting a call already in the app');
      this.open(channel, dialled, { record, channelUp: channel.state === 'Up' });
      adopted += 1;
    }
    // Calls that ended while nobody watched: Asterisk no longer has their channels. Checked
    // as each record is read: a call that arrives or ends meanwhile is not taken for one.
    const dropped = (await this.unseen?.finish((id) => alive.has(id) || this.sessions.has(id) || endedMeanwhile.has(id))) ?? 0;
    // lost: calls of this process whose channels went; dropped: stored calls that ended while no process watched.
    this.deps.log.info({ channels: channels.length, adopted, lost, own, dropped }, 'reconciled with Asterisk');
  }

  /**
   * The ends the service's own channels missed while the socket was down, passed to their
   * watchers as Asterisk would have sent them, after the calls whose channels went have
   * ended: an agent's leg that hung up ends its talk, a phone that stopped ringing puts its
   * call back in the queue. Returns how many.
   */
  private passMissed(missed: ReturnType<typeof missedEvents>): number {
    let passed = 0;
    for (const event of missed) {
      if (!this.own.take(event)) continue;
      passed += 1;
      this.deps.log.info({ channelId: event.channel.id, missed: event.type }, 'a channel of the service ended unheard: the end it missed is passed on');
      this.toWatchers(event, event.channel.id);
    }
    return passed;
  }
}
