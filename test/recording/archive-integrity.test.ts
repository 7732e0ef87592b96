import { chmodSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storageKeyOf, type RecordingAlarm } from '../../src/recording/index.js';
import { useTestRedis } from '../support/test-redis.js';
import { finished, testArchive, wavBytes } from './archive-support.js';

const redis = useTestRedis();

describe('the integrity audit', () => {
  it('finds a file altered on disk, raises the alarm, and passes the untouched ones', async () => {
    const alarms: RecordingAlarm[] = [];
    const { sink, audit, root } = testArchive(redis, { onAlarm: (a) => alarms.push(a) });
    const good = await sink.ingest(finished('int-good', wavBytes(1)));
    const bad = await sink.ingest(finished('int-bad', wavBytes(1)));
    expect((await audit.verify(bad.recordingId)).result).toBe('ok');
    // One byte flipped in the middle of the stored file (a disk fault, or a hand).
    const file = join(root, storageKeyOf(bad.recordingId));
    chmodSync(file, 0o644);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from([0x55]), 0, 1, 5000);
    closeSync(fd);
    const check = await audit.verify(bad.recordingId);
    expect(check).toMatchObject({ result: 'mismatch', expected: { sha256: bad.sha256, sizeBytes: bad.sizeBytes } });
    expect(check.actual?.sha256).not.toBe(bad.sha256);
    expect(alarms).toEqual([expect.objectContaining({ type: 'recording.integrity-failed', recordingId: bad.recordingId, callId: 'int-bad', result: 'mismatch' })]);
    const report = await audit.auditSample(10);
    expect(report.checked).toBe(2);
    expect(report.ok).toBe(1);
    expect(report.problems.map((p) => p.recordingId)).toEqual([bad.recordingId]);
    expect((await audit.verify(good.recordingId)).result).toBe('ok');
  });
});

describe('reindex', () => {
  it('rebuilds the Redis index from the manifests in storage', async () => {
    const { sink, reindex, access, linkTicket, keyPrefix } = testArchive(redis);
    const a = await sink.ingest(finished('ri-a', wavBytes(1)));
    const b = await sink.ingest(finished('ri-b', wavBytes(1), { callerNumber: '13900001111', startedAt: '2026-11-30T10:00:00.000Z', endedAt: '2026-11-30T10:02:00.000Z' }));
    await linkTicket('ri-a', 'T-9');
    // Redis loses the archive's keys.
    const keys = await redis.keys(`${keyPrefix}recording:*`);
    await redis.del(...keys);
    const who = { name: 'ops', role: 'admin', via: 'token' };
    expect(await access.list(who, 'checking the index', { callId: 'ri-a', limit: 10 })).toEqual([]);
    expect(await reindex()).toEqual({ indexed: 2, unreadable: [] });
    expect((await access.list(who, 'checking the index', { callId: 'ri-a', limit: 10 })).map((m) => m.recordingId)).toEqual([a.recordingId]);
    expect((await access.list(who, 'checking the index', { ticket: 'T-9', limit: 10 })).map((m) => m.recordingId)).toEqual([a.recordingId]);
    expect((await access.list(who, 'checking the index', { number: '13900001111', limit: 10 })).map((m) => m.recordingId)).toEqual([b.recordingId]);
    expect((await access.list(who, 'checking the index', { limit: 10 })).map((m) => m.recordingId)).toEqual([a.recordingId, b.recordingId]);
  });
});
