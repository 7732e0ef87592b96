import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FsRecordingStorage } from '../../src/recording/index.js';
import { tempDir } from './archive-support.js';
import { storageContract } from './storage-contract.js';

const root = tempDir('fs-storage');
storageContract('fs', () => new FsRecordingStorage({ root: join(root, 'main'), archiveRoot: join(root, 'archive') }));

describe('fs storage on disk', () => {
  it('keeps audio read-only, its attributes beside it, and nothing left in staging', async () => {
    const storage = new FsRecordingStorage({ root: join(root, 'disk') });
    const bytes = Buffer.from('RIFF....WAVE');
    await storage.put('2026/01/31/abc', Readable.from([bytes]), { retainUntil: new Date('2029-01-31T00:00:00Z'), sha256: createHash('sha256').update(bytes).digest('hex'), contentType: 'audio/wav' });
    expect(statSync(join(root, 'disk/2026/01/31/abc')).mode & 0o777).toBe(0o444);
    expect(statSync(join(root, 'disk/2026/01/31/abc.meta.json')).mode & 0o777).toBe(0o444);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(join(root, 'disk/.staging'))).toEqual([]);
  });

  it('refuses keys that would leave its root', async () => {
    const storage = new FsRecordingStorage({ root: join(root, 'disk') });
    await expect(storage.get('../../etc/passwd')).rejects.toMatchObject({ code: 'recording:no-such-recording' });
    await expect(storage.getManifest('/etc/passwd')).rejects.toMatchObject({ code: 'recording:no-such-recording' });
  });
});
