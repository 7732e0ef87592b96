/**
 * The file-system store (the embedded default): `<root>/<key>` for the audio (read-only,
 * 0o444), `<key>.meta.json` beside it for what S3 keeps as object attributes (retain-until,
 * legal hold, checksum, metadata) and `<key>.manifest.json` for the manifest. Keys are
 * date-partitioned by the archive (YYYY/MM/DD/…). Writes go through `<root>/.staging` on
 * the same file system: flushed, then linked under the final name only if it is free.
 * Deletion is refused by the store itself before retain-until and under a legal hold.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { z } from 'zod';
import { Digester } from '../digests.js';
import { RecordingError } from '../errors.js';
import { manifestKeyOf, type ByteRange, type ObjectHead, type PutOptions, type PutSource, type RecordingStorage } from '../ports/recording-storage.js';
import { moveFile, publishCreateOnly, replaceFile, writeStaged } from './fs-files.js';

const MetaSchema = z.object({
  retainUntil: z.iso.datetime(),
  legalHold: z.boolean(),
  sha256: z.string(),
  contentType: z.string(),
  metadata: z.record(z.string(), z.string()),
});
type Meta = z.infer<typeof MetaSchema>;

const META = '.meta.json';
const MANIFEST = '.manifest.json';

export interface FsStorageOptions {
  root: string;
  /** Where toArchiveTier moves audio; without it the archive tier is refused. */
  archiveRoot?: string;
}

export class FsRecordingStorage implements RecordingStorage {
  readonly kind = 'fs' as const;
  private readonly staging: string;

  constructor(private readonly options: FsStorageOptions) {
    this.staging = join(options.root, '.staging');
  }

  /** The directory staged files should be written to, so publishing them is a link, not a copy. */
  get stagingDir(): string {
    return this.staging;
  }

  async put(key: string, source: PutSource, options: PutOptions): Promise<void> {
    const final = this.pathOf(key);
    const staged = isStagedFile(source) ? source.path : await this.stageVerified(source, options.sha256);
    const meta: Meta = { retainUntil: options.retainUntil.toISOString(), legalHold: false, sha256: options.sha256, contentType: options.contentType, metadata: options.metadata ?? {} };
    // The attributes first and create-only: an object never exists without its retain-until.
    const stagedMeta = await writeStaged(this.staging, JSON.stringify(meta));
    try {
      // Both names are in one directory: it is flushed once, after the audio's.
      await publishCreateOnly(stagedMeta, final + META, false);
    } catch (err) {
      await unlink(staged).catch(() => undefined);
      throw existsOr(err, key);
    }
    try {
      await publishCreateOnly(staged, final);
    } catch (err) {
      throw existsOr(err, key);
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const path = await this.audioPath(key);
    if (!path) throw new RecordingError('noSuchRecording', `no recording object ${key}`);
    const stream = createReadStream(path, range ? { start: range.start, end: range.end } : {});
    // Open errors surface on the stream; wait for the open so a vanished file is a clear rejection.
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream.pipe(new PassThrough());
  }

  async head(key: string): Promise<ObjectHead | null> {
    const path = await this.audioPath(key);
    if (!path) return null;
    const meta = await this.readMeta(path);
    const size = (await stat(path)).size;
    return {
      key,
      sizeBytes: size,
      // Attributes lost (a crash between the two links cannot lose them, a hand-made file could): kept, never deletable.
      retainUntil: meta ? new Date(meta.retainUntil) : new Date(8.64e15),
      legalHold: meta?.legalHold ?? false,
      contentType: meta?.contentType ?? 'application/octet-stream',
      metadata: meta?.metadata ?? {},
      tier: path.startsWith(this.pathOf(key, this.options.root)) ? 'standard' : 'archive',
    };
  }

  async delete(key: string, now = new Date()): Promise<void> {
    const head = await this.head(key);
    if (!head) throw new RecordingError('noSuchRecording', `no recording object ${key}`);
    if (now.getTime() < head.retainUntil.getTime()) throw new RecordingError('retained', `${key} is retained until ${head.retainUntil.toISOString()}`);
    if (head.legalHold) throw new RecordingError('legalHold', `${key} is under a legal hold`);
    const path = (await this.audioPath(key))!;
    await unlink(path);
    await unlink(path + META).catch(() => undefined);
  }

  async setLegalHold(key: string, on: boolean): Promise<void> {
    const path = await this.audioPath(key);
    const meta = path ? await this.readMeta(path) : null;
    if (!path || !meta) throw new RecordingError('noSuchRecording', `no recording object ${key}`);
    await replaceFile(this.staging, path + META, JSON.stringify({ ...meta, legalHold: on }));
  }

  async toArchiveTier(key: string): Promise<void> {
    const { archiveRoot } = this.options;
    if (!archiveRoot) throw new Error('no archive root configured (recording.storage.archiveRoot)');
    const from = this.pathOf(key);
    const to = this.pathOf(key, archiveRoot);
    // Attributes first: the audio is never anywhere without its retain-until beside it.
    await moveFile(from + META, to + META);
    await moveFile(from, to);
  }

  async *list(prefix: string): AsyncIterable<string> {
    for await (const manifestPath of walk(this.options.root)) {
      const relative = manifestPath.slice(this.options.root.length + 1).split(sep).join('/');
      if (!relative.endsWith(MANIFEST)) continue;
      const key = relative.slice(0, -MANIFEST.length);
      if (key.startsWith(prefix)) yield key;
    }
  }

  async putManifest(key: string, json: string): Promise<void> {
    await replaceFile(this.staging, this.pathOf(manifestKeyOf(key)), json, 0o644);
  }

  async getManifest(key: string): Promise<string | null> {
    try {
      return await readFile(this.pathOf(manifestKeyOf(key)), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** The path of a key under a root; a key that would leave it (`..`, absolute) is refused. */
  private pathOf(key: string, root = this.options.root): string {
    const path = normalize(join(root, key));
    if (!/^[A-Za-z0-9][A-Za-z0-9/._-]*$/.test(key) || key.includes('..') || !path.startsWith(normalize(root) + sep)) {
      throw new RecordingError('noSuchRecording', 'not a recording key');
    }
    return path;
  }

  /** Where the audio is now: the main root, else the archive root. */
  private async audioPath(key: string): Promise<string | null> {
    for (const root of [this.options.root, this.options.archiveRoot]) {
      if (!root) continue;
      const path = this.pathOf(key, root);
      if (await exists(path)) return path;
    }
    return null;
  }

  private async readMeta(audioPath: string): Promise<Meta | null> {
    try {
      return MetaSchema.parse(JSON.parse(await readFile(audioPath + META, 'utf8')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** Stages a stream, checking it against the SHA-256 it was given. */
  private async stageVerified(source: Readable, sha256: string): Promise<string> {
    const digester = new Digester();
    const staged = await writeStaged(this.staging, source, (chunk) => digester.update(chunk));
    const actual = digester.result().sha256;
    if (actual !== sha256) {
      await unlink(staged).catch(() => undefined);
      throw new RecordingError('checksumMismatch', `the bytes' SHA-256 is ${actual}, not ${sha256}`);
    }
    return staged;
  }
}

function isStagedFile(source: PutSource): source is { path: string; sizeBytes: number } {
  return typeof (source as { path?: unknown }).path === 'string' && typeof (source as { pipe?: unknown }).pipe !== 'function';
}

function existsOr(err: unknown, key: string): unknown {
  return (err as NodeJS.ErrnoException).code === 'EEXIST' ? new RecordingError('exists', `the store already holds ${key}`) : err;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

async function* walk(dir: string): AsyncIterable<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}
