/**
 * What the S3 adapter asks of a server with Object Lock, at the request level: s3rver
 * implements no Object Lock, so these are checked on the commands (aws-sdk-client-mock)
 * and on the HTTP requests the SDK really serialises (a request handler that records them).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, PutObjectLegalHoldCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { S3RecordingStorage } from '../../src/recording/storage/s3-storage.js';

const BYTES = Buffer.from('RIFF recording bytes');
const SHA256 = createHash('sha256').update(BYTES).digest('hex');
const RETAIN_UNTIL = new Date('2029-12-02T08:01:00.000Z');

const notFound = () => new S3ServiceException({ name: 'NotFound', $fault: 'client', $metadata: { httpStatusCode: 404 }, message: 'Not Found' });

describe('S3 storage: the Object Lock requests', () => {
  it('puts every recording with COMPLIANCE retention, its retain-until and its SHA-256', async () => {
    const s3 = mockClient(S3Client);
    s3.on(HeadObjectCommand).rejects(notFound());
    s3.on(PutObjectCommand).resolves({});
    const storage = new S3RecordingStorage({ client: new S3Client({ region: 'cn-north-1' }), bucket: 'rec', prefix: 'p/' });
    await storage.put('2026/12/02/r1', Readable.from([BYTES]), { retainUntil: RETAIN_UNTIL, sha256: SHA256, contentType: 'audio/wav', metadata: { 'call-id': 'c1' } });
    await storage.putManifest('2026/12/02/r1', '{"m":1}');
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts[0]).toMatchObject({
      Bucket: 'rec',
      Key: 'p/2026/12/02/r1',
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: RETAIN_UNTIL,
      ChecksumAlgorithm: 'SHA256',
      ChecksumSHA256: createHash('sha256').update(BYTES).digest('base64'),
      IfNoneMatch: '*',
      Metadata: { 'call-id': 'c1', 'retain-until': RETAIN_UNTIL.toISOString() },
    });
    // Every PUT to a locked bucket needs a checksum, the manifest's too.
    expect(puts[1]).toMatchObject({ Key: 'p/2026/12/02/r1.manifest.json', ChecksumAlgorithm: 'SHA256', ChecksumSHA256: createHash('sha256').update('{"m":1}').digest('base64') });
    s3.restore();
  });

  it('places and clears legal holds with PutObjectLegalHold ON and OFF', async () => {
    const s3 = mockClient(S3Client);
    s3.on(HeadObjectCommand).resolves({ ContentLength: 3 });
    s3.on(PutObjectLegalHoldCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});
    const storage = new S3RecordingStorage({ client: new S3Client({ region: 'cn-north-1' }), bucket: 'rec' });
    await storage.setLegalHold('k', true);
    await storage.setLegalHold('k', false);
    expect(s3.commandCalls(PutObjectLegalHoldCommand).map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({ Bucket: 'rec', Key: 'k', LegalHold: { Status: 'ON' } }),
      expect.objectContaining({ Bucket: 'rec', Key: 'k', LegalHold: { Status: 'OFF' } }),
    ]);
    s3.restore();
  });

  it("refuses deletion on the server's retention and hold, and deletes the version itself once allowed", async () => {
    const s3 = mockClient(S3Client);
    const storage = new S3RecordingStorage({ client: new S3Client({ region: 'cn-north-1' }), bucket: 'rec' });
    s3.on(HeadObjectCommand, { Key: 'k' }).resolves({ ContentLength: 3, ObjectLockRetainUntilDate: RETAIN_UNTIL, ObjectLockLegalHoldStatus: 'OFF', VersionId: 'v1' });
    s3.on(HeadObjectCommand, { Key: 'k.legal-hold' }).rejects(notFound());
    s3.on(DeleteObjectCommand).resolves({});
    await expect(storage.delete('k', new Date(RETAIN_UNTIL.getTime() - 1))).rejects.toMatchObject({ code: 'recording:retained' });
    s3.on(HeadObjectCommand, { Key: 'k' }).resolves({ ContentLength: 3, ObjectLockRetainUntilDate: RETAIN_UNTIL, ObjectLockLegalHoldStatus: 'ON', VersionId: 'v1' });
    await expect(storage.delete('k', RETAIN_UNTIL)).rejects.toMatchObject({ code: 'recording:legal-hold' });
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    s3.on(HeadObjectCommand, { Key: 'k' }).resolves({ ContentLength: 3, ObjectLockRetainUntilDate: RETAIN_UNTIL, ObjectLockLegalHoldStatus: 'OFF', VersionId: 'v1' });
    await storage.delete('k', RETAIN_UNTIL);
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: 'rec', Key: 'k', VersionId: 'v1' }]);
    s3.restore();
  });

  it('sends the lock and the checksum as HTTP headers (the SDK serialising the real request)', async () => {
    const requests: Array<{ method: string; path: string; headers: Record<string, string> }> = [];
    const client = new S3Client({
      region: 'cn-north-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      requestHandler: {
        async handle(request: { method: string; path: string; headers: Record<string, string> }) {
          requests.push({ method: request.method, path: request.path, headers: request.headers });
          // HEAD finds nothing (the key is free), PUT succeeds.
          const statusCode = request.method === 'HEAD' ? 404 : 200;
          return { response: { statusCode, headers: {}, body: Readable.from([]) } };
        },
      } as never,
    });
    const storage = new S3RecordingStorage({ client, bucket: 'rec' });
    await storage.put('2026/12/02/r2', { path: '/dev/null', sizeBytes: 0 } as never, { retainUntil: RETAIN_UNTIL, sha256: createHash('sha256').update('').digest('hex'), contentType: 'audio/wav' });
    const put = requests.find((r) => r.method === 'PUT');
    expect(put?.headers).toMatchObject({
      'x-amz-object-lock-mode': 'COMPLIANCE',
      'x-amz-object-lock-retain-until-date': RETAIN_UNTIL.toISOString().replace('.000Z', 'Z'),
      'x-amz-checksum-sha256': createHash('sha256').update('').digest('base64'),
      'if-none-match': '*',
    });
    client.destroy();
  });
});
