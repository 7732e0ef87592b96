import { createHash } from 'node:crypto';
import { readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { parseHotlineConfig } from '../../src/app/load-config.js';
import { TICKET_EVENT_SCHEMA_V1, TicketCreatedSchema } from '../../src/crm-bridge/inbound-events.js';
import { TicketEventHub } from '../../src/crm-bridge/ticket-event-hub.js';
import { ConfigError } from '../../src/config/config-error.js';
import { RecordingConfigSchema, storageKeyOf } from '../../src/recording/index.js';
import { useTestRedis } from '../support/test-redis.js';
import { CALLER, finished, tempDir, testArchive, wavBytes } from './archive-support.js';

const redis = useTestRedis();

describe('the recording archive (fs)', () => {
  it('stores a call once: digests, duration, a read-only file in its date folder, and a manifest without the whole number', async () => {
    const { sink, archive, root } = testArchive(redis);
    const bytes = wavBytes(2.5);
    const ref = await sink.ingest(finished('call-1', bytes));
    expect(ref).toMatchObject({
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      sm3: createHash('sm3').update(bytes).digest('hex'),
      durationSeconds: 2.5,
      retainUntil: '2029-12-02T08:01:00.000Z',
    });
    const key = storageKeyOf(ref.recordingId);
    expect(key).toMatch(/^2026\/12\/02\/20261202-[0-9a-f]{24}$/);
    const file = join(root, key);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o444);
    const manifestText = readFileSync(`${file}.manifest.json`, 'utf8');
    expect(manifestText).not.toContain(CALLER);
    const manifest = await archive.requireManifest(ref.recordingId);
    expect(manifest).toMatchObject({ callId: 'call-1', callerMasked: '138******78', dialled: '12345', line: 'main', format: 'wav', tickets: [], legalHold: null, disposition: null });
    expect(manifest.callerDigest).toBe(archive.numberDigest(CALLER));
  });

  it('is idempotent by call id: a second ingest returns the same ref without reading or storing again', async () => {
    const { sink, storage } = testArchive(redis);
    const bytes = wavBytes(1);
    const first = finished('call-2', bytes);
    const [a, b] = await Promise.all([sink.ingest(first), sink.ingest(first)]);
    const again = finished('call-2', bytes);
    const c = await sink.ingest(again);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(first.opened).toBe(1);
    expect(again.opened).toBe(0);
    const keys: string[] = [];
    for await (const key of storage.list('')) keys.push(key);
    expect(keys).toEqual([storageKeyOf(a.recordingId)]);
  });

  it('finishes an ingest that stopped between the audio and the manifest, from the stored bytes', async () => {
    const { sink, archive, root } = testArchive(redis);
    const bytes = wavBytes(1);
    const ref0 = await sink.ingest(finished('call-3', bytes));
    // The audio stays, the manifest is lost (a crash between the two writes).
    unlinkSync(join(root, `${storageKeyOf(ref0.recordingId)}.manifest.json`));
    expect(await archive.manifest(ref0.recordingId)).toBeNull();
    const retry = finished('call-3', Buffer.from('other bytes the capture would not send'));
    const ref = await sink.ingest(retry);
    expect(ref).toEqual(ref0);
    expect(retry.opened).toBe(0);
  });

  it('links a ticket created during the call once the recording arrives, and one created later at once', async () => {
    const { sink, linkTicket, archive } = testArchive(redis);
    expect(await linkTicket('call-4', 'T-2026-0001')).toBe('pending');
    const ref = await sink.ingest(finished('call-4', wavBytes(1)));
    expect((await archive.requireManifest(ref.recordingId)).tickets).toEqual(['T-2026-0001']);
    expect(await linkTicket('call-4', 'T-2026-0002')).toBe('linked');
    expect(await linkTicket('call-4', 'T-2026-0002')).toBe('linked');
    expect((await archive.requireManifest(ref.recordingId)).tickets).toEqual(['T-2026-0001', 'T-2026-0002']);
  });

  it('follows ticket.created on the ticket bridge’s hub', async () => {
    const { sink, followTickets, archive } = testArchive(redis);
    const hub = new TicketEventHub();
    const unfollow = followTickets(hub);
    const ref = await sink.ingest(finished('call-hub', wavBytes(1)));
    const event = TicketCreatedSchema.parse({
      schema: TICKET_EVENT_SCHEMA_V1,
      eventId: 'ev-1',
      occurredAt: '2026-12-02T08:00:30+08:00',
      type: 'ticket.created',
      data: { ticketNumber: 'SR-2026-7', callerNumber: CALLER, callId: 'call-hub' },
    });
    await hub.dispatch(event);
    await hub.dispatch(event);
    expect((await archive.requireManifest(ref.recordingId)).tickets).toEqual(['SR-2026-7']);
    unfollow();
  });

  it('refuses a recording that is not a WAV, and stores nothing', async () => {
    const { sink, storage } = testArchive(redis);
    await expect(sink.ingest(finished('call-5', Buffer.from('not audio at all')))).rejects.toMatchObject({ code: 'recording:bad-audio' });
    const keys: string[] = [];
    for await (const key of storage.list('')) keys.push(key);
    expect(keys).toEqual([]);
  });
});

describe('two service instances on one archive', () => {
  it('take turns changing a manifest: tickets and a hold placed at once are all kept', async () => {
    const root = tempDir('recordings-shared');
    const one = testArchive(redis, { root });
    const two = testArchive(redis, { root, keyPrefix: one.keyPrefix });
    const ref = await one.sink.ingest(finished('shared-1', wavBytes(1)));
    // The same call handed to the other instance (a retry after a restart) is the same recording.
    expect(await two.sink.ingest(finished('shared-1', wavBytes(1)))).toEqual(ref);
    await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => (i % 2 ? one : two).linkTicket('shared-1', `T-${i}`)),
      two.disposal.placeHold(ref.recordingId, { reason: 'inspection of the centre', by: 'root', until: null }),
    ]);
    const manifest = await one.archive.requireManifest(ref.recordingId);
    expect([...manifest.tickets].sort()).toEqual(['T-0', 'T-1', 'T-2', 'T-3', 'T-4', 'T-5']);
    expect(manifest.legalHold).toMatchObject({ by: 'root' });
  });
});

describe('the archive while Redis is away', () => {
  it('still stores the recording (the manifest is the truth), and reindex puts it in the index later', async () => {
    // A client to a port nobody listens on: every command fails at once.
    const away = new Redis('redis://127.0.0.1:9', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    away.on('error', () => undefined);
    const root = tempDir('recordings-no-redis');
    const offline = testArchive(away, { root });
    const ref = await offline.sink.ingest(finished('no-redis-1', wavBytes(1)));
    expect((await offline.archive.requireManifest(ref.recordingId)).sizeBytes).toBe(ref.sizeBytes);
    away.disconnect();
    const online = testArchive(redis, { root });
    expect(await online.reindex()).toEqual({ indexed: 1, unreadable: [] });
    expect(await online.linkTicket('no-redis-1', 'T-77')).toBe('linked');
    expect((await online.archive.requireManifest(ref.recordingId)).tickets).toEqual(['T-77']);
  });
});

describe('the recording config', () => {
  it('refuses a retention under 3 years with the reason', () => {
    const result = RecordingConfigSchema.safeParse({ storage: { kind: 'fs', root: 'var/recordings' }, retention: { years: 2 } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['retention', 'years'], message: expect.stringContaining('at least 3 years') });
  });

  it('stops the hotline config file from loading with a retention under 3 years, naming the field', () => {
    const example = readFileSync('config/hotline.example.yaml', 'utf8');
    expect(example).toMatch(/^    years: 3 /m);
    expect(() => parseHotlineConfig('hotline.yaml', example)).not.toThrow();
    const shorter = example.replace(/^    years: 3 /m, '    years: 2 ');
    let refused: unknown;
    try {
      parseHotlineConfig('hotline.yaml', shorter);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).faults).toEqual([{ path: expect.stringMatching(/recording\.retention\.years$/), reason: expect.stringContaining('at least 3 years') }]);
  });

  it('defaults to 3 years, and asks archive-tier on fs for an archive root', () => {
    const config = RecordingConfigSchema.parse({ storage: { kind: 'fs', root: 'var/recordings' } });
    expect(config.retention).toMatchObject({ years: 3, action: 'delete' });
    expect(config.capture.enabled).toBe(true);
    const result = RecordingConfigSchema.safeParse({ storage: { kind: 'fs', root: 'var/recordings' }, retention: { action: 'archive-tier' } });
    expect(result.error?.issues[0]).toMatchObject({ path: ['storage', 'archiveRoot'] });
  });
});
