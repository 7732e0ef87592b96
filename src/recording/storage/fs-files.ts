/**
 * Durable file steps for the file-system store: a file written, flushed to the disk and
 * made visible under its name in one step, so a crash leaves either nothing or the whole
 * file, never half of one.
 */
import { randomUUID } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { chmod, copyFile, link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

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

/** A new file in `dir` holding `source`, flushed; its path. */
export async function writeStaged(dir: string, source: Readable | Buffer | string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${randomUUID()}.part`);
  if (typeof source === 'string' || Buffer.isBuffer(source)) {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(source);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return path;
  }
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  try {
    await pipeline(source, out);
    await fsyncPath(path);
  } catch (err) {
    await unlink(path).catch(() => undefined);
    throw err;
  }
  return path;
}

/**
 * Gives a flushed staged file its final name, only if that name is free (a hard link fails
 * with EEXIST), read-only, and flushes the directory so the name survives a crash. The
 * staged name is removed either way. Across file systems (EXDEV) the bytes are copied.
 */
export async function publishCreateOnly(staged: string, final: string): Promise<void> {
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
    await fsyncPath(dirname(final));
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
