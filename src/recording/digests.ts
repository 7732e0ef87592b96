/**
 * The recording's digests, computed in the one pass that stores it: SHA-256 (what S3
 * checks on the PUT, and the international reference) and SM3 (GB/T 32905-2016, what
 * Chinese government archives ask for), the size, and the first bytes (the WAV header).
 */
import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { WAV_HEADER_BYTES } from './wav-duration.js';

export interface Digests {
  sha256: string;
  sm3: string;
  sizeBytes: number;
}

/** Fed each chunk as it passes on its way to the disk; `result()` once the last one went by. */
export class Digester {
  private readonly sha256: Hash = createHash('sha256');
  private readonly sm3: Hash = createHash('sm3');
  private size = 0;
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;
  private done: Digests | undefined;

  update(chunk: Buffer): void {
    this.sha256.update(chunk);
    this.sm3.update(chunk);
    this.size += chunk.length;
    if (this.headLength < WAV_HEADER_BYTES) {
      const part = chunk.subarray(0, WAV_HEADER_BYTES - this.headLength);
      this.headChunks.push(part);
      this.headLength += part.length;
    }
  }

  /** The first bytes seen (up to WAV_HEADER_BYTES). */
  head(): Buffer {
    return Buffer.concat(this.headChunks);
  }

  result(): Digests {
    this.done ??= { sha256: this.sha256.digest('hex'), sm3: this.sm3.digest('hex'), sizeBytes: this.size };
    return this.done;
  }
}

/** Digests of a whole stream, read to its end (the integrity audit, a stored recording without its manifest). */
export async function digestStream(source: Readable): Promise<Digester> {
  const digester = new Digester();
  for await (const chunk of source) digester.update(chunk as Buffer);
  digester.result();
  return digester;
}

/** SHA-256 in base64, as S3's x-amz-checksum-sha256 carries it. */
export function sha256Base64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}
