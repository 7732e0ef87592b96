/**
 * Every way the recording archive refuses or fails, named once, each with a constant code
 * and the HTTP status an API answers with.
 */
export const RECORDING_ERRORS = {
  noSuchRecording: { code: 'recording:no-such-recording', status: 404 },
  /** Retention is the law's (Shangrao art. 13(9)): nothing goes before its retain-until. */
  retained: { code: 'recording:retained', status: 409 },
  /** A legal hold keeps the recording past its retain-until until the hold is cleared or lapses. */
  legalHold: { code: 'recording:legal-hold', status: 409 },
  /** The storage already holds an object under this key (objects are written once). */
  exists: { code: 'recording:exists', status: 409 },
  /** The bytes do not match the digest they were given or stored with. */
  checksumMismatch: { code: 'recording:checksum-mismatch', status: 500 },
  rangeNotSatisfiable: { code: 'recording:range-not-satisfiable', status: 416 },
  /** The recording is not a WAV file the archive can read a duration from. */
  badAudio: { code: 'recording:bad-audio', status: 422 },
  forbidden: { code: 'recording:forbidden', status: 403 },
  /** The audio was deleted by retention (the manifest stays as the record of it). */
  disposed: { code: 'recording:disposed', status: 410 },
} as const;

export type RecordingErrorName = keyof typeof RECORDING_ERRORS;
export type RecordingErrorCode = (typeof RECORDING_ERRORS)[RecordingErrorName]['code'];

export class RecordingError extends Error {
  override readonly name = 'RecordingError';
  readonly code: RecordingErrorCode;
  readonly status: number;
  constructor(
    readonly which: RecordingErrorName,
    message: string,
  ) {
    super(message);
    this.code = RECORDING_ERRORS[which].code;
    this.status = RECORDING_ERRORS[which].status;
  }
}

export function isRecordingError(err: unknown, which: RecordingErrorName): err is RecordingError {
  return err instanceof RecordingError && err.which === which;
}
