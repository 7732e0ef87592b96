/**
 * Call recordings: the archive (digests, manifest, storage with retention, legal holds,
 * the Redis index, audited access). Public face for the wiring and the HTTP routes.
 * The capture side (recording on Asterisk) lives in ./capture/.
 */
export { RecordingConfigSchema, RecordingStorageConfigSchema, recordingConfigFaults, readRecordingSecrets, MIN_RETENTION_YEARS, type RecordingConfig, type RecordingConfigInput, type RecordingStorageConfig, type RecordingAccessConfig, type RecordingSecrets, type RecordingFault } from './config-schema.js';
export type { FinishedRecording, RecordingPause, RecordingSink, StoredRecordingRef } from './recording-sink.js';
export { createRecordingArchive, type RecordingArchiveFactoryDeps, type WiredRecordingArchive } from './create-archive.js';
export { RecordingArchive, refOf, type RecordingArchiveDeps } from './archive.js';
export { RECORDING_ERRORS, RecordingError, isRecordingError, type RecordingErrorCode } from './errors.js';
export { recordingKeys, type RecordingKeys } from './keys.js';
export { createRecordingMetrics, type RecordingMetrics } from './metrics.js';
export { ManifestSchema, parseManifest, numberDigest, retainUntilOf, type Manifest, type LegalHold } from './manifest.js';
export { RecordingIdSchema, recordingIdOf, storageKeyOf } from './recording-ids.js';
export { mayDelete, sweepStep, holdActive, effectiveRetainUntil, type DeleteDecision, type SweepStep } from './retention.js';
export { RecordingIndex } from './index-store.js';
export { reindex, type ReindexReport } from './reindex.js';
export { manifestKeyOf, type RecordingStorage, type ObjectHead, type PutOptions, type PutSource, type ByteRange } from './ports/recording-storage.js';
export { FsRecordingStorage, type FsStorageOptions } from './storage/fs-storage.js';
export { createStorage, stagingDirOf } from './storage/create-storage.js';
// The S3 adapter is imported from './storage/s3-storage.js' directly: re-exported here it would load the SDK at every start.
export type { S3StorageOptions } from './storage/s3-storage.js';
export { readWavHeader, wavDurationSeconds, wavHeader } from './wav-duration.js';
export { Digester, digestStream, type Digests } from './digests.js';
export * from './capture/index.js';
export { RecordingDisposal, type HoldRequest } from './disposal.js';
export { RetentionSweeper, type SweepReport } from './sweeper.js';
export { IntegrityAudit, type AuditCheck, type AuditReport, type RecordingAlarm } from './integrity-audit.js';
export { AccessLog, entryHash, GENESIS_HASH, type AccessLogEntry, type AccessRecord, type AccessResult, type ChainVerdict } from './access-log.js';
export { RecordingAccess, roleMay, type AccessAction, type Accessor, type ListQuery, type AudioAnswer } from './access.js';
export { rangeAnswer, type RangeAnswer } from './byte-range.js';
