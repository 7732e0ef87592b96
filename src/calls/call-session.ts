/**
 * One call in the Stasis app, from StasisStart to StasisEnd.
 *
 *   entered ──answer──► answered ──flow──► flow ended ──hangup──► (StasisEnd) ended
 *      └──────────── caller hangs up / Asterisk drops the channel at any point ─────┘
 *
 * The session answers, runs the call's flow through a CallContext, keeps the call record
 * and publishes the call's domain events. It owns every listener, timer and playback of
 * the call and releases them all when the call ends, however it ends.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AriEvent, AriEventOf } from '../ari/index.js';
import { isGone } from '../ari/index.js';
import type { AriPort, HangupReason } from '../ari/index.js';
import type { AdoptedCall, CallContext, CallFlow, FlowResult } from './ports/call-flow.js';
import { CallMedia } from './call-media.js';
import type { CallRecord, CallRecordingNote } from './call-record.js';
import type { CallOutcome, DomainEventPayloads, DomainEventType } from './domain-events.js';
import type { DomainEventBus } from './event-bus.js';
import { ChannelLostError } from './errors.js';
import { causeText, NORMAL_CLEARING, SOFTHANGUP_SHUTDOWN } from './hangup-causes.js';
import { ListenerSet } from './listener-set.js';
import type { PromptCatalog } from './prompt-catalog.js';
import { TimerSet } from './timer-set.js';

export interface CallSessionDeps {
  ari: AriPort;
  bus: DomainEventBus;
  log: Logger;
  prompts: PromptCatalog;
  maxPromptMs: number;
  /** Told of every change of the record worth keeping (phases, path, end). */
  onRecordChange(record: CallRecord): void;
}

export interface CallStart {
  channelId: string;
  caller: { number: string; name: string };
  dialled: string;
  line: string;
  /** The Stasis app the call is in (kept on the record). */
  app?: string;
  /** Present when a restarted service takes over a call already in the app. */
  adopted?: { record: CallRecord | undefined; channelUp: boolean };
}

/** Playback ids the record keeps: enough to stop what may still play after a crash. */
const KEPT_PLAYBACKS = 3;

const now = (): string => new Date().toISOString();

export class CallSession {
  readonly record: CallRecord;
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private readonly timers = new TimerSet();
  private readonly dtmf = new ListenerSet<string>();
  private readonly events = new ListenerSet<AriEvent>();
  private readonly media: CallMedia;
  private hangupSent = false;
  private finished = false;
  private flowResult: FlowResult | undefined;
  private settledOutcome: CallOutcome | undefined;
  /** What the flow is told of an adopted call: the position as it was stored. */
  readonly adoptedFrom: false | AdoptedCall;
  /**
   * The record is made here, under a new call id: a new call, or one adopted with no stored
   * record (its StasisStart lost as the event socket dropped, or its record unreadable).
   * Nothing of this id was published before, so its events begin with call.started.
   */
  private readonly newCall: boolean;
  /** A save is due for a change that publishes no event (position, playbacks). */
  private saveDue = false;
  private readonly endedPromise: Promise<CallRecord>;
  private resolveEnded!: (record: CallRecord) => void;

  constructor(private readonly deps: CallSessionDeps, start: CallStart) {
    const adopted = start.adopted;
    this.record = adopted?.record
      ? // A record stored before calls kept their sequence: go on from 0 (the outbox still never repeats one it holds).
        { ...adopted.record, adopted: true, app: adopted.record.app ?? start.app, lastEventSequence: adopted.record.lastEventSequence ?? 0 }
      : {
          callId: randomUUID(),
          channelId: start.channelId,
          caller: start.caller,
          dialled: start.dialled,
          line: start.line,
          // An adopted call with no stored record: what Asterisk tells is all there is.
          phases: adopted?.channelUp ? { entered: now(), answered: now() } : { entered: now() },
          path: [],
          adopted: Boolean(adopted),
          ...(start.app === undefined ? {} : { app: start.app }),
          // A new call id, so a new numbering: nothing of this id was published before.
          lastEventSequence: 0,
        };
    this.newCall = !adopted?.record;
    this.adoptedFrom = adopted ? { recordFound: Boolean(adopted.record), position: this.record.position, queue: this.record.queue } : false;
    this.log = deps.log.child({ callId: this.record.callId, channelId: start.channelId });
    this.endedPromise = new Promise((resolve) => (this.resolveEnded = resolve));
    this.media = new CallMedia({
      ari: deps.ari,
      channelId: start.channelId,
      log: this.log,
      signal: this.abort.signal,
      timers: this.timers,
      maxPromptMs: deps.maxPromptMs,
      language: deps.prompts.defaultLanguage,
      onDtmf: (l) => this.dtmf.add(l),
      hangingUp: () => this.record.phases.hangupRequested !== undefined,
      onPlay: (playbackId) => {
        this.record.playbacks = [...(this.record.playbacks ?? []).slice(1 - KEPT_PLAYBACKS), playbackId];
        this.saveSoon();
      },
    });
  }

  get callId(): string {
    return this.record.callId;
  }

  get channelId(): string {
    return this.record.channelId;
  }

  get isEnded(): boolean {
    return this.finished;
  }

  /** Resolves with the final record once the call has left the app. */
  ended(): Promise<CallRecord> {
    return this.endedPromise;
  }

  /** What the call still holds: all zero once it has ended. */
  resources(): { timers: number; dtmfListeners: number; eventListeners: number; playbacks: number } {
    return { timers: this.timers.size, dtmfListeners: this.dtmf.size, eventListeners: this.events.size, playbacks: this.media.inFlight };
  }

  /** Keeps the recorder's note on the record (merged with what is there); ignored once the call ended. */
  noteRecording(note: Partial<CallRecordingNote> & Pick<CallRecordingNote, 'asteriskName' | 'state'>): void {
    if (this.finished) return;
    this.record.recording = { pauses: [], ...this.record.recording, ...note };
    this.changed();
  }

  /** Answers the call and runs the flow on it; resolves when the flow is done with it. */
  async run(flow: CallFlow): Promise<void> {
    if (this.newCall) {
      this.publish('call.started', {
        channelId: this.channelId,
        caller: this.record.caller.number,
        callerName: this.record.caller.name,
        dialled: this.record.dialled,
        line: this.record.line,
      });
    }
    try {
      if (!this.record.phases.answered) {
        await this.deps.ari.answer(this.channelId);
        this.record.phases.answered = now();
        this.publish('call.answered', { channelId: this.channelId });
      }
      if (this.finished) return;
      if (this.adoptedFrom) await this.stopOrphanedPlaybacks();
      if (this.finished) return;
      this.record.phases.flowStarted ??= now();
      this.changed();
      this.flowResult = await flow.run(this.context());
      this.record.phases.flowEnded = now();
      this.changed();
      if (this.flowResult.then === 'hangup') await this.hangup('normal');
    } catch (err) {
      if (this.finished || isGone(err)) return;
      this.log.error({ err }, 'call flow failed; hanging up');
      this.flowResult = { then: 'hangup', outcome: 'failed' };
      await this.hangup('normal');
    }
  }

  /**
   * A process that died mid-prompt leaves its playback running in Asterisk, and a new
   * playback would queue behind it: the caller would hear the rest of the old prompt, and a
   * key pressed then would not stop it. The record names the last playbacks; stop them
   * (those already over answer 404, which is fine).
   */
  private async stopOrphanedPlaybacks(): Promise<void> {
    const ids = this.record.playbacks ?? [];
    if (ids.length === 0) return;
    await Promise.all(
      ids.map((id) =>
        this.deps.ari.stopPlayback(id).catch((err: unknown) => {
          if (!isGone(err)) this.log.warn({ err, playbackId: id }, 'could not stop a playback left by the previous process');
        }),
      ),
    );
    this.record.playbacks = [];
  }

  /** After the event socket came back: ends the prompts whose end fell into the outage (call-media.ts). */
  async recheckPlaybacks(): Promise<void> {
    if (this.finished) return;
    const ended = await this.media.recheck();
    if (ended > 0) this.log.info({ ended }, 'prompts that ended while the event socket was down go on as finished');
  }

  /** Every ARI event about this call's channel or its playbacks. */
  handle(event: AriEvent): void {
    if (this.finished) return;
    switch (event.type) {
      case 'ChannelDtmfReceived':
        this.dtmf.emit(event.digit, (err) => this.log.error({ err }, 'DTMF listener failed'));
        break;
      case 'PlaybackFinished':
        this.media.playbackFinished(event);
        break;
      case 'ChannelHangupRequest':
        this.hangupRequested(event);
        break;
      case 'StasisEnd':
        this.end('StasisEnd');
        return;
      default:
        break;
    }
    this.events.emit(event, (err) => this.log.error({ err }, 'call event listener failed'));
  }

  /** Asks Asterisk to hang up; the call ends when StasisEnd follows. */
  async hangup(reason: HangupReason = 'normal'): Promise<void> {
    if (this.finished || this.hangupSent) return;
    this.hangupSent = true;
    try {
      await this.deps.ari.hangup(this.channelId, reason);
    } catch (err) {
      // Gone already, or ended while the answer was on its way: the hangup happened.
      if (isGone(err) || this.finished) return;
      this.hangupSent = false;
      this.log.error({ err }, 'hangup request failed');
    }
  }

  /**
   * Ends the session. Normally on StasisEnd; also when the registry learns the channel no
   * longer exists (Asterisk restarted while the service was disconnected).
   */
  end(why: 'StasisEnd' | 'channel-lost'): void {
    if (this.finished) return;
    this.finished = true;
    const r = this.record;
    r.phases.ended = now();
    if (why === 'channel-lost') {
      r.endedBy ??= 'asterisk';
      r.outcome = 'dropped';
    } else {
      r.endedBy ??= 'service';
      r.outcome = this.outcome();
    }
    // Found gone: hung up unheard, not handed on (a waiting caller is a missed call).
    this.abort.abort(why === 'channel-lost' ? new ChannelLostError() : undefined);
    this.timers.clearAll();
    this.dtmf.clear();
    this.events.clear();
    this.publish('call.ended', {
      channelId: r.channelId,
      outcome: r.outcome,
      endedBy: r.endedBy,
      hangupCause: r.hangupCause ?? null,
      hangupCauseText: r.hangupCauseText ?? null,
      durationMs: Date.parse(r.phases.ended) - Date.parse(r.phases.entered),
    });
    this.log.info({ outcome: r.outcome, endedBy: r.endedBy, cause: r.hangupCause }, 'call ended');
    this.resolveEnded(r);
  }

  /**
   * With `soft: true` Asterisk puts its soft-hangup reason flag in `cause` (32: explicit
   * request such as ours over ARI, 4: Asterisk shutting down), not a Q.850 cause; only a
   * hard request carries a Q.850 cause, and a SIP BYE carries none (normal clearing).
   */
  private hangupRequested(event: AriEventOf<'ChannelHangupRequest'>): void {
    const r = this.record;
    if (r.phases.hangupRequested) return;
    r.phases.hangupRequested = now();
    if (this.hangupSent) {
      r.endedBy = 'service';
      r.hangupCause = NORMAL_CLEARING;
    } else if (event.soft && event.cause === SOFTHANGUP_SHUTDOWN) {
      r.endedBy = 'asterisk';
      r.hangupCause = null;
    } else {
      r.endedBy = 'caller';
      r.hangupCause = event.soft ? NORMAL_CLEARING : (event.cause ?? NORMAL_CLEARING);
    }
    r.hangupCauseText = r.hangupCause === null ? 'Asterisk shutting down' : causeText(r.hangupCause);
    this.changed();
  }

  private outcome(): CallOutcome {
    // Asterisk ended it (shutting down): whatever the flow was doing, the call was dropped.
    if (this.record.endedBy === 'asterisk') return 'dropped';
    const result = this.flowResult;
    if (result && result.then !== 'caller-gone') return result.outcome;
    if (this.settledOutcome) return this.settledOutcome;
    // A caller who hangs up after talking to an agent ends a served call, not an abandoned one.
    if (this.record.queue?.result === 'answered') return 'completed';
    if (this.record.endedBy === 'caller') return 'abandoned';
    // Left the app with no hangup (continued into the dialplan, moved): handed on.
    return this.record.phases.hangupRequested ? 'completed' : 'transferred';
  }

  /**
   * Numbers the event and stores the record before the event leaves: a restarted service
   * that adopts the call reads the last number from the record and goes on after it.
   * Every publish saves the record, so the callers' own changes go with it.
   */
  private publish<T extends DomainEventType>(type: T, data: DomainEventPayloads[T]): void {
    const sequence = ++this.record.lastEventSequence;
    this.changed();
    this.deps.bus.publish(type, this.callId, data, sequence);
  }

  private changed(): void {
    this.saveDue = false;
    this.deps.onRecordChange(this.record);
  }

  /**
   * Saves after the current step unless an event's save comes first: a menu step's position
   * and its prompt's playback usually ride with the step's own event.
   */
  private saveSoon(): void {
    if (this.saveDue || this.finished) return;
    this.saveDue = true;
    queueMicrotask(() => {
      if (this.saveDue && !this.finished) this.changed();
    });
  }

  private context(): CallContext {
    const r = this.record;
    return {
      callId: r.callId,
      channelId: r.channelId,
      caller: r.caller,
      dialled: r.dialled,
      line: r.line,
      language: this.deps.prompts.defaultLanguage,
      adopted: this.adoptedFrom,
      log: this.log,
      signal: this.abort.signal,
      ari: this.deps.ari,
      promptMedia: (id) => this.deps.prompts.media(id),
      play: (media, options) => this.media.play(media, options),
      onDtmf: (listener) => this.dtmf.add(listener),
      onEvent: (listener) => this.events.add(listener),
      setTimer: (ms, fn) => this.timers.set(ms, fn),
      recordStep: (step, next = null) => {
        r.path.push({ at: now(), ...step });
        this.publish('call.ivr-choice', { node: step.node, input: step.input, outcome: step.outcome, next });
      },
      noteQueue: (note) => {
        r.queue = { enqueuedAt: now(), priority: 0, offeredTo: [], ...r.queue, ...note };
        this.changed();
      },
      noteEmergency: (receipt) => {
        const receipts = (r.emergency ??= []);
        const at = receipts.findIndex((x) => x.startedAt === receipt.startedAt);
        if (at >= 0) receipts[at] = { ...receipts[at]!, ...receipt };
        else receipts.push(receipt);
        this.changed();
      },
      keepPosition: (position) => {
        r.position = position;
        this.saveSoon();
      },
      settleOutcome: (outcome) => {
        this.settledOutcome = outcome;
      },
      publish: (type, data) => this.publish(type, data),
    };
  }
}
