/**
 * S3-compatible storage with Object Lock in COMPLIANCE mode: every audio object is PUT
 * with `ObjectLockMode: COMPLIANCE` and its retain-until, so not even the bucket's owner
 * can delete it before then; the PUT carries the precomputed SHA-256 (`x-amz-checksum-sha256`):
 * S3 requires a checksum on every PUT with Object Lock parameters, and checks the bytes
 * against it. Legal holds are S3's own (PutObjectLegalHold ON/OFF).
 *
 * The adapter also keeps the retain-until in the object's metadata and the hold in a
 * marker object beside it, and checks both before deleting: the refusal does not depend on
 * the server alone (and a store without Object Lock, such as a test server, still refuses).
 * The bucket must have Object Lock enabled (which makes it versioned): deleting removes
 * the object's version itself, not only a delete marker.
 */
import { readFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  S3ServiceException,
  type S3Client,
  type StorageClass,
} from '@aws-sdk/client-s3';
import { RecordingError } from '../errors.js';
import { manifestKeyOf, type ByteRange, type ObjectHead, type PutOptions, type PutSource, type RecordingStorage } from '../ports/recording-storage.js';

const RETAIN_UNTIL_META = 'retain-until';
const MANIFEST_SUFFIX = '.manifest.json';
const HOLD_SUFFIX = '.legal-hold';
const TIER_META = 'tier';

export interface S3StorageOptions {
  client: S3Client;
  bucket: string;
  /** Prepended to every key, e.g. `recordings/`. */
  prefix?: string;
  archiveStorageClass?: StorageClass;
  /**
   * False for a store without Object Lock (a test server): no PutObjectLegalHold calls (the
   * marker object alone holds). Retention headers are sent either way.
   */
  serverObjectLock?: boolean;
}

export class S3RecordingStorage implements RecordingStorage {
  readonly kind = 's3' as const;
  private readonly prefix: string;

  constructor(private readonly options: S3StorageOptions) {
    this.prefix = options.prefix ?? '';
  }

  async put(key: string, source: PutSource, options: PutOptions): Promise<void> {
    if (await this.head(key)) throw new RecordingError('exists', `the store already holds ${key}`);
    const body = await bodyOf(source);
    // A staged file was digested as it was written; a stream is checked here before S3 checks it again.
    if (source instanceof Readable && Buffer.isBuffer(body) && createHash('sha256').update(body).digest('hex') !== options.sha256) {
      throw new RecordingError('checksumMismatch', `the bytes' SHA-256 is not ${options.sha256}`);
    }
    try {
      await this.options.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: this.prefix + key,
          Body: body,
          ContentLength: Buffer.isBuffer(body) ? body.length : (source as { sizeBytes: number }).sizeBytes,
          ContentType: options.contentType,
          Metadata: { ...options.metadata, [RETAIN_UNTIL_META]: options.retainUntil.toISOString() },
          ObjectLockMode: 'COMPLIANCE',
          ObjectLockRetainUntilDate: options.retainUntil,
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: Buffer.from(options.sha256, 'hex').toString('base64'),
          // Written once: S3 refuses (412) when another writer got there first.
          IfNoneMatch: '*',
        }),
      );
    } catch (err) {
      if (statusOf(err) === 412) throw new RecordingError('exists', `the store already holds ${key}`);
      if (nameOf(err) === 'BadDigest' || nameOf(err) === 'InvalidDigest') throw new RecordingError('checksumMismatch', `S3 refused the bytes of ${key}: ${(err as Error).message}`);
      throw err;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const out = await this.options.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: this.prefix + key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
      );
      return out.Body as Readable;
    } catch (err) {
      if (isNotFound(err)) throw new RecordingError('noSuchRecording', `no recording object ${key}`);
      throw err;
    }
  }

  async head(key: string): Promise<ObjectHead | null> {
    const out = await this.headRaw(this.prefix + key);
    if (!out) return null;
    const metadata = { ...(out.Metadata ?? {}) };
    const stored = metadata[RETAIN_UNTIL_META];
    const archived = metadata[TIER_META] === 'archive';
    delete metadata[RETAIN_UNTIL_META];
    delete metadata[TIER_META];
    const retainUntil = out.ObjectLockRetainUntilDate ?? (stored ? new Date(stored) : new Date(8.64e15));
    const legalHold = out.ObjectLockLegalHoldStatus === 'ON' || (await this.headRaw(this.prefix + key + HOLD_SUFFIX)) !== null;
    const cold = archived || (out.StorageClass !== undefined && out.StorageClass !== 'STANDARD');
    return { key, sizeBytes: out.ContentLength ?? 0, retainUntil, legalHold, contentType: out.ContentType ?? 'application/octet-stream', metadata, tier: cold ? 'archive' : 'standard' };
  }

  async delete(key: string, now = new Date()): Promise<void> {
    const head = await this.head(key);
    if (!head) throw new RecordingError('noSuchRecording', `no recording object ${key}`);
    if (now.getTime() < head.retainUntil.getTime()) throw new RecordingError('retained', `${key} is retained until ${head.retainUntil.toISOString()}`);
    if (head.legalHold) throw new RecordingError('legalHold', `${key} is under a legal hold`);
    const raw = await this.headRaw(this.prefix + key);
    // On a versioned (Object Lock) bucket a plain DELETE only hides the object: remove its version.
    await this.options.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.prefix + key, ...(raw?.VersionId ? { VersionId: raw.VersionId } : {}) }));
  }

  async setLegalHold(key: string, on: boolean): Promise<void> {
    if (!(await this.headRaw(this.prefix + key))) throw new RecordingError('noSuchRecording', `no recording object ${key}`);
    if (this.options.serverObjectLock !== false) {
      await this.options.client.send(new PutObjectLegalHoldCommand({ Bucket: this.options.bucket, Key: this.prefix + key, LegalHold: { Status: on ? 'ON' : 'OFF' }, ChecksumAlgorithm: 'SHA256' }));
    }
    if (on) await this.putSmall(key + HOLD_SUFFIX, JSON.stringify({ legalHold: true }), 'application/json');
    else await this.options.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.prefix + key + HOLD_SUFFIX }));
  }

  async toArchiveTier(key: string): Promise<void> {
    const head = await this.head(key);
    if (!head) throw new RecordingError('noSuchRecording', `no recording object ${key}`);
    const raw = await this.headRaw(this.prefix + key);
    // A copy onto itself with the colder class and the same lock; the old version goes once its retention has passed.
    await this.options.client.send(
      new CopyObjectCommand({
        Bucket: this.options.bucket,
        Key: this.prefix + key,
        CopySource: `${this.options.bucket}/${(this.prefix + key).split('/').map(encodeURIComponent).join('/')}`,
        StorageClass: this.options.archiveStorageClass ?? 'GLACIER_IR',
        // REPLACE with the same metadata plus the tier: a store that keeps no storage class still tells the tier.
        MetadataDirective: 'REPLACE',
        Metadata: { ...head.metadata, [RETAIN_UNTIL_META]: head.retainUntil.toISOString(), [TIER_META]: 'archive' },
        ContentType: head.contentType,
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: head.retainUntil,
      }),
    );
    if (raw?.VersionId) await this.options.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.prefix + key, VersionId: raw.VersionId }));
  }

  async *list(prefix: string): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const out = await this.options.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: this.prefix + prefix, ContinuationToken: token }));
      for (const object of out.Contents ?? []) {
        const key = object.Key?.slice(this.prefix.length);
        if (key?.endsWith(MANIFEST_SUFFIX)) yield key.slice(0, -MANIFEST_SUFFIX.length);
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  async putManifest(key: string, json: string): Promise<void> {
    await this.putSmall(manifestKeyOf(key), json, 'application/json');
  }

  async getManifest(key: string): Promise<string | null> {
    try {
      const out = await this.options.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.prefix + manifestKeyOf(key) }));
      return (await out.Body?.transformToString('utf8')) ?? null;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /** A small document (manifest, hold marker), with its SHA-256 as every PUT to a locked bucket needs a checksum. */
  private async putSmall(key: string, text: string, contentType: string): Promise<void> {
    const body = Buffer.from(text, 'utf8');
    await this.options.client.send(
      new PutObjectCommand({ Bucket: this.options.bucket, Key: this.prefix + key, Body: body, ContentType: contentType, ChecksumAlgorithm: 'SHA256', ChecksumSHA256: createHash('sha256').update(body).digest('base64') }),
    );
  }

  private async headRaw(fullKey: string) {
    try {
      return await this.options.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: fullKey }));
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }
}

async function bodyOf(source: PutSource): Promise<Buffer | Readable> {
  if (source instanceof Readable) {
    // Unknown length: S3 needs one for a single PUT; the archive itself always hands over staged files.
    const chunks: Buffer[] = [];
    for await (const chunk of source) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  return source.sizeBytes <= 1 << 20 ? readFile(source.path) : createReadStream(source.path);
}

function statusOf(err: unknown): number | undefined {
  return err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined;
}

function nameOf(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

function isNotFound(err: unknown): boolean {
  return statusOf(err) === 404 || nameOf(err) === 'NoSuchKey' || nameOf(err) === 'NotFound';
}
