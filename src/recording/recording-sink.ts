/**
 * Where a finished call recording goes: the capture side (which records the caller's
 * channel on Asterisk) hands each finished file here, and the archive (digests, manifest,
 * storage, retention) takes it. The capture deletes Asterisk's copy only after `ingest`
 * resolved: a rejection means "not stored, keep your copy and try again later".
 */
import type { Readable } from 'node:stream';

/** One pause an agent asked for (card numbers and the like), kept in the manifest. */
export interface RecordingPause {
  /** ISO 8601 UTC. */
  pausedAt: string;
  /** Null when the call ended while paused. */
  resumedAt: string | null;
  /** Who asked: an agent id or an API actor. */
  by: string;
  reason: string | null;
}

export interface FinishedRecording {
  /** The call the recording spans; one recording per call. */
  callId: string;
  /** Asterisk's name for the stored file (without the format extension). */
  asteriskName: string;
  /** The caller's number, whole: the archive masks it in the manifest and keeps a lookup digest. */
  callerNumber: string | null;
  /** The number the citizen dialled (12345) and the line it came in on. */
  dialled: string;
  line: string;
  /** ISO 8601 UTC: the answer, and the hangup. */
  startedAt: string;
  endedAt: string;
  format: string;
  pauses: RecordingPause[];
  /** Opens the file's bytes (from Asterisk over ARI, or the shared spool); may be called again on a retry. */
  open(): Promise<Readable>;
}

export interface StoredRecordingRef {
  /** The archive's id of the recording (stable for the call: ingesting the same call twice returns the same ref). */
  recordingId: string;
  sizeBytes: number;
  sha256: string;
  sm3: string;
  durationSeconds: number;
  /** ISO 8601 UTC: no deletion before this. */
  retainUntil: string;
}

export interface RecordingSink {
  /** Stores the recording durably (digests computed while streaming); idempotent by call id. */
  ingest(recording: FinishedRecording): Promise<StoredRecordingRef>;
}
