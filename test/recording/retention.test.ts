import { describe, expect, it } from 'vitest';
import { mayDelete, storageKeyOf, sweepStep, type Manifest } from '../../src/recording/index.js';
import { useTestRedis } from '../support/test-redis.js';
import { finished, testArchive, wavBytes } from './archive-support.js';

const redis = useTestRedis();

function manifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    schema: 'hotline.recording-manifest/v1',
    recordingId: '20230101-000000000000000000000001',
    key: '2023/01/01/20230101-000000000000000000000001',
    callId: 'c',
    callerMasked: null,
    callerDigest: null,
    dialled: '12345',
    line: 'main',
    startedAt: '2023-01-01T08:00:00.000Z',
    endedAt: '2023-01-01T08:05:00.000Z',
    durationSeconds: 300,
    format: 'wav',
    contentType: 'audio/wav',
    sizeBytes: 1,
    sha256: '0'.repeat(64),
    sm3: '0'.repeat(64),
    pauses: [],
    storedAt: '2023-01-01T08:05:01.000Z',
    retainUntil: '2026-01-01T08:05:00.000Z',
    tickets: [],
    legalHold: null,
    disposition: null,
    ...overrides,
  };
}

const at = (iso: string) => new Date(iso);
const hold = (until: string | null) => ({ reason: 'court order 2025-17', by: 'li.na', placedAt: '2025-06-01T00:00:00.000Z', until });

describe('retention decisions (pure)', () => {
  it('refuses deletion before retain-until, to the millisecond', () => {
    expect(mayDelete(manifest(), at('2026-01-01T08:04:59.999Z'), 3)).toMatchObject({ may: false, why: 'retained', message: expect.stringContaining('2026-01-01T08:05:00.000Z') });
    expect(mayDelete(manifest(), at('2026-01-01T08:05:00.000Z'), 3)).toEqual({ may: true, clearsLapsedHold: false });
  });

  it('keeps by the longer of the stored retain-until and today’s configured years', () => {
    expect(mayDelete(manifest(), at('2026-06-01T00:00:00Z'), 5)).toMatchObject({ may: false, why: 'retained', message: expect.stringContaining('2028-01-01') });
  });

  it('a legal hold outlives retain-until until cleared, or until its own end', () => {
    expect(mayDelete(manifest({ legalHold: hold(null) }), at('2040-01-01T00:00:00Z'), 3)).toMatchObject({ may: false, why: 'legal-hold' });
    expect(mayDelete(manifest({ legalHold: hold('2027-01-01T00:00:00.000Z') }), at('2026-12-31T23:59:59Z'), 3)).toMatchObject({ may: false, why: 'legal-hold' });
    expect(mayDelete(manifest({ legalHold: hold('2027-01-01T00:00:00.000Z') }), at('2027-01-01T00:00:00Z'), 3)).toEqual({ may: true, clearsLapsedHold: true });
  });

  it('the sweeper keeps what is retained, held or already disposed of, and otherwise does the configured action', () => {
    const later = at('2030-01-01T00:00:00Z');
    expect(sweepStep(manifest(), at('2025-01-01T00:00:00Z'), 3, 'delete')).toEqual({ do: 'keep', why: 'retained' });
    expect(sweepStep(manifest({ legalHold: hold(null) }), later, 3, 'delete')).toEqual({ do: 'keep', why: 'legal-hold' });
    expect(sweepStep(manifest({ disposition: { action: 'archive-tier', at: '2026-02-01T00:00:00.000Z', by: 'retention-sweeper' } }), later, 3, 'archive-tier')).toEqual({ do: 'keep', why: 'disposed' });
    expect(sweepStep(manifest(), later, 3, 'delete')).toEqual({ do: 'delete', clearsLapsedHold: false });
    expect(sweepStep(manifest(), later, 3, 'archive-tier')).toEqual({ do: 'archive-tier', clearsLapsedHold: false });
  });
});

describe('retention on a stored archive', () => {
  /** An archive whose clock the test moves. */
  function clocked(action: 'delete' | 'archive-tier' = 'delete') {
    let now = new Date('2026-12-02T09:00:00.000Z');
    const wired = testArchive(redis, { now: () => now, config: { retention: { action } } });
    return { ...wired, setNow: (iso: string) => (now = new Date(iso)) };
  }

  it('refuses deletion by hand before retain-until with the reason, and deletes after it', async () => {
    const { sink, disposal, archive, storage, setNow } = clocked();
    const ref = await sink.ingest(finished('ret-1', wavBytes(1)));
    await expect(disposal.delete(ref.recordingId, 'admin-1')).rejects.toMatchObject({ code: 'recording:retained', message: expect.stringContaining('retained until 2029-12-02T08:01:00.000Z') });
    expect(await storage.head(storageKeyOf(ref.recordingId))).not.toBeNull();
    setNow('2029-12-02T08:01:00.000Z');
    const after = await disposal.delete(ref.recordingId, 'admin-1');
    expect(after.disposition).toEqual({ action: 'deleted', at: '2029-12-02T08:01:00.000Z', by: 'admin-1' });
    expect(await storage.head(storageKeyOf(ref.recordingId))).toBeNull();
    expect((await archive.requireManifest(ref.recordingId)).disposition?.action).toBe('deleted');
  });

  it('the sweeper deletes only what has expired and is not held; a hold outlives retain-until until it is cleared', async () => {
    const { sink, disposal, sweeper, storage, setNow } = clocked();
    const old = await sink.ingest(finished('sw-old', wavBytes(1), { startedAt: '2023-01-01T08:00:00.000Z', endedAt: '2023-01-01T08:01:00.000Z' }));
    const held = await sink.ingest(finished('sw-held', wavBytes(1), { startedAt: '2023-01-02T08:00:00.000Z', endedAt: '2023-01-02T08:01:00.000Z' }));
    const young = await sink.ingest(finished('sw-young', wavBytes(1), { startedAt: '2024-06-01T08:00:00.000Z', endedAt: '2024-06-01T08:01:00.000Z' }));
    await disposal.placeHold(held.recordingId, { reason: 'complaint under review', by: 'li.na', until: null });
    setNow('2026-12-02T09:00:00.000Z');
    const report = await sweeper.sweep();
    expect(report).toMatchObject({ ran: true, deleted: [old.recordingId], held: [held.recordingId], archived: [], failed: [] });
    expect(await storage.head(storageKeyOf(old.recordingId))).toBeNull();
    expect(await storage.head(storageKeyOf(held.recordingId))).not.toBeNull();
    expect(await storage.head(storageKeyOf(young.recordingId))).not.toBeNull();
    // The held one stays through further sweeps, then goes once the hold is cleared.
    expect((await sweeper.sweep()).held).toEqual([held.recordingId]);
    await disposal.clearHold(held.recordingId);
    expect((await sweeper.sweep()).deleted).toEqual([held.recordingId]);
    expect(await storage.head(storageKeyOf(young.recordingId))).not.toBeNull();
  });

  it('a hold with an end date keeps the recording until then, and the sweeper lifts it afterwards', async () => {
    const { sink, disposal, sweeper, storage, setNow } = clocked();
    const ref = await sink.ingest(finished('sw-until', wavBytes(1), { startedAt: '2023-01-01T08:00:00.000Z', endedAt: '2023-01-01T08:01:00.000Z' }));
    await disposal.placeHold(ref.recordingId, { reason: 'appeal pending', by: 'li.na', until: '2027-03-01T00:00:00.000Z' });
    setNow('2027-02-28T23:59:59.000Z');
    expect((await sweeper.sweep()).held).toEqual([ref.recordingId]);
    setNow('2027-03-01T00:00:00.000Z');
    const report = await sweeper.sweep();
    expect(report.deleted).toEqual([ref.recordingId]);
    expect(await storage.head(storageKeyOf(ref.recordingId))).toBeNull();
  });

  it('moves expired recordings to the archive tier when so configured, still playable', async () => {
    const { sink, sweeper, storage, archive, setNow } = clocked('archive-tier');
    const ref = await sink.ingest(finished('sw-tier', wavBytes(1), { startedAt: '2023-01-01T08:00:00.000Z', endedAt: '2023-01-01T08:01:00.000Z' }));
    setNow('2026-12-02T09:00:00.000Z');
    expect((await sweeper.sweep()).archived).toEqual([ref.recordingId]);
    expect((await storage.head(storageKeyOf(ref.recordingId)))?.tier).toBe('archive');
    const chunks: Buffer[] = [];
    for await (const chunk of await storage.get(storageKeyOf(ref.recordingId))) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).length).toBe(ref.sizeBytes);
    expect((await archive.requireManifest(ref.recordingId)).disposition?.action).toBe('archive-tier');
    expect((await sweeper.sweep()).archived).toEqual([]);
  });

  it('the store refuses an early deletion even when asked directly', async () => {
    const { sink, storage } = clocked();
    const ref = await sink.ingest(finished('ret-direct', wavBytes(1)));
    await expect(storage.delete(storageKeyOf(ref.recordingId))).rejects.toMatchObject({ code: 'recording:retained' });
    expect(await storage.head(storageKeyOf(ref.recordingId))).not.toBeNull();
  });
});
