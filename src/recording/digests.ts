/**
 * The recording's digests, computed in the one pass that stores it: SHA-256 (what S3
 * checks on the PUT, and the international reference) and SM3 (GB/T 32905-2016, what
 * Chinese government archives ask for), the size, and the first bytes (the WAV header).
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { WAV_HEADER_BYTES } from './wav-duration.js';

export interface Digests {
  sha256: string;
  sm3: string;
  sizeBytes: number;
}

/** A pass-through that digests what flows through it; `result()` once the stream has ended. */
export class DigestingStream extends Transform {
  private readonly sha256: Hash = createHash('sha256');
  private readonly sm3: Hash = createHash('sm3');
  private size = 0;
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;
  private done: Digests | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.sha256.update(chunk);
    this.sm3.update(chunk);
    this.size += chunk.length;
    if (this.headLength < WAV_HEADER_BYTES) {
      const part = chunk.subarray(0, WAV_HEADER_BYTES - this.headLength);
      this.headChunks.push(part);
      this.headLength += part.length;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.done = { sha256: this.sha256.digest('hex'), sm3: this.sm3.digest('hex'), sizeBytes: this.size };
    callback();
  }

  /** The first bytes seen (up to WAV_HEADER_BYTES). */
  head(): Buffer {
    return Buffer.concat(this.headChunks);
  }

  result(): Digests {
    if (!this.done) throw new Error('digests asked for before the stream ended');
    return this.done;
  }
}

/** Digests of a whole stream, read to its end (the integrity audit). */
export async function digestStream(source: Readable): Promise<Digests> {
  const digesting = new DigestingStream();
  await pipeline(source, digesting, async function* drain(chunks: AsyncIterable<Buffer>) {
    for await (const _ of chunks) void _;
  });
  return digesting.result();
}

/** SHA-256 in base64, as S3's x-amz-checksum-sha256 carries it. */
export function sha256Base64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}
