/**
 * Records every citizen's call from its answer to its hangup, and sees each recording into
 * the archive. Attached to the call registry like the other features: it hears the calls'
 * domain events (started → who, answered → record, agent-answered → whose call it is,
 * ended → finish) and, through `watchChannels('rec-')` and the `recording` role, the events
 * of its snoop channels and their recordings.
 *
 * The recording never holds up or endangers the call: the bus handlers only start work in
 * the background, nothing here touches the caller's channel, and a recording that cannot
 * start is logged, counted and the call goes on.
 */
import type { Logger } from 'pino';
import type { AriPort } from '../../ari/index.js';
import { isGone } from '../../ari/index.js';
import type { CallRegistry, DomainEventBus } from '../../calls/index.js';
import { maskPhoneNumbers } from '../../log/mask.js';
import type { RecordingPause, StoredRecordingRef } from '../recording-sink.js';
import type { CaptureConfig } from './config-schema.js';
import { leftAlive, RECORDING_ROLE, recoveredStage, SNOOP_PREFIX, type LiveState, type PendingRecording } from './decisions.js';
import { CaptureError } from './errors.js';
import type { Handover } from './handover.js';
import { LiveRecording } from './live-recording.js';
import type { CaptureMetrics } from './metrics.js';
import type { PendingStore } from './pending-store.js';

export interface CallRecorderDeps {
  ari: AriPort;
  bus: DomainEventBus;
  config: CaptureConfig;
  store: PendingStore;
  handover: Handover;
  metrics: CaptureMetrics;
  log: Logger;
  now?: () => Date;
}

interface CallFacts {
  channelId: string;
  caller: string;
  dialled: string;
  line: string;
  agentId?: string;
}

export interface RecordingStatus {
  callId: string;
  state: LiveState;
  asteriskName: string;
  pauses: RecordingPause[];
}

export class CallRecorder {
  private readonly calls = new Map<string, CallFacts>();
  private readonly live = new Map<string, LiveRecording>();
  private readonly bySnoop = new Map<string, LiveRecording>();
  private registry: CallRegistry | undefined;
  private readonly now: () => Date;

  constructor(private readonly deps: CallRecorderDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Hears the calls and the snoop channels; returns the detach function. */
  attach(registry: CallRegistry): () => void {
    this.registry = registry;
    const { bus } = this.deps;
    registry.registerRole(RECORDING_ROLE, (event) => this.bySnoop.get(event.channel.id)?.snoopEntered());
    const offs = [
      registry.watchChannels(SNOOP_PREFIX, (event, channelId) => this.bySnoop.get(channelId)?.handle(event)),
      bus.on('call.started', (e) => this.calls.set(e.callId, { channelId: e.data.channelId, caller: e.data.caller, dialled: e.data.dialled, line: e.data.line })),
      bus.on('call.answered', (e) => this.answered(e.callId, e.at)),
      bus.on('call.agent-answered', (e) => {
        const facts = this.calls.get(e.callId);
        if (facts) facts.agentId = e.data.agentId;
      }),
      bus.on('call.ended', (e) => void this.ended(e.callId, e.at, leftAlive(e.data))),
    ];
    return () => {
      for (const off of offs) off();
      this.registry = undefined;
    };
  }

  /**
   * At start: recordings a stopped service left. Finished ones are handed over again; one
   * still marked recording is live when its snoop is still on Asterisk (its call goes on and
   * ends here), else it ended while nobody watched and its file waits on Asterisk.
   */
  async recover(): Promise<void> {
    const pending = await this.deps.store.all();
    for (const p of pending) {
      if (p.stage !== 'recording') {
        void this.deps.handover.run(p);
        continue;
      }
      const alive = await this.deps.ari.getChannel(p.snoopId).then(() => true, (err: unknown) => (isGone(err) ? false : Promise.reject(err)));
      if (recoveredStage(alive) === 'live') {
        const recording = this.recording(p, p);
        this.live.set(p.callId, recording);
        this.calls.set(p.callId, { channelId: p.channelId, caller: p.callerNumber ?? '', dialled: p.dialled, line: p.line });
        // The call, re-adopted here, ends it; one no longer in the app ends with the caller's channel.
        void recording.finishedOnAsterisk().then(() => {
          if (this.live.get(p.callId) === recording) void this.finishAndHandOver(recording, undefined);
        });
      } else {
        this.deps.log.info({ callId: p.callId, recording: p.asteriskName }, 'a call recording ended while the service was away; handing it over');
        void this.deps.handover.run({ ...p, stage: 'finished', endedAt: p.endedAt ?? this.now().toISOString() });
      }
    }
  }

  status(callId: string): RecordingStatus | undefined {
    const r = this.live.get(callId);
    return r && { callId, state: r.state, asteriskName: r.pending.asteriskName, pauses: r.pauses };
  }

  /** The agent who answered the call (the last one, after a transfer to an agent). */
  agentOn(callId: string): string | undefined {
    return this.calls.get(callId)?.agentId;
  }

  async pause(callId: string, by: string, reason: string | null): Promise<RecordingStatus> {
    const r = this.liveOrThrow(callId);
    // The reason is an agent's words: a number typed into it (the card number being kept
    // out of the recording) is masked before it is kept or logged.
    const masked = reason === null ? null : maskPhoneNumbers(reason);
    await r.pause(this.now().toISOString(), by, masked);
    this.deps.log.info({ callId, by, reason: masked, recording: r.pending.asteriskName }, 'call recording paused');
    return this.status(callId)!;
  }

  async resume(callId: string, by: string): Promise<RecordingStatus> {
    const r = this.liveOrThrow(callId);
    await r.resume(this.now().toISOString());
    this.deps.log.info({ callId, by, recording: r.pending.asteriskName }, 'call recording resumed');
    return this.status(callId)!;
  }

  private liveOrThrow(callId: string): LiveRecording {
    const r = this.live.get(callId);
    if (r) return r;
    if (this.calls.has(callId)) throw new CaptureError('recording:not-recording', 'the call is not being recorded');
    throw new CaptureError('recording:unknown-call', 'no such call in this service');
  }

  private answered(callId: string, at: string): void {
    const facts = this.calls.get(callId);
    if (!facts || this.live.has(callId)) return;
    const recording = this.recording({
      callId,
      channelId: facts.channelId,
      callerNumber: facts.caller || null,
      dialled: facts.dialled,
      line: facts.line,
      format: this.deps.config.format,
      startedAt: at,
    });
    this.live.set(callId, recording);
    void recording.start();
  }

  private recording(call: ConstructorParameters<typeof LiveRecording>[1], recovered?: PendingRecording): LiveRecording {
    const log = this.deps.log.child({ callId: call.callId });
    return new LiveRecording(
      {
        ari: this.deps.ari,
        config: this.deps.config,
        log,
        metrics: this.deps.metrics,
        track: (r, snoopId) => this.bySnoop.set(snoopId, r),
        changed: (r) => this.changed(r),
      },
      call,
      recovered,
    );
  }

  /** Kept in Redis (best effort: the call goes on without it) and on the call record. */
  private changed(r: LiveRecording): void {
    const p = r.pending;
    if (r.state === 'failed') void this.deps.store.remove(p.callId).catch(() => undefined);
    else void this.deps.store.save(p).catch((err: unknown) => this.deps.log.warn({ err, callId: p.callId }, 'could not keep the call recording\'s state in Redis'));
    this.registry?.noteRecording(p.channelId, { asteriskName: p.asteriskName, state: r.state, pauses: p.pauses });
  }

  /**
   * The call left the app. Hung up: the recording stops now. Handed on alive (to the
   * dialplan, e.g. on shutdown): the caller is still talking, so the recording goes on until
   * the caller's channel goes, which ends the snoop and its recording (RecordingFinished).
   */
  private async ended(callId: string, at: string, callerStillThere: boolean): Promise<void> {
    const r = this.live.get(callId);
    this.calls.delete(callId);
    if (!r) return;
    const handedOn = callerStillThere && (r.state === 'recording' || r.state === 'paused');
    await this.finishAndHandOver(r, handedOn ? undefined : at);
  }

  /** `endedAt` undefined: when Asterisk finishes the file by itself. */
  private async finishAndHandOver(r: LiveRecording, endedAt: string | undefined): Promise<void> {
    try {
      if (endedAt === undefined) await r.finishedOnAsterisk();
      const first = !r.isFinishing;
      const finished = await r.finish(endedAt ?? this.now().toISOString(), endedAt !== undefined);
      if (finished && first) void this.deps.handover.run(finished);
    } finally {
      const callId = r.pending.callId;
      if (this.live.get(callId) === r) this.live.delete(callId);
      for (const [snoop, rec] of this.bySnoop) if (rec === r) this.bySnoop.delete(snoop);
    }
  }

  /** The archive confirmed: the record of a call still running takes the reference. */
  archived(p: PendingRecording, ref: StoredRecordingRef): void {
    this.registry?.noteRecording(p.channelId, {
      asteriskName: p.asteriskName,
      state: 'archived',
      pauses: p.pauses,
      recordingId: ref.recordingId,
      sha256: ref.sha256,
      sm3: ref.sm3,
      sizeBytes: ref.sizeBytes,
      retainUntil: ref.retainUntil,
    });
  }
}
