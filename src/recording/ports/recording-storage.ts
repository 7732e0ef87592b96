/**
 * Where recordings are kept: objects written once (audio), each with a retain-until before
 * which the store itself refuses to delete it, a legal hold that keeps it past that date,
 * and beside each audio object its manifest (a small JSON document, replaced as tickets
 * and holds are added). Two adapters: the file system (fs-storage.ts) and S3 with Object
 * Lock in compliance mode (s3-storage.ts); one contract suite (test/recording/storage-contract.ts)
 * runs on both.
 */
import type { Readable } from 'node:stream';

export interface PutOptions {
  /** The store refuses deletion before this (S3: COMPLIANCE retention; fs: checked by the adapter). */
  retainUntil: Date;
  /** SHA-256 of the bytes, hex: the store checks the bytes against it (S3: x-amz-checksum-sha256). */
  sha256: string;
  contentType: string;
  /** Small string pairs kept with the object (S3 user metadata). */
  metadata?: Record<string, string>;
}

/** A staged local file (moved or uploaded as it is), or a stream. */
export type PutSource = { path: string; sizeBytes: number } | Readable;

export interface ObjectHead {
  key: string;
  sizeBytes: number;
  retainUntil: Date;
  legalHold: boolean;
  contentType: string;
  metadata: Record<string, string>;
  /** `standard`, or `archive` once moved to the archive tier. */
  tier: 'standard' | 'archive';
}

/** Inclusive byte positions, as HTTP Range has them. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface RecordingStorage {
  readonly kind: 'fs' | 's3';
  /**
   * Writes an object once: rejects with `recording:exists` when the key is taken (nothing
   * is overwritten) and with `recording:checksum-mismatch` when the bytes do not match.
   */
  put(key: string, source: PutSource, options: PutOptions): Promise<void>;
  /** The object's bytes, or one range of them; rejects `recording:no-such-recording`. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  head(key: string): Promise<ObjectHead | null>;
  /**
   * Deletes an object: rejects `recording:retained` before its retain-until and
   * `recording:legal-hold` while held, whatever the caller decided.
   */
  delete(key: string, now?: Date): Promise<void>;
  setLegalHold(key: string, on: boolean): Promise<void>;
  /** Moves an object to the archive tier (fs: the archive root; S3: a colder storage class); keeps its retention. */
  toArchiveTier(key: string): Promise<void>;
  /** Keys of the audio objects under a prefix (manifests not included), in key order. */
  list(prefix: string): AsyncIterable<string>;
  /** The manifest beside an audio object: replaced whole each time (it grows with tickets and holds). */
  putManifest(key: string, json: string): Promise<void>;
  getManifest(key: string): Promise<string | null>;
}

/** The S3/fs key of a recording's manifest beside its audio. */
export const manifestKeyOf = (audioKey: string): string => `${audioKey}.manifest.json`;
