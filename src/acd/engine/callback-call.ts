/**
 * One attempt of a callback (virtual hold or a missed call), on the instance that claimed
 * the job: a reservation waits in the queue like a caller (keeping a virtual-hold caller's
 * place); when an agent answers, the citizen is called from the hotline's number and the
 * two are bridged in `call-<jobId>`.
 *
 *   reserved ──agent answers──► citizen ringing ──answers──► talking ──either hangs up──► done (connected)
 *                                    └ busy / no answer / failure ─► done (retried per config or given up)
 */
import { isGone } from '../../ari/index.js';
import { unansweredOutcome } from '../../calls/index.js';
import type { AttemptOutcome, CallbackJob } from '../callbacks/callback-job.js';
import { dialString } from '../callbacks/config-schema.js';
import type { QueueConfig } from '../config-schema.js';
import type { EngineParts, TalkRecords } from './engine-parts.js';
import { CALLBACK_CITIZEN_PREFIX, talkBridgeId } from './offer-ids.js';
import type { QueuedParty } from './queued-party.js';

export const CALLBACK_CITIZEN_ROLE = 'callback-citizen';


export interface CallbackCallDeps extends EngineParts {
  job: CallbackJob;
  queue: QueueConfig;
  talk: TalkRecords;
  /** Told once, when the attempt is over. */
  done(outcome: AttemptOutcome, agentId: string | null): void;
}

type Phase = 'reserved' | 'citizen-ringing' | 'talking' | 'done';

export class CallbackCall implements QueuedParty {
  private phase: Phase = 'reserved';
  private agent: { id: string; channelId: string } | null = null;
  private citizenChannel: string | null = null;
  private answeredAt = 0;

  constructor(private readonly deps: CallbackCallDeps) {}

  get isWaiting(): boolean {
    return this.phase === 'reserved';
  }

  private get id(): string {
    return this.deps.job.id;
  }

  offeredTo(): void {
    // The reservation is not a call of its own: the attempt's outcome tells the story.
  }

  async agentAnswered(channelId: string): Promise<void> {
    const { calls, agents, ari, job, log } = this.deps;
    const config = this.deps.config.callbacks;
    if (this.phase !== 'reserved') return this.hangup(channelId);
    const offer = await calls.state(this.id).catch(() => null);
    if (!offer || offer.state !== 'offered' || offer.offerChannel !== channelId || !offer.agentId) return this.hangup(channelId);
    this.phase = 'citizen-ringing';
    this.agent = { id: offer.agentId, channelId };
    try {
      await calls.answered(this.id);
      this.deps.changed(await agents.apply(offer.agentId, { type: 'answer', callId: this.id }, this.deps.now()));
      const bridgeId = talkBridgeId(this.id);
      await ari.createBridge({ bridgeId, type: 'mixing', name: bridgeId });
      await ari.addToBridge(bridgeId, [channelId]);
      // The agent hears ringing while the citizen's phone rings.
      await ari.ring(channelId).catch(() => undefined);
      this.citizenChannel = `${CALLBACK_CITIZEN_PREFIX}${this.id}-${job.attempts}`;
      await ari.originate({
        endpoint: dialString(config, job.number),
        channelId: this.citizenChannel,
        callerId: config.callerId,
        timeoutSeconds: config.ringTimeoutSeconds,
        appArgs: `role:${CALLBACK_CITIZEN_ROLE},${this.id}`,
        variables: { HOTLINE_CALL_ID: job.callId, HOTLINE_CALLBACK_ID: this.id },
      });
    } catch (err) {
      if (!isGone(err)) log.error({ err, jobId: this.id }, 'callback: the citizen could not be called');
      await this.end('failed');
    }
  }

  /** The citizen answered: their leg entered the app. */
  async citizenAnswered(channelId: string): Promise<void> {
    const { ari } = this.deps;
    if (this.phase !== 'citizen-ringing' || channelId !== this.citizenChannel || !this.agent) return this.hangup(channelId);
    this.phase = 'talking';
    this.answeredAt = this.deps.now();
    await ari.ringStop(this.agent.channelId).catch(() => undefined);
    try {
      await ari.addToBridge(talkBridgeId(this.id), [channelId]);
    } catch (err) {
      if (!isGone(err)) this.deps.log.error({ err, jobId: this.id }, 'callback: could not connect the citizen to the agent');
      return this.end('failed');
    }
    const { job } = this.deps;
    void this.deps.talk
      .save(this.id, { callerChannel: channelId, agentChannel: this.agent.channelId, bridge: talkBridgeId(this.id), app: ari.app, agentId: this.agent.id, queue: job.queue, answeredAt: String(this.answeredAt), callbackOf: job.callId })
      .catch(() => undefined);
  }

  /** The citizen's leg ended: unanswered (busy, no answer, failed) or after talking. */
  async citizenLegEnded(channelId: string, cause: number | undefined): Promise<void> {
    if (channelId !== this.citizenChannel) return;
    if (this.phase === 'citizen-ringing') return this.end(unansweredOutcome(cause));
    if (this.phase === 'talking') return this.end('connected');
  }

  async offerFailed(channelId: string): Promise<void> {
    if (this.phase !== 'reserved') return;
    const { calls, agents, job } = this.deps;
    let agentId: string;
    try {
      agentId = await calls.requeue(this.id, channelId);
    } catch {
      return;
    }
    await agents.missed(agentId, this.id, job.queue, this.deps.now()).then(this.deps.changed, () => undefined);
    this.deps.route?.();
  }

  async agentLegEnded(channelId: string): Promise<void> {
    if (this.agent?.channelId !== channelId) return;
    // The agent left before the citizen answered: the attempt failed (and is retried); after: it was made.
    if (this.phase === 'citizen-ringing') return this.end('failed');
    if (this.phase === 'talking') return this.end('connected');
  }

  /** The attempt is over (however): both legs hung up, the bridge gone, the agent to wrap-up. */
  private async end(outcome: AttemptOutcome): Promise<void> {
    if (this.phase === 'done') return;
    const talked = this.phase === 'talking';
    this.phase = 'done';
    const { ari, agents, queue } = this.deps;
    if (this.citizenChannel) await this.hangup(this.citizenChannel);
    if (this.agent) await this.hangup(this.agent.channelId);
    await ari.destroyBridge(talkBridgeId(this.id)).catch(() => undefined);
    void this.deps.talk.remove(this.id).catch(() => undefined);
    if (this.agent) {
      // Wrap-up after a conversation; straight back to ready after a citizen who did not answer.
      const wrapUpSeconds = talked ? queue.wrapUpSeconds : 0;
      await agents.apply(this.agent.id, { type: 'hang-up', callId: this.id, wrapUpSeconds }, this.deps.now()).then(this.deps.changed, () => undefined);
    }
    this.deps.done(outcome, this.agent?.id ?? null);
  }

  /** Gives the reservation up (the job was cancelled or its lease lost): out of the queue. */
  async abandon(): Promise<void> {
    if (this.phase !== 'reserved') return;
    this.phase = 'done';
    const was = await this.deps.calls.dequeue(this.id).catch(() => ({ was: 'unknown' as const }));
    if (was.was === 'offered') {
      if (was.offerChannel) await this.hangup(was.offerChannel);
      await this.deps.agents.apply(was.agentId, { type: 'caller-gone', callId: this.id }, this.deps.now()).then(this.deps.changed, () => undefined);
    }
  }

  private async hangup(channelId: string): Promise<void> {
    await this.deps.ari.hangup(channelId).catch((err: unknown) => {
      if (!isGone(err)) this.deps.log.warn({ err, channelId }, 'callback: could not hang up a leg');
    });
  }
}
