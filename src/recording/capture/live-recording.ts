/**
 * One call's recording on Asterisk, from the answer to the hangup.
 *
 * A channel in a bridge cannot be recorded (trace s15: 201, then RecordingFailed) and a
 * bridge recording neither follows the caller to the next bridge nor counts the time no
 * audio flows. So the caller's channel is snooped (spy both: caller and whoever they hear)
 * into the app, and the snoop channel, which is in no bridge, is recorded: one file at wall
 * time whatever bridges the caller goes through (menu, queue, agent, three-way, transfer).
 *
 * The snoop's StasisStart may come before or after the HTTP answer (s14), so it is awaited
 * before recording. A start that fails is tried once more with a new snoop and file name;
 * a second failure is logged and counted, and the call goes on unrecorded: nothing here
 * ever touches the caller's channel.
 */
import type { Logger } from 'pino';
import type { AriEvent, AriPort } from '../../ari/index.js';
import { isAriError, isGone } from '../../ari/index.js';
import { withTimeout } from '../../shared/with-timeout.js';
import type { RecordingPause } from '../recording-sink.js';
import type { CaptureConfig } from './config-schema.js';
import { controlDecision, RECORDING_ROLE, recordingName, snoopId, withPause, withResume, type LiveState, type PendingRecording } from './decisions.js';
import { CaptureError } from './errors.js';
import type { CaptureMetrics } from './metrics.js';

const START_ATTEMPTS = 2;

export interface LiveRecordingDeps {
  ari: AriPort;
  config: CaptureConfig;
  log: Logger;
  metrics: CaptureMetrics;
  /** Routes the snoop's and the recording's events here from now on (before Asterisk is asked). */
  track(recording: LiveRecording, snoopId: string, name: string): void;
  /** Told when the pauses or the state changed (kept in Redis and on the call record). */
  changed(recording: LiveRecording): void;
}

interface Waiter<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function waiter<T>(): Waiter<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

type StartOutcome = { started: true } | { started: false; cause: string };

export class LiveRecording {
  private stateNow: LiveState = 'starting';
  private data: PendingRecording;
  private entered = waiter<void>();
  private startOutcome = waiter<StartOutcome>();
  private finishedEvent = waiter<void>();
  private starting: Promise<void> = Promise.resolve();
  private finishing: Promise<PendingRecording | null> | undefined;

  constructor(private readonly deps: LiveRecordingDeps, call: Omit<PendingRecording, 'asteriskName' | 'snoopId' | 'endedAt' | 'pauses' | 'stage'>, recovered?: PendingRecording) {
    this.data = recovered ?? { ...call, asteriskName: recordingName(call.callId, call.startedAt), snoopId: snoopId(call.callId), endedAt: null, pauses: [], stage: 'recording' };
    if (recovered) {
      // Found live on Asterisk after a restart: paused if the last pause never closed.
      this.stateNow = recovered.pauses.some((p) => p.resumedAt === null) ? 'paused' : 'recording';
      deps.track(this, recovered.snoopId, recovered.asteriskName);
    }
  }

  get state(): LiveState {
    return this.stateNow;
  }

  get isFinishing(): boolean {
    return this.finishing !== undefined;
  }

  get pending(): PendingRecording {
    return this.data;
  }

  get pauses(): RecordingPause[] {
    return this.data.pauses;
  }

  /** Starts recording; resolves when it runs or has failed for good. Never rejects. */
  start(): Promise<void> {
    this.starting = this.startWithRetry();
    return this.starting;
  }

  /** The snoop channel entered the app. */
  snoopEntered(): void {
    this.entered.resolve();
  }

  /** An event of the snoop channel or of its recording. */
  handle(event: AriEvent): void {
    if (!('recording' in event) || event.recording.name !== this.data.asteriskName) return;
    if (event.type === 'RecordingStarted') this.startOutcome.resolve({ started: true });
    else if (event.type === 'RecordingFailed') this.startOutcome.resolve({ started: false, cause: event.recording.cause ?? 'RecordingFailed' });
    else if (event.type === 'RecordingFinished') {
      this.finishedEvent.resolve();
      if (this.stateNow === 'recording' || this.stateNow === 'paused') this.deps.log.info({ recording: this.data.asteriskName }, 'the call\'s recording finished on Asterisk (the caller\'s channel went)');
    }
  }

  /** Resolves when Asterisk has finished the file (the caller's channel went, or it was stopped). */
  finishedOnAsterisk(): Promise<void> {
    return this.finishedEvent.promise;
  }

  async pause(at: string, by: string, reason: string | null): Promise<void> {
    await this.control('pause', () => this.deps.ari.pauseRecording(this.data.asteriskName), () => {
      this.data = { ...this.data, pauses: withPause(this.data.pauses, at, by, reason) };
      this.stateNow = 'paused';
    });
  }

  async resume(at: string): Promise<void> {
    await this.control('resume', () => this.deps.ari.unpauseRecording(this.data.asteriskName), () => {
      this.data = { ...this.data, pauses: withResume(this.data.pauses, at) };
      this.stateNow = 'recording';
    });
  }

  /**
   * The call ended: stops the recording, waits for Asterisk to close the file (RecordingFinished,
   * or the configured wait), lets the snoop go. Resolves with what the hand-over needs, or null
   * when nothing was recorded.
   */
  finish(endedAt: string, stop = true): Promise<PendingRecording | null> {
    // Once: the call's end and Asterisk's own finish may both ask.
    return (this.finishing ??= this.finishOnce(endedAt, stop));
  }

  private async finishOnce(endedAt: string, stop: boolean): Promise<PendingRecording | null> {
    await this.starting;
    if (this.stateNow === 'failed') return null;
    this.stateNow = 'stopping';
    const { ari, log, config } = this.deps;
    const name = this.data.asteriskName;
    // Gone already when the caller hung up: the snoop ended with the caller's channel.
    if (stop) {
      await ari.stopRecording(name).catch((err: unknown) => {
        if (!isGone(err)) log.warn({ err, recording: name }, 'could not stop the call\'s recording; waiting for it to finish');
      });
    }
    try {
      await withTimeout(this.finishedEvent.promise, config.finishWaitSeconds * 1000, 'RecordingFinished');
    } catch {
      log.warn({ recording: name }, 'no RecordingFinished; the hand-over fetches the stored file anyway');
    }
    await ari.hangup(this.data.snoopId).catch((err: unknown) => {
      if (!isGone(err)) log.warn({ err, snoopId: this.data.snoopId }, 'could not hang up the recording\'s snoop');
    });
    this.data = { ...this.data, endedAt, stage: 'finished' };
    this.deps.metrics.count('finished');
    return this.data;
  }

  private async control(op: 'pause' | 'resume', ask: () => Promise<void>, apply: () => void): Promise<void> {
    const decision = controlDecision(this.stateNow, op);
    if (!decision.ok) throw new CaptureError(decision.code, `the call's recording cannot ${op} now (${this.stateNow})`);
    const before = { state: this.stateNow, data: this.data };
    // Applied before Asterisk answers: a second request meanwhile sees the new state.
    apply();
    try {
      await ask();
    } catch (err) {
      this.stateNow = before.state;
      this.data = before.data;
      if (isAriError(err, 'ari:conflict') || isGone(err)) throw new CaptureError('recording:not-recording', 'Asterisk no longer records this call');
      throw err;
    }
    this.deps.changed(this);
  }

  private async startWithRetry(): Promise<void> {
    const { log, metrics } = this.deps;
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        await this.startOnce(attempt);
        this.stateNow = 'recording';
        metrics.count('started');
        this.deps.changed(this);
        return;
      } catch (err) {
        await this.deps.ari.hangup(this.data.snoopId).catch(() => undefined);
        if (attempt < START_ATTEMPTS) {
          metrics.count('start-retried');
          log.warn({ err: describe(err), attempt }, 'the call\'s recording did not start; trying once more');
        } else {
          metrics.count('start-failed');
          log.error({ err: describe(err) }, 'the call\'s recording could not start; the call goes on unrecorded');
        }
      }
    }
    this.stateNow = 'failed';
    this.deps.changed(this);
  }

  private async startOnce(attempt: number): Promise<void> {
    const { ari, config } = this.deps;
    const { callId, channelId, startedAt } = this.data;
    this.data = { ...this.data, snoopId: snoopId(callId, attempt), asteriskName: recordingName(callId, startedAt, attempt) };
    this.entered = waiter();
    this.startOutcome = waiter();
    this.finishedEvent = waiter();
    this.deps.track(this, this.data.snoopId, this.data.asteriskName);
    const waitMs = config.startWaitSeconds * 1000;
    await ari.snoop(channelId, { snoopId: this.data.snoopId, spy: 'both', whisper: 'none', appArgs: `role:${RECORDING_ROLE},${callId}` });
    await withTimeout(this.entered.promise, waitMs, 'the snoop\'s StasisStart');
    await ari.record({ channelId: this.data.snoopId }, {
      name: this.data.asteriskName,
      format: config.format,
      ifExists: 'fail',
      maxDurationSeconds: 0,
      maxSilenceSeconds: 0,
      beep: false,
      terminateOn: 'none',
    });
    // The 201 says `queued`: RecordingStarted or RecordingFailed tells.
    const outcome = await withTimeout(this.startOutcome.promise, waitMs, 'RecordingStarted');
    if (!outcome.started) throw new Error(`RecordingFailed: ${outcome.cause}`);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
