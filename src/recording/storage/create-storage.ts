/**
 * The storage adapter the config names. The S3 SDK is loaded only when the config asks for
 * S3 (it takes about a second to import): a service on the fs store never pays for it.
 */
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { RecordingSecrets, RecordingStorageConfig } from '../config-schema.js';
import type { ByteRange, ObjectHead, PutOptions, PutSource, RecordingStorage } from '../ports/recording-storage.js';
import { FsRecordingStorage } from './fs-storage.js';

export function createStorage(config: RecordingStorageConfig, secrets: Pick<RecordingSecrets, 's3'>): RecordingStorage {
  if (config.kind === 'fs') return new FsRecordingStorage({ root: config.root, archiveRoot: config.archiveRoot });
  return new LoadedOnFirstUse('s3', async () => {
    const [{ S3Client }, { S3RecordingStorage }] = await Promise.all([import('@aws-sdk/client-s3'), import('./s3-storage.js')]);
    const client = new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      forcePathStyle: config.forcePathStyle,
      ...(secrets.s3 ? { credentials: secrets.s3 } : {}),
    });
    return new S3RecordingStorage({ client, bucket: config.bucket, prefix: config.prefix, archiveStorageClass: config.archiveStorageClass });
  });
}

/** Where recordings are staged while digested: on fs, the store's own file system, so storing is a link, not a copy. */
export function stagingDirOf(config: RecordingStorageConfig): string {
  return config.kind === 'fs' ? join(config.root, '.staging') : config.spoolDir;
}

/** An adapter built at its first call. */
class LoadedOnFirstUse implements RecordingStorage {
  private loaded: Promise<RecordingStorage> | undefined;

  constructor(
    readonly kind: RecordingStorage['kind'],
    private readonly load: () => Promise<RecordingStorage>,
  ) {}

  private adapter(): Promise<RecordingStorage> {
    this.loaded ??= this.load().catch((err: unknown) => {
      this.loaded = undefined;
      throw err;
    });
    return this.loaded;
  }

  async put(key: string, source: PutSource, options: PutOptions): Promise<void> {
    return (await this.adapter()).put(key, source, options);
  }
  async get(key: string, range?: ByteRange): Promise<Readable> {
    return (await this.adapter()).get(key, range);
  }
  async head(key: string): Promise<ObjectHead | null> {
    return (await this.adapter()).head(key);
  }
  async delete(key: string, now?: Date): Promise<void> {
    return (await this.adapter()).delete(key, now);
  }
  async setLegalHold(key: string, on: boolean): Promise<void> {
    return (await this.adapter()).setLegalHold(key, on);
  }
  async toArchiveTier(key: string): Promise<void> {
    return (await this.adapter()).toArchiveTier(key);
  }
  async *list(prefix: string): AsyncIterable<string> {
    yield* (await this.adapter()).list(prefix);
  }
  async putManifest(key: string, json: string): Promise<void> {
    return (await this.adapter()).putManifest(key, json);
  }
  async getManifest(key: string): Promise<string | null> {
    return (await this.adapter()).getManifest(key);
  }
}
