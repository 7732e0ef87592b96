/** The storage adapter the config names. */
import type { RecordingSecrets, RecordingStorageConfig } from '../config-schema.js';
import type { RecordingStorage } from '../ports/recording-storage.js';
import { FsRecordingStorage } from './fs-storage.js';

export function createStorage(config: RecordingStorageConfig, _secrets: RecordingSecrets): RecordingStorage {
  if (config.kind === 'fs') return new FsRecordingStorage({ root: config.root, archiveRoot: config.archiveRoot });
  throw new Error('S3 storage is not available yet');
}
