/** The storage adapter the config names. */
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { RecordingSecrets, RecordingStorageConfig } from '../config-schema.js';
import type { RecordingStorage } from '../ports/recording-storage.js';
import { FsRecordingStorage } from './fs-storage.js';
import { S3RecordingStorage } from './s3-storage.js';

export function createStorage(config: RecordingStorageConfig, secrets: Pick<RecordingSecrets, 's3'>): RecordingStorage {
  if (config.kind === 'fs') return new FsRecordingStorage({ root: config.root, archiveRoot: config.archiveRoot });
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    ...(secrets.s3 ? { credentials: secrets.s3 } : {}),
  });
  return new S3RecordingStorage({ client, bucket: config.bucket, prefix: config.prefix, archiveStorageClass: config.archiveStorageClass });
}

/** Where recordings are staged while digested: on fs, the store's own file system, so storing is a link, not a copy. */
export function stagingDirOf(config: RecordingStorageConfig): string {
  return config.kind === 'fs' ? join(config.root, '.staging') : config.spoolDir;
}
