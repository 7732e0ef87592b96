/**
 * The call recorder's decisions, as plain functions of data: names, what a pause or resume
 * may do in the recording's state, what the hand-over does next, how long it waits.
 *
 *   answered ──snoop+record──► recording ◄──resume── paused
 *      │ fails twice              │  └──pause──────────►│
 *      ▼                          ▼ call ended          ▼
 *    failed (logged,           finished ──ingest ok──► archived ──event out, Asterisk's copy deleted──► (gone)
 *    the call goes on)            └── ingest fails: same step again after a backoff ──┘
 */
import type { RecordingPause, StoredRecordingRef } from '../recording-sink.js';
import { backoffMs } from '../../shared/backoff.js';
import type { CaptureErrorCode } from './errors.js';

export const SNOOP_PREFIX = 'rec-';
/** The role the snoop channels enter the app with (`role:recording,<callId>`). */
export const RECORDING_ROLE = 'recording';

export type LiveState = 'starting' | 'recording' | 'paused' | 'failed' | 'stopping';

/** What is kept in Redis about a call's recording until Asterisk's copy is deleted. */
export interface PendingRecording {
  callId: string;
  channelId: string;
  asteriskName: string;
  snoopId: string;
  callerNumber: string | null;
  dialled: string;
  line: string;
  format: string;
  startedAt: string;
  endedAt: string | null;
  pauses: RecordingPause[];
  /** recording: on Asterisk now; finished: the file is stored on Asterisk; archived: the archive confirmed. */
  stage: 'recording' | 'finished' | 'archived';
  ref?: StoredRecordingRef;
  /** The call.recorded event's id, fixed once archived: a republished event is the same event downstream. */
  eventId?: string;
}

/** The snoop channel of a call's recording (attempt 2 is the retry of a failed start). */
export function snoopId(callId: string, attempt = 1): string {
  return `${SNOOP_PREFIX}${callId}${attempt > 1 ? `-${attempt}` : ''}`;
}

/**
 * `hotline-<yyyy-mm-dd>-<callId>`: the day first, so the spool lists by day; flat, since a
 * name with `/` must travel %2F-encoded in the stored-recording paths and not every proxy
 * or Asterisk version lets that through. The retry's file has its own name.
 */
export function recordingName(callId: string, answeredAt: string, attempt = 1): string {
  return `hotline-${answeredAt.slice(0, 10)}-${callId}${attempt > 1 ? `-${attempt}` : ''}`;
}

/** The call a snoop channel records, from its id. */
export function callOfSnoop(channelId: string): string | undefined {
  if (!channelId.startsWith(SNOOP_PREFIX)) return undefined;
  return channelId.slice(SNOOP_PREFIX.length).replace(/-\d+$/, '');
}

/** Whether pause or resume may go to Asterisk now, or the refusal's code. */
export function controlDecision(state: LiveState | undefined, op: 'pause' | 'resume'): { ok: true } | { ok: false; code: CaptureErrorCode } {
  if (state === undefined) return { ok: false, code: 'recording:unknown-call' };
  if (state !== 'recording' && state !== 'paused') return { ok: false, code: 'recording:not-recording' };
  if (op === 'pause' && state === 'paused') return { ok: false, code: 'recording:already-paused' };
  if (op === 'resume' && state === 'recording') return { ok: false, code: 'recording:not-paused' };
  return { ok: true };
}

export function withPause(pauses: RecordingPause[], at: string, by: string, reason: string | null): RecordingPause[] {
  return [...pauses, { pausedAt: at, resumedAt: null, by, reason }];
}

/** Closes the open pause; a recording that ends while paused keeps `resumedAt: null`. */
export function withResume(pauses: RecordingPause[], at: string): RecordingPause[] {
  return pauses.map((p) => (p.resumedAt === null ? { ...p, resumedAt: at } : p));
}

export type HandoverStep = 'wait-for-end' | 'ingest' | 'publish-and-delete';

/** What the hand-over does next for a pending recording. */
export function nextHandoverStep(p: Pick<PendingRecording, 'stage'>): HandoverStep {
  if (p.stage === 'recording') return 'wait-for-end';
  return p.stage === 'finished' ? 'ingest' : 'publish-and-delete';
}

/** The wait before hand-over attempt `attempt + 1`. */
export function handoverDelayMs(attempt: number, retry: { firstMs: number; maxMs: number }): number {
  return backoffMs(attempt, retry.firstMs, retry.maxMs);
}

/**
 * A recording found in Redis at start-up, stage `recording`: still live when its snoop is
 * still on Asterisk (the call goes on, the recording with it), else it ended while the
 * service was away and its file waits on Asterisk.
 */
export function recoveredStage(snoopAlive: boolean): 'live' | 'finished' {
  return snoopAlive ? 'live' : 'finished';
}

/**
 * Whether a call left the app with its caller still connected (handed to the dialplan, e.g.
 * at shutdown): no hangup was seen and the service ended it. Then the recording goes on until
 * the caller's channel goes; otherwise it stops with the call. (The outcome does not tell: a
 * caller put through to 110 who hangs up there counts as transferred too.)
 */
export function leftAlive(ended: { endedBy: 'caller' | 'service' | 'asterisk'; hangupCause: number | null }): boolean {
  return ended.endedBy === 'service' && ended.hangupCause === null;
}
