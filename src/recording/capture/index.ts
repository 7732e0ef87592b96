/**
 * Capturing calls' recordings on Asterisk: each answered call's caller channel snooped and
 * the snoop recorded, one file for the whole call whatever bridges it goes through, handed
 * to the archive (a RecordingSink) and deleted from Asterisk only once stored.
 */
export { CaptureConfigSchema, type CaptureConfig } from './config-schema.js';
export { createCallCapture, type CallCapture } from './create-capture.js';
export { CallRecorder, type RecordingStatus } from './call-recorder.js';
export { CaptureError, CAPTURE_ERROR_STATUS, type CaptureErrorCode } from './errors.js';
export { SNOOP_PREFIX, RECORDING_ROLE, recordingName, snoopId, controlDecision, leftAlive, nextHandoverStep, withPause, withResume, type PendingRecording } from './decisions.js';
