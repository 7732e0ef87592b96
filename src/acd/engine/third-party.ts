/**
 * A third party an agent brings into a talking call: an emergency centre (an agent's
 * transfer, blind or three-way) or a handling unit (a consultation, the caller on hold or
 * on the line). It joins the call's own bridge; the waiting call keeps the caller and the
 * agent, this object the third leg and the caller's hold.
 */
import type { AriPort } from '../../ari/index.js';
import { isGone } from '../../ari/index.js';
import type { CallContext, EmergencyReceipt } from '../../calls/index.js';
import { AcdError } from '../errors.js';
import type { DialledCentre, EmergencyDialer } from '../ports/emergency-dialer.js';

/** What an agent's transfer or consultation came to: put through, or every target failed (the call goes on). */
export interface EmergencyTransferResult {
  outcome: 'answered' | 'failed';
  attempts: DialledCentre['attempts'];
}

/** What the third party needs of the call it joins. */
export interface TalkingCall {
  call: CallContext;
  ari: AriPort;
  bridgeId: string;
  /** Caller and agent are (still) talking. */
  talking(): boolean;
  /** The agent's leg, while the agent is in the call. */
  agentChannel(): string | null;
  startMusic(): Promise<void>;
  hangupLeg(channelId: string): Promise<void>;
  now(): number;
  /** The third party hung up (the waiting call decides whether the call goes on). */
  gone(): void;
}

export class ThirdParty {
  private leg: { channelId: string; release(): void } | null = null;
  /** The emergency transfer an agent made: for the receipt of how long they stayed. */
  private transfer: { route: string; mode: 'blind' | 'three-way'; answeredAt: number; receipt: EmergencyReceipt } | null = null;
  /** The caller waits with music, out of the bridge, while the agent consults a unit. */
  private callerOnHold = false;
  /** A centre joined the call (the call counts as transferred from then on). */
  joinedCentre = false;

  constructor(private readonly talk: TalkingCall) {}

  get present(): boolean {
    return this.leg !== null;
  }

  /**
   * The agent puts the caller through to an emergency route: its targets are dialled in turn
   * while caller and agent go on talking; the centre that answers joins the call's bridge.
   * Three-way: the agent stays until they hang up. Blind: the agent leaves as the centre
   * answers. Nobody answering: the call goes on as it was, and the attempts say why.
   */
  async transferTo(dialer: EmergencyDialer, route: string, mode: 'blind' | 'three-way'): Promise<EmergencyTransferResult> {
    this.mayJoin();
    const dialled = await dialer.dial(this.talk.call, route, 'agent');
    if (!(await this.join(dialled))) return { outcome: 'failed', attempts: dialled.attempts };
    this.joinedCentre = true;
    this.transfer = { route, mode, answeredAt: this.talk.now(), receipt: dialled.receipt };
    const agent = this.talk.agentChannel();
    if (mode === 'blind' && agent) await this.talk.hangupLeg(agent);
    return { outcome: 'answered', attempts: dialled.attempts };
  }

  /**
   * The agent calls a handling unit or utility (a route) about the call (Hangzhou art. 13(3)),
   * the caller on hold (out of the bridge, music) or on the line.
   */
  async consult(dialer: EmergencyDialer, route: string, callerOnHold: boolean): Promise<EmergencyTransferResult> {
    this.mayJoin();
    const { call, ari, bridgeId } = this.talk;
    if (callerOnHold) {
      this.callerOnHold = true;
      await ari.removeFromBridge(bridgeId, [call.channelId]).catch(() => undefined);
      await this.talk.startMusic();
    }
    const dialled = await dialer.dial(call, route, 'consultation');
    if (!(await this.join(dialled))) {
      await this.resumeCaller();
      return { outcome: 'failed', attempts: dialled.attempts };
    }
    return { outcome: 'answered', attempts: dialled.attempts };
  }

  /** A held caller joins the agent and the unit (three-way). */
  async joinCaller(): Promise<void> {
    if (!this.callerOnHold) throw new AcdError('notOnHold', 'the caller is not on hold');
    await this.resumeCaller();
  }

  /** The unit is let go; a held caller is back with the agent. */
  async letGo(): Promise<void> {
    if (!this.leg) throw new AcdError('noConsultation', 'no unit is in the call');
    await this.talk.hangupLeg(this.leg.channelId);
    await this.resumeCaller();
  }

  /**
   * The agent left; caller and third party stay together (a consultation becomes a
   * transfer). After an emergency transfer the receipt says how long the agent stayed.
   */
  agentLeft(agentId: string): void {
    const { call } = this.talk;
    if (this.transfer) {
      const { route, mode, answeredAt, receipt } = this.transfer;
      const stayedMs = Math.max(0, this.talk.now() - answeredAt);
      call.noteEmergency({ ...receipt, agentStayedMs: stayedMs });
      call.publish('call.emergency-agent-left', { route, mode, agentId, stayedMs });
    }
    this.joinedCentre = true;
    call.settleOutcome('transferred');
    void this.resumeCaller();
  }

  /**
   * The third leg a dead process left in the call, taken over after a restart (its receipt
   * was published then): heard again as if joined here. A centre's leg (`emg-…-a<n>`) makes
   * the call a transfer, as it did when it joined. A consultation's caller left waiting
   * with music outside the bridge stays so: joining and letting the unit go work as before.
   */
  adopt(answered: NonNullable<DialledCentre['answered']>, centre: boolean, callerOnHold = false): void {
    this.leg = answered;
    this.callerOnHold = callerOnHold && !centre;
    void answered.leg.ended.then(() => {
      this.leg?.release();
      this.leg = null;
      this.talk.gone();
    });
    if (centre) this.joinedCentre = true;
    if (centre) this.talk.call.settleOutcome('transferred');
  }

  /** The call is over: the third leg goes too. */
  async hangUp(): Promise<void> {
    if (this.leg) await this.talk.hangupLeg(this.leg.channelId);
    this.leg?.release();
    this.leg = null;
  }

  /** Back in the call's bridge, music off. */
  async resumeCaller(): Promise<void> {
    if (!this.callerOnHold || !this.talk.talking()) return;
    this.callerOnHold = false;
    const { call, ari, bridgeId } = this.talk;
    await ari.stopMoh(call.channelId).catch(() => undefined);
    await ari.addToBridge(bridgeId, [call.channelId]).catch((err: unknown) => {
      if (!isGone(err)) call.log.error({ err }, 'could not bring the caller back into the call');
    });
  }

  private mayJoin(): void {
    if (this.leg) throw new AcdError('transferBusy', 'a centre or unit is in the call already');
    if (!this.talk.talking() || !this.talk.agentChannel()) throw new AcdError('notOnCall', 'the agent is not talking to this caller');
  }

  /** The answered leg into the call's bridge; false when none answered or the caller left meanwhile. */
  private async join(dialled: DialledCentre): Promise<boolean> {
    const answered = dialled.answered;
    if (!answered) return false;
    if (!this.talk.talking()) {
      answered.release();
      await this.talk.hangupLeg(answered.channelId);
      return false;
    }
    this.leg = answered;
    void answered.leg.ended.then(() => {
      this.leg?.release();
      this.leg = null;
      this.talk.gone();
    });
    await this.talk.ari.addToBridge(this.talk.bridgeId, [answered.channelId]).catch((err: unknown) => {
      if (!isGone(err)) this.talk.call.log.error({ err }, 'could not bring the third party into the call');
    });
    return true;
  }
}
