/**
 * The storage contract on the S3 adapter against s3rver: an S3 server in this process over
 * real HTTP, speaking the S3 REST protocol the SDK speaks. s3rver implements no Object
 * Lock, so the adapter runs with `serverObjectLock: false` here (its own retention and hold
 * checks); the Object Lock requests themselves are checked in storage-s3-requests.test.ts.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorage, RecordingConfigSchema, storageKeyOf } from '../../src/recording/index.js';
import { S3RecordingStorage } from '../../src/recording/storage/s3-storage.js';
import { useTestRedis } from '../support/test-redis.js';
import { finished, tempDir, testArchive, wavBytes } from './archive-support.js';
import { storageContract } from './storage-contract.js';

const BUCKET = 'hotline-recordings';
const redis = useTestRedis();
const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: tempDir('s3rver'), configureBuckets: [{ name: BUCKET, configs: [] }] });
let client: S3Client;
let port = 0;
const endpoint = () => `http://127.0.0.1:${port}`;

beforeAll(async () => {
  port = ((await server.run()) as AddressInfo).port;
  client = new S3Client({
    region: 'us-east-1',
    endpoint: endpoint(),
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
});

afterAll(async () => {
  client?.destroy();
  await server.close();
});

const s3Storage = () => new S3RecordingStorage({ client, bucket: BUCKET, prefix: 'recordings/', serverObjectLock: false, archiveStorageClass: 'STANDARD_IA' });
storageContract('s3 (s3rver)', s3Storage);

describe('the S3 store from the config', () => {
  it('loads the SDK at its first call and stores with the configured bucket and prefix', async () => {
    const storage = createStorage(
      RecordingConfigSchema.parse({ storage: { kind: 's3', bucket: BUCKET, region: 'us-east-1', endpoint: endpoint(), forcePathStyle: true, prefix: 'from-config/', credentials: { accessKeyIdEnv: 'K', secretAccessKeyEnv: 'S' } } }).storage,
      { s3: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
    );
    expect(storage.kind).toBe('s3');
    const bytes = Buffer.from('RIFF from the config');
    const key = `2026/12/02/${randomUUID()}`;
    await storage.put(key, Readable.from([bytes]), { retainUntil: new Date('2029-12-02T00:00:00Z'), sha256: createHash('sha256').update(bytes).digest('hex'), contentType: 'audio/wav' });
    expect((await storage.head(key))?.sizeBytes).toBe(bytes.length);
    expect((await s3Storage().head(key))).toBeNull();
    expect((await new S3RecordingStorage({ client, bucket: BUCKET, prefix: 'from-config/' }).head(key))?.sizeBytes).toBe(bytes.length);
  });
});

describe('the archive on S3', () => {
  it('stages, digests and uploads a recording once, leaves no staged file, and lists it from its manifest', async () => {
    const spool = tempDir('s3-spool');
    const { sink, archive, storage } = testArchive(redis, { storage: s3Storage(), stagingDir: spool });
    const bytes = wavBytes(2);
    const ref = await sink.ingest(finished(`s3-call-${randomUUID()}`, bytes));
    expect(ref).toMatchObject({ sizeBytes: bytes.length, durationSeconds: 2, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect((await storage.head(storageKeyOf(ref.recordingId)))?.retainUntil.toISOString()).toBe(ref.retainUntil);
    expect((await archive.requireManifest(ref.recordingId)).sm3).toBe(ref.sm3);
    expect(readdirSync(spool)).toEqual([]);
  });
});
