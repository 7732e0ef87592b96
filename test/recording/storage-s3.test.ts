/**
 * The storage contract on the S3 adapter against s3rver: an S3 server in this process over
 * real HTTP, speaking the S3 REST protocol the SDK speaks. s3rver implements no Object
 * Lock, so the adapter runs with `serverObjectLock: false` here (its own retention and hold
 * checks); the Object Lock requests themselves are checked in storage-s3-requests.test.ts.
 */
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll } from 'vitest';
import { S3RecordingStorage } from '../../src/recording/index.js';
import { tempDir } from './archive-support.js';
import { storageContract } from './storage-contract.js';

const BUCKET = 'hotline-recordings';
const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: tempDir('s3rver'), configureBuckets: [{ name: BUCKET, configs: [] }] });
let client: S3Client;

beforeAll(async () => {
  const address = (await server.run()) as AddressInfo;
  client = new S3Client({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${address.port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
});

afterAll(async () => {
  client?.destroy();
  await server.close();
});

storageContract('s3 (s3rver)', () => new S3RecordingStorage({ client, bucket: BUCKET, prefix: 'recordings/', serverObjectLock: false, archiveStorageClass: 'STANDARD_IA' }));
