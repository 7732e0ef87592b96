/**
 * Durable file steps for the file-system store: a file written, flushed to the disk and
 * made visible under its name in one step, so a crash leaves either nothing or the whole
 * file, never half of one.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, copyFile, link, mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

/** Read-only for everyone: the store never changes a written recording. */
export const READ_ONLY = 0o444;

export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Chunks are gathered up to this much and written in one call (a 1-minute call is about one). */
const WRITE_BATCH_BYTES = 1 << 20;

/**
 * A new file in `dir` holding `source`, flushed; its path. Each chunk of a stream is shown
 * to `onChunk` on its way (the digests), so the bytes are read once.
 */
export async function writeStaged(dir: string, source: Readable | Buffer | string, onChunk?: (chunk: Buffer) => void): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${randomUUID()}.part`);
  const handle = await open(path, 'wx', 0o600);
  try {
    if (typeof source === 'string' || Buffer.isBuffer(source)) await handle.writeFile(source);
    else {
      let batch: Buffer[] = [];
      let batched = 0;
      for await (const chunk of source) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        onChunk?.(bytes);
        batch.push(bytes);
        batched += bytes.length;
        if (batched >= WRITE_BATCH_BYTES) {
          await writeAll(handle, batch);
          batch = [];
          batched = 0;
        }
      }
      await writeAll(handle, batch);
    }
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw err;
  }
  await handle.close();
  return path;
}

async function writeAll(handle: FileHandle, chunks: Buffer[]): Promise<void> {
  if (chunks.length === 0) return;
  const whole = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  // writeFile on a handle writes from the current position to the end of the buffer, retrying short writes.
  await handle.writeFile(whole);
}

/**
 * Gives a flushed staged file its final name, only if that name is free (a hard link fails
 * with EEXIST), read-only, and flushes the directory so the name survives a crash (unless
 * `syncDir` is false: the caller flushes it once after several names). The staged name is
 * removed either way. Across file systems (EXDEV) the bytes are copied.
 */
export async function publishCreateOnly(staged: string, final: string, syncDir = true): Promise<void> {
  await mkdir(dirname(final), { recursive: true });
  try {
    await chmod(staged, READ_ONLY);
    try {
      await link(staged, final);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await copyFile(staged, final, constants.COPYFILE_EXCL);
      await fsyncPath(final);
      await chmod(final, READ_ONLY);
    }
    if (syncDir) await fsyncPath(dirname(final));
  } finally {
    await unlink(staged).catch(() => undefined);
  }
}

/** Replaces a file whole (temp file, flush, rename, flush the directory). */
export async function replaceFile(stagingDir: string, final: string, content: string, mode = READ_ONLY): Promise<void> {
  const staged = await writeStaged(stagingDir, content);
  await chmod(staged, mode);
  await mkdir(dirname(final), { recursive: true });
  try {
    await rename(staged, final);
  } catch (err) {
    await unlink(staged).catch(() => undefined);
    throw err;
  }
  await fsyncPath(dirname(final));
}

/** Moves a file to another root, keeping it whole: rename, or copy + flush + unlink across file systems. */
export async function moveFile(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(from, to, constants.COPYFILE_EXCL);
    await fsyncPath(to);
    await unlink(from);
  }
  await fsyncPath(dirname(to));
}
