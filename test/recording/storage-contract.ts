/**
 * The contract every RecordingStorage adapter keeps, run on each (storage-fs.test.ts,
 * storage-s3.test.ts). What only a server with Object Lock can show (a DELETE that goes
 * around the adapter refused by the server itself) is checked at the request level in
 * storage-s3-requests.test.ts instead.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RecordingStorage } from '../../src/recording/index.js';

const YEAR_MS = 365 * 24 * 3600 * 1000;

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function keysOf(storage: RecordingStorage, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of storage.list(prefix)) keys.push(key);
  return keys;
}

export function storageContract(name: string, make: () => RecordingStorage): void {
  describe(`${name}: the recording storage contract`, () => {
    /** A key of its own per test, under a date folder as the archive makes them. */
    const freshKey = (): string => `2026/12/02/${randomUUID()}`;
    const retainUntil = new Date(Date.now() + 3 * YEAR_MS);

    async function stored(storage: RecordingStorage, bytes = randomBytes(20_000)): Promise<{ key: string; bytes: Buffer }> {
      const key = freshKey();
      await storage.put(key, Readable.from([bytes]), { retainUntil, sha256: sha256(bytes), contentType: 'audio/wav', metadata: { 'call-id': 'c-1' } });
      return { key, bytes };
    }

    it('writes an object once and reads it back whole and by range, with its attributes', async () => {
      const storage = make();
      const { key, bytes } = await stored(storage);
      expect((await bytesOf(await storage.get(key))).equals(bytes)).toBe(true);
      expect((await bytesOf(await storage.get(key, { start: 100, end: 199 }))).equals(bytes.subarray(100, 200))).toBe(true);
      expect((await bytesOf(await storage.get(key, { start: bytes.length - 1, end: bytes.length - 1 }))).equals(bytes.subarray(-1))).toBe(true);
      const head = await storage.head(key);
      expect(head).toMatchObject({ key, sizeBytes: bytes.length, legalHold: false, contentType: 'audio/wav', tier: 'standard' });
      expect(head!.metadata['call-id']).toBe('c-1');
      expect(head!.retainUntil.getTime()).toBe(retainUntil.getTime());
    });

    it('never overwrites: a second put under the key is refused and the first bytes stay', async () => {
      const storage = make();
      const { key, bytes } = await stored(storage);
      const other = randomBytes(100);
      await expect(storage.put(key, Readable.from([other]), { retainUntil, sha256: sha256(other), contentType: 'audio/wav' })).rejects.toMatchObject({ code: 'recording:exists' });
      expect((await bytesOf(await storage.get(key))).equals(bytes)).toBe(true);
    });

    it('refuses bytes that do not match their SHA-256, storing nothing', async () => {
      const storage = make();
      const key = freshKey();
      await expect(storage.put(key, Readable.from([randomBytes(500)]), { retainUntil, sha256: sha256(Buffer.from('else')), contentType: 'audio/wav' })).rejects.toMatchObject({ code: 'recording:checksum-mismatch' });
      expect(await storage.head(key)).toBeNull();
    });

    it('refuses deletion before retain-until, deletes after it', async () => {
      const storage = make();
      const { key } = await stored(storage);
      await expect(storage.delete(key)).rejects.toMatchObject({ code: 'recording:retained' });
      await expect(storage.delete(key, new Date(retainUntil.getTime() - 1))).rejects.toMatchObject({ code: 'recording:retained' });
      expect(await storage.head(key)).not.toBeNull();
      await storage.delete(key, retainUntil);
      expect(await storage.head(key)).toBeNull();
      await expect(storage.get(key)).rejects.toMatchObject({ code: 'recording:no-such-recording' });
    });

    it('keeps an object under a legal hold past its retain-until, until the hold is cleared', async () => {
      const storage = make();
      const { key } = await stored(storage);
      await storage.setLegalHold(key, true);
      expect((await storage.head(key))!.legalHold).toBe(true);
      const later = new Date(retainUntil.getTime() + YEAR_MS);
      await expect(storage.delete(key, later)).rejects.toMatchObject({ code: 'recording:legal-hold' });
      await storage.setLegalHold(key, false);
      expect((await storage.head(key))!.legalHold).toBe(false);
      await storage.delete(key, later);
      expect(await storage.head(key)).toBeNull();
    });

    it('keeps a manifest beside the audio, replaced whole, and lists keys that have one', async () => {
      const storage = make();
      const { key } = await stored(storage);
      expect(await storage.getManifest(key)).toBeNull();
      await storage.putManifest(key, '{"v":1}');
      await storage.putManifest(key, '{"v":2}');
      expect(await storage.getManifest(key)).toBe('{"v":2}');
      expect(await keysOf(storage, key.slice(0, 11))).toContain(key);
      expect(await keysOf(storage, '1999/')).toEqual([]);
    });

    it('answers a missing object plainly', async () => {
      const storage = make();
      const key = freshKey();
      expect(await storage.head(key)).toBeNull();
      await expect(storage.get(key)).rejects.toMatchObject({ code: 'recording:no-such-recording' });
      await expect(storage.delete(key, new Date(8e15))).rejects.toMatchObject({ code: 'recording:no-such-recording' });
      await expect(storage.setLegalHold(key, true)).rejects.toMatchObject({ code: 'recording:no-such-recording' });
    });

    it('moves an object to the archive tier with its bytes and retention', async () => {
      const storage = make();
      const { key, bytes } = await stored(storage);
      await storage.toArchiveTier(key);
      const head = await storage.head(key);
      expect(head).toMatchObject({ tier: 'archive', sizeBytes: bytes.length });
      expect(head!.retainUntil.getTime()).toBe(retainUntil.getTime());
      expect((await bytesOf(await storage.get(key))).equals(bytes)).toBe(true);
      await expect(storage.delete(key)).rejects.toMatchObject({ code: 'recording:retained' });
    });
  });
}
