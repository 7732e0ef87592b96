/**
 * One caller's time in the ACD, on the instance that holds the caller's channel: waiting (music
 * on hold, announcements, emergency key, virtual hold, overflow), then the talk with the agent.
 *
 *   waiting ──agent answers──► connecting ──► talking ──either hangs up──► ended
 *      │ caller hangs up        → abandoned (missed call; a callback may be scheduled)
 *      │ emergency key          → the emergency transfer
 *      │ virtual-hold key       → called back later, keeping the place
 *      └ longest wait           → the queue's overflow (another queue, a callback, the dialplan)
 *
 * Which agent rings is not decided here: any instance's dispatcher picks the call and rings
 * the agent's phone into this instance's app; this object hears the outcome.
 */
import { isGone, type AriPort } from '../../ari/index.js';
import type { CallContext, FlowResult } from '../../calls/index.js';
import type { AgentStateChanged } from '../agent-events.js';
import { virtualHoldFor } from '../callbacks/config-schema.js';
import { callbackNumber } from './callback-number.js';
import { KeyCollector } from './key-collector.js';
import { HoldMedia } from './hold-media.js';
import type { EmergencyDialer } from '../ports/emergency-dialer.js';
import { abandon, callBackLater, overflow, type QueueExit } from './queue-exits.js';
import { ThirdParty, type EmergencyTransferResult } from './third-party.js';
import { talkBridgeId } from './offer-ids.js';
import { talkRecordFields } from './talk-records.js';
import { legAlive } from './call-resume.js';
import type { WaitEnd, WaitingCallDeps } from './waiting-call-deps.js';
import { dialplanFallback } from './dialplan-fallback.js';
import { AcdError } from '../errors.js';

type Phase = 'waiting' | 'connecting' | 'talking' | 'ended';

export class WaitingCall {
  private phase: Phase = 'waiting';
  private agent: { id: string; channelId: string; answeredAt: number } | null = null;
  /** The agent left a call that goes on between the caller and a centre or unit. */
  private agentGone = false;
  /** Where the caller goes once the agent hands them on (agent-transfer.ts). */
  private moving: WaitEnd | null = null;
  /** A centre or unit an agent brought into the call. */
  private readonly third: ThirdParty;
  private virtualHoldOffered = false;
  /** Keys the caller presses while confirming or keying a callback number. */
  private readonly keys: KeyCollector;
  /** Asterisk reported a hangup of the caller's channel (rather than the call leaving the app alive). */
  private hangupSeen = false;
  private readonly offers: string[] = [];
  private readonly offerChannels = new Set<string>();
  private resolveEnd!: (end: WaitEnd) => void;
  private readonly ended = new Promise<WaitEnd>((resolve) => (this.resolveEnd = resolve));
  private readonly ari: AriPort;
  private readonly callId: string;
  private readonly media: HoldMedia;

  constructor(readonly deps: WaitingCallDeps) {
    this.ari = deps.call.ari;
    this.callId = deps.call.callId;
    this.keys = new KeyCollector((ms, fn) => deps.call.setTimer(ms, fn));
    this.media = new HoldMedia({
      call: deps.call,
      config: deps.config,
      calls: deps.calls,
      holdTimes: deps.holdTimes,
      queue: () => this.queueName,
      waiting: () => this.phase === 'waiting',
      offerVirtualHold: () => this.virtualHoldOffered,
      keysAsking: () => this.keys.asking,
    });
    this.third = new ThirdParty({
      call: deps.call,
      ari: this.ari,
      bridgeId: talkBridgeId(this.callId),
      // Connecting counts: the agent answered and the bridge is being made.
      talking: () => this.phase === 'talking' || this.phase === 'connecting',
      agentChannel: () => (this.agent && !this.agentGone ? this.agent.channelId : null),
      startMusic: () => this.media.startMusic(),
      hangupLeg: (channelId) => this.hangupLeg(channelId),
      now: deps.now,
      gone: () => void this.thirdPartyGone(),
    });
    // A wait or a talk a process that died left (call-resume.ts): its offers, its agent.
    this.offers.push(...(deps.resumed?.offers ?? []));
    if (deps.resumed?.offerChannel) this.offerChannels.add(deps.resumed.offerChannel);
    if (deps.resumed?.talking) [this.phase, this.agent] = ['talking', { ...deps.resumed.talking.agent }];
    if (deps.resumed?.third) this.third.adopt(deps.resumed.third.answered, deps.resumed.third.centre, deps.resumed.third.callerOnHold);
  }

  get isWaiting(): boolean {
    return this.phase === 'waiting';
  }

  get queueName(): string {
    return this.deps.request.queue;
  }

  /** Runs the wait to its end; the call is in the queue already. */
  run(): Promise<WaitEnd> {
    const { call, queue } = this.deps;
    if (this.phase === 'talking') return this.keepTalking();
    // Gone while being queued: the hangup came before anyone here could hear it.
    if (call.signal.aborted) {
      this.hangupSeen = true;
      void abandon(this.exit(), this.hangupSeen);
    }
    call.signal.addEventListener('abort', () => void this.callerGone(), { once: true });
    const offDtmf = call.onDtmf((digit) => void this.key(digit));
    call.onEvent((event) => {
      if (event.type === 'ChannelHangupRequest') this.hangupSeen = true;
    });
    void this.media.startMusic();
    if (queue.announceEverySeconds > 0) this.media.every(queue.announceEverySeconds * 1000, () => this.media.announce());
    // Timed from entering the queue: a wait taken over after a restart keeps its deadlines.
    const waited = this.deps.now() - this.deps.enqueuedAt;
    const hold = this.hold();
    if (hold && this.deps.callbacks) {
      call.setTimer(Math.max(0, hold.offerAfterSeconds * 1000 - waited), () => {
        if (this.phase !== 'waiting') return;
        this.virtualHoldOffered = true;
        void this.media.announce();
      });
    }
    call.setTimer(Math.max(0, queue.longestWaitSeconds * 1000 - waited), () => void overflow(this.exit()));
    return this.ended.finally(offDtmf);
  }

  /** A talk taken over after a restart: it ends as any talk does; an agent whose leg went meanwhile ends it now. */
  private keepTalking(): Promise<WaitEnd> {
    const { call, resumed } = this.deps;
    call.signal.addEventListener('abort', () => void this.callerGone(), { once: true });
    if (call.signal.aborted) void this.endTalk('caller');
    else if (!resumed?.talking?.agentThere) void this.agentLegEnded(this.agent!.channelId);
    // A leg that ended during the take-over's reads went unheard (Asterisk replays nothing): asked again now.
    else void legAlive(this.ari, this.agent!.channelId).then((there) => (there ? undefined : this.agentLegEnded(this.agent!.channelId)), () => undefined);
    return this.ended;
  }

  /** The agent's leg entered the app: the agent answered. Bridges the two, or hangs up a stale leg. */
  async agentAnswered(channelId: string): Promise<void> {
    const { calls, agents, call } = this.deps;
    if (this.phase !== 'waiting') return this.hangupLeg(channelId);
    const offer = await calls.state(this.callId).catch(() => null);
    if (!offer || offer.state !== 'offered' || offer.offerChannel !== channelId || !offer.agentId) return this.hangupLeg(channelId);
    // An answer quicker than the ringing's report still counts the offer first.
    this.offeredTo(offer.agentId, channelId);
    this.phase = 'connecting';
    const agentId = offer.agentId;
    const at = this.deps.now();
    this.agent = { id: agentId, channelId, answeredAt: at };
    try {
      await calls.answered(this.callId);
      this.deps.changed(await agents.apply(agentId, { type: 'answer', callId: this.callId }, at));
    } catch (err) {
      // The ACD lost the offer (Redis away): the agent's phone is hung up, the caller keeps what the fallback gives.
      call.log.error({ err, agentId }, 'the answered offer could not be taken; the agent leg is released');
      this.phase = 'waiting';
      this.agent = null;
      await this.hangupLeg(channelId);
      if (await this.leave('fallback')) this.finish({ result: await this.fallback() });
      return;
    }
    // Answered from here on, whatever happens to the bridge: the record and the figures say so.
    const waitedMs = at - this.deps.enqueuedAt;
    call.noteQueue({ queue: this.queueName, agentId, answeredAt: new Date(at).toISOString(), waitedMs, result: 'answered' });
    call.publish('call.agent-answered', { queue: this.queueName, agentId, waitedMs });
    void this.deps.stats?.answered(this.queueName, waitedMs, at);
    void this.deps.callbacks?.cancel?.(call.caller.number, at).catch((err: unknown) => call.log.warn({ err }, 'the pending callback was not cancelled; the citizen may be called back'));
    void this.deps.holdTimes.record(this.queueName, waitedMs).catch(() => undefined);
    // Talk record, music stop and bridge at once; the record is in before the bridge joins them (a supervisor finds it).
    const saved = this.deps.talk
      .save(this.callId, talkRecordFields({ callId: this.callId, callerChannel: call.channelId, agentChannel: channelId, app: this.ari.app, agentId, queue: this.queueName, answeredAt: at }))
      .catch((err: unknown) => call.log.warn({ err }, 'talk record not saved'));
    try {
      const bridgeId = talkBridgeId(this.callId);
      await Promise.all([this.ari.stopMoh(call.channelId).catch(() => undefined), this.ari.createBridge({ bridgeId, type: 'mixing', name: bridgeId })]);
      await saved;
      await this.ari.addToBridge(bridgeId, [call.channelId, channelId]);
    } catch (err) {
      if (!isGone(err)) call.log.error({ err, agentId }, 'could not connect the caller to the agent');
      await this.hangupLeg(channelId);
      return this.endTalk(call.signal.aborted ? 'caller' : 'agent');
    }
    if (this.phase !== 'connecting') return; // the caller left while the bridge was being made: endTalk ran
    this.phase = 'talking';
    // A caller who hung up while the bridge was made: the abort came before `talking`.
    if (call.signal.aborted) await this.endTalk('caller');
  }

  /** An agent's phone rings for the call: on the record and on the bus. */
  offeredTo(agentId: string, channelId: string): void {
    if (this.phase !== 'waiting' || this.offerChannels.has(channelId)) return;
    this.offerChannels.add(channelId);
    this.offers.push(agentId);
    this.deps.call.noteQueue({ queue: this.queueName, offeredTo: [...this.offers] });
    this.deps.call.publish('call.offered', { queue: this.queueName, agentId });
  }

  /** The offer's leg ended before it was answered: rang out, rejected, busy, failed. */
  async offerFailed(channelId: string): Promise<void> {
    if (this.phase !== 'waiting') return;
    const { calls, agents } = this.deps;
    let agentId: string;
    try {
      agentId = await calls.requeue(this.callId, channelId);
    } catch {
      return; // not this call's current offer (a late report), or the call left meanwhile
    }
    this.changeAgent(() => agents.missed(agentId, this.callId, this.queueName, this.deps.now()));
    // Back at the head of the queue: the next agent is rung now, not at the next tick.
    this.deps.route();
  }

  /** The agent's leg hung up (or left the app) once answered. */
  async agentLegEnded(channelId: string): Promise<void> {
    if (this.agent?.channelId !== channelId) return;
    if (this.third.present && this.phase === 'talking') return this.agentLeft();
    if (this.phase === 'talking' || this.phase === 'connecting') await this.endTalk('agent');
  }

  /** The agent talking to this caller now, if any. */
  get talkingAgent(): string | null {
    // Connecting counts too: the agent answered and the bridge is being made.
    return (this.phase === 'talking' || this.phase === 'connecting') && this.agent && !this.agentGone ? this.agent.id : null;
  }

  /** The talk's agent leg now, if talking (redis-return.ts writes the talk back to a Redis that lost it). */
  get talk(): Readonly<{ id: string; channelId: string; answeredAt: number }> | null {
    return this.talkingAgent ? this.agent : null;
  }

  /** The agent puts the caller through to an emergency route, blind or three-way (see ThirdParty). */
  emergencyTransfer(dialer: EmergencyDialer, route: string, mode: 'blind' | 'three-way'): Promise<EmergencyTransferResult> {
    return this.third.transferTo(dialer, route, mode);
  }

  /** The agent consults a handling unit about the call, the caller on hold or on the line. */
  consult(dialer: EmergencyDialer, route: string, callerOnHold: boolean): Promise<EmergencyTransferResult> {
    return this.third.consult(dialer, route, callerOnHold);
  }

  joinCaller(): Promise<void> {
    return this.third.joinCaller();
  }

  endConsultation(): Promise<void> {
    return this.third.letGo();
  }

  /** The agent hands the caller on (agent-transfer.ts): their part ends as at a hang-up, and the wait with `next`. */
  async handOn(next: WaitEnd): Promise<void> {
    if (this.third.present || this.phase !== 'talking' || !this.agent || this.agentGone) throw new AcdError(this.third.present ? 'transferBusy' : 'notOnCall', 'the agent is not alone on a call with the caller');
    this.moving = next;
    await this.endTalk('agent');
    await this.hangupLeg(this.agent.channelId);
  }

  /** The agent left while a centre or unit stays with the caller: the agent's part is over (wrap-up). */
  private agentLeft(): void {
    if (this.agentGone || !this.agent) return;
    this.agentGone = true;
    this.third.agentLeft(this.agent.id);
    const { call, agents, queue } = this.deps;
    const at = this.deps.now();
    const talkMs = at - this.agent.answeredAt;
    call.noteQueue({ queue: this.queueName, talkMs, endedBy: 'agent' });
    void this.deps.talk.remove(this.callId).catch(() => undefined);
    const agentId = this.agent.id;
    this.changeAgent(() => agents.apply(agentId, { type: 'hang-up', callId: this.callId, wrapUpSeconds: queue.wrapUpSeconds }, at));
    void this.deps.stats?.handled(this.queueName, talkMs, at);
  }

  /** The centre or unit hung up: with the agent still there the call goes on; without, it is over. */
  private async thirdPartyGone(): Promise<void> {
    if (this.phase === 'talking' && !this.agentGone) return this.third.resumeCaller();
    if (this.phase !== 'talking') return;
    this.phase = 'ended';
    await this.ari.destroyBridge(talkBridgeId(this.callId)).catch(() => undefined);
    this.finish({ result: { then: 'hangup', outcome: 'transferred' } });
  }

  private async key(digit: string): Promise<void> {
    if (this.phase !== 'waiting') return;
    const { request } = this.deps;
    if (request.emergency && digit === request.emergency.key) return this.emergency();
    if (this.keys.feed(digit)) return;
    if (this.virtualHoldOffered && digit === this.hold()?.key) return this.virtualHold();
  }

  /** The queue's virtual hold (its own override or the centre's), or null where none is offered. */
  private hold(): { offerAfterSeconds: number; key: string } | null {
    return virtualHoldFor(this.deps.config.virtualHold, this.queueName);
  }

  private async emergency(): Promise<void> {
    if (!(await this.leave('emergency'))) return;
    const { call, request } = this.deps;
    await this.ari.stopMoh(call.channelId).catch(() => undefined);
    try {
      this.finish({ result: await request.emergency!.transfer() });
    } catch (err) {
      call.log.error({ err }, 'emergency transfer from the queue failed');
      this.finish({ result: await this.fallback() });
    }
  }

  private async virtualHold(): Promise<void> {
    const { call, callbacks, config } = this.deps;
    if (!callbacks || this.keys.asking) return;
    if (config.virtualHold?.confirmNumber) await this.ari.stopMoh(call.channelId).catch(() => undefined);
    const number = await callbackNumber(call, config.virtualHold?.confirmNumber, this.keys);
    if (this.phase !== 'waiting') return;
    if (!number) {
      // Nothing usable confirmed: the caller keeps waiting where they were.
      await this.media.startMusic();
      return;
    }
    if (!(await this.leave('virtual-hold'))) return;
    await callBackLater(this.exit(), number, 'virtual hold');
  }

  /** What the queue's exits (overflow, callback later) need of this call. */
  private exit(): QueueExit {
    return {
      deps: this.deps,
      ari: this.ari,
      callId: this.callId,
      queueName: this.queueName,
      leave: (result) => this.leave(result),
      finish: (end) => this.finish(end),
      fallback: () => this.fallback(),
    };
  }

  /** The dialplan's queue for a caller the ACD cannot keep (see dialplan-fallback.ts). */
  private fallback = (): Promise<FlowResult> => dialplanFallback(this.deps.call, this.deps.request);
  private async callerGone(): Promise<void> {
    if (this.phase === 'waiting') return abandon(this.exit(), this.hangupSeen);
    if (this.phase === 'talking') return this.endTalk('caller');
    // Connecting: agentAnswered ends the talk once the bridge is made, maybe after the call's end (and record): noted now.
    if (this.phase === 'connecting' && this.agent) this.deps.call.noteQueue({ queue: this.queueName, talkMs: 0, endedBy: 'caller' });
  }

  /**
   * Takes the call out of the queue for good (once): a phone still ringing for it is hung
   * up and its agent is ready again. False when the wait had ended already.
   */
  private async leave(result: NonNullable<Parameters<CallContext['noteQueue']>[0]['result']>): Promise<boolean> {
    if (this.phase !== 'waiting') return false;
    this.phase = 'ended';
    const { call, calls, agents } = this.deps;
    const at = this.deps.now();
    call.noteQueue({ queue: this.queueName, waitedMs: at - this.deps.enqueuedAt, result });
    await this.deps.unstored.run('queue exit', this.callId, async () => {
      const was = await calls.dequeue(this.callId);
      if (was.was !== 'offered') return;
      if (was.offerChannel) await this.hangupLeg(was.offerChannel);
      this.changeAgent(() => agents.apply(was.agentId, { type: 'caller-gone', callId: this.callId }, at));
    });
    return true;
  }

  private async endTalk(by: 'caller' | 'agent'): Promise<void> {
    if (this.phase === 'ended' || !this.agent) return;
    this.phase = 'ended';
    const agentThere = !this.agentGone;
    const at = this.deps.now();
    const talkMs = at - this.agent.answeredAt;
    // On the record at once: the call's end (and its record) may come before the hangups below.
    if (agentThere) this.deps.call.noteQueue({ queue: this.queueName, talkMs, endedBy: by });
    if (by === 'caller') {
      await this.third.hangUp();
      if (agentThere) await this.hangupLeg(this.agent.channelId);
    }
    await this.ari.destroyBridge(talkBridgeId(this.callId)).catch(() => undefined);
    if (agentThere) {
      const { agents, queue } = this.deps;
      void this.deps.talk.remove(this.callId).catch(() => undefined);
      const agentId = this.agent.id;
      this.changeAgent(() => agents.apply(agentId, { type: 'hang-up', callId: this.callId, wrapUpSeconds: queue.wrapUpSeconds }, at));
      void this.deps.stats?.handled(this.queueName, talkMs, at);
    }
    // The agent hanging up first: the session hangs the caller up. The caller first: nothing left to do.
    const outcome = this.third.joinedCentre ? 'transferred' : 'completed';
    this.finish(this.moving ?? { result: by === 'agent' ? { then: 'hangup', outcome } : { then: 'handed-off', outcome } });
  }

  private async hangupLeg(channelId: string): Promise<void> {
    await this.ari.hangup(channelId).catch((err: unknown) => {
      if (!isGone(err)) this.deps.log.warn({ err, channelId }, 'could not hang up the agent leg');
    });
  }

  private changeAgent(change: () => Promise<AgentStateChanged>): void {
    void this.deps.unstored.run('agent state', this.callId, async () => this.deps.changed(await change()));
  }

  private finish(end: WaitEnd): void {
    this.phase = 'ended';
    this.resolveEnd(end);
  }
}
