/**
 * The recordings API over real HTTP (the service's own server, guard and error handling):
 * roles from recording.access, a stated reason, Range for the player, legal holds and
 * deletion, and every access — refusals included — in the hash-chained access log.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiAuth } from '../../src/http/auth.js';
import { recordingRoutes } from '../../src/http/routes/recordings.js';
import { buildHttpServer } from '../../src/http/server.js';
import { rangeAnswer, storageKeyOf, type StoredRecordingRef } from '../../src/recording/index.js';
import { createTestLogger } from '../support/test-logger.js';
import { useTestRedis } from '../support/test-redis.js';
import { CALLER, finished, testArchive, wavBytes } from './archive-support.js';

const redis = useTestRedis();
const TOKENS = {
  admin: { name: 'root', role: 'admin' as const, token: 'admin-token-000000001' },
  supervisor: { name: 'li.na', role: 'supervisor' as const, token: 'supervisor-token-0001' },
  agent: { name: 'wang.fang', role: 'agent' as const, token: 'agent-token-000000001' },
};
const REASON = 'complaint review T-2026-0042';

const wired = testArchive(redis, { config: { access: { list: ['supervisor', 'admin'], listen: ['supervisor'], legalHold: ['admin'], delete: ['admin'], audit: ['admin'], minReasonLength: 8 } } });
const bytes = wavBytes(3);
let app: FastifyInstance;
let base: string;
let ref: StoredRecordingRef;

beforeAll(async () => {
  const log = createTestLogger();
  const auth = new ApiAuth(Object.values(TOKENS), log);
  app = await buildHttpServer({ log, plugins: [recordingRoutes({ access: wired.access, auth })] });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  ref = await wired.sink.ingest(finished('acc-1', bytes));
  await wired.linkTicket('acc-1', 'T-2026-0042');
});
afterAll(async () => {
  await app.close();
});

function call(path: string, as: keyof typeof TOKENS, init: RequestInit & { headers?: Record<string, string> } = {}) {
  return fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${TOKENS[as].token}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });
}
const q = (reason = REASON) => `reason=${encodeURIComponent(reason)}`;

describe('listening with HTTP Range', () => {
  it('serves the whole file with Accept-Ranges, and each kind of range with 206 and the right bytes', async () => {
    const audio = `/recordings/${ref.recordingId}/audio?${q()}`;
    const whole = await call(audio, 'supervisor');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);

    const cases: Array<[string, number, number]> = [
      ['bytes=0-99', 0, 99],
      ['bytes=1000-', 1000, bytes.length - 1],
      ['bytes=-500', bytes.length - 500, bytes.length - 1],
      [`bytes=${bytes.length - 10}-${bytes.length + 1000}`, bytes.length - 10, bytes.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await call(audio, 'supervisor', { headers: { range } });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${bytes.length}`);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes.subarray(start, end + 1)), range).toBe(true);
    }
    const past = await call(audio, 'supervisor', { headers: { range: `bytes=${bytes.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
  });

  it('decides ranges as a pure function', () => {
    expect(rangeAnswer(undefined, 10)).toEqual({ kind: 'whole' });
    expect(rangeAnswer('bytes=0-0,5-6', 10)).toEqual({ kind: 'whole' });
    expect(rangeAnswer('bytes=5-2', 10)).toEqual({ kind: 'whole' });
    expect(rangeAnswer('bytes=-20', 10)).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(rangeAnswer('bytes=-0', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(rangeAnswer('bytes=10-', 10)).toEqual({ kind: 'unsatisfiable' });
  });
});

describe('the OpenAPI document', () => {
  it('documents every recordings route behind the bearer scheme', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, Record<string, { security?: unknown; tags?: string[] }>> };
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/recordings'))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })));
    expect(operations.map((o) => o.route).sort()).toEqual(
      [
        'GET /recordings',
        'GET /recordings/access-log/verify',
        'GET /recordings/{recordingId}',
        'GET /recordings/{recordingId}/audio',
        'POST /recordings/{recordingId}/legal-hold',
        'DELETE /recordings/{recordingId}/legal-hold',
        'DELETE /recordings/{recordingId}',
        'POST /recordings/{recordingId}/integrity-check',
      ].sort(),
    );
    for (const { route, op } of operations) {
      expect(op.security, route).toEqual([{ bearer: [] }]);
      expect(op.tags, route).toEqual(['recordings']);
    }
  });
});

describe('who may do what, and the access log', () => {
  it('refuses a role the config does not name with 403, and logs the refusal in the chain', async () => {
    const res = await call(`/recordings/${ref.recordingId}/audio?${q()}`, 'agent');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error_id: 'recording:forbidden' });
    // An admin is not a listener either, unless the config says so.
    expect((await call(`/recordings/${ref.recordingId}/audio?${q()}`, 'admin')).status).toBe(403);
    const last = await wired.accessLog.tail(2);
    expect(last).toEqual([
      expect.objectContaining({ actor: 'wang.fang', role: 'agent', action: 'listen', recordingId: ref.recordingId, result: 'refused', status: 403, reason: REASON }),
      expect.objectContaining({ actor: 'root', role: 'admin', action: 'listen', result: 'refused', status: 403 }),
    ]);
  });

  it('needs a reason of the configured length', async () => {
    expect((await call(`/recordings/${ref.recordingId}`, 'supervisor')).status).toBe(400);
    const short = await call(`/recordings/${ref.recordingId}?${q('why')}`, 'supervisor');
    expect(short.status).toBe(400);
    expect(((await short.json()) as { message: string }).message).toContain('at least 8 characters');
    expect((await call(`/recordings/${ref.recordingId}?${q()}`, 'supervisor')).status).toBe(200);
  });

  it('lists by call, ticket, number and date; the number is digested and only masked in the log', async () => {
    const ids = async (query: string) => ((await (await call(`/recordings?${q()}&${query}`, 'supervisor')).json()) as { recordings: Array<{ recordingId: string; callerMasked: string }> }).recordings;
    expect((await ids('callId=acc-1')).map((r) => r.recordingId)).toEqual([ref.recordingId]);
    expect((await ids('ticket=T-2026-0042')).map((r) => r.recordingId)).toEqual([ref.recordingId]);
    const byNumber = await ids(`number=${CALLER}`);
    expect(byNumber.map((r) => [r.recordingId, r.callerMasked])).toEqual([[ref.recordingId, '138******78']]);
    expect(await ids('number=13900000000')).toEqual([]);
    expect((await ids('from=2026-12-02T00:00:00Z&to=2026-12-03T00:00:00Z')).map((r) => r.recordingId)).toEqual([ref.recordingId]);
    expect(await ids('from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z')).toEqual([]);
    const entries = await wired.accessLog.tail(10);
    expect(entries.some((e) => e.query === 'number 138******78')).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(CALLER);
    expect((await call(`/recordings?${q()}&callId=a&ticket=T-1`, 'supervisor')).status).toBe(400);
  });

  it('answers 404 for a recording that does not exist, logged as not-found', async () => {
    const missing = '20261202-000000000000000000000000';
    const res = await call(`/recordings/${missing}?${q()}`, 'supervisor');
    expect(res.status).toBe(404);
    expect(await wired.accessLog.tail(1)).toEqual([expect.objectContaining({ recordingId: missing, result: 'not-found', status: 404 })]);
    expect((await call(`/recordings/not-an-id?${q()}`, 'supervisor')).status).toBe(400);
  });

  it('holds and deletes: deletion refused before retain-until, a hold placed and cleared by an admin only', async () => {
    const del = await call(`/recordings/${ref.recordingId}?${q()}`, 'admin', { method: 'DELETE' });
    expect(del.status).toBe(409);
    expect(await del.json()).toMatchObject({ error_id: 'recording:retained' });
    expect((await call(`/recordings/${ref.recordingId}?${q()}`, 'supervisor', { method: 'DELETE' })).status).toBe(403);
    const hold = await call(`/recordings/${ref.recordingId}/legal-hold`, 'admin', { method: 'POST', body: JSON.stringify({ reason: 'court order (2026) 17', until: null }) });
    expect(hold.status).toBe(200);
    expect(((await hold.json()) as { legalHold: unknown }).legalHold).toMatchObject({ by: 'root', reason: 'court order (2026) 17', until: null });
    expect((await wired.storage.head(storageKeyOf(ref.recordingId)))?.legalHold).toBe(true);
    const cleared = await call(`/recordings/${ref.recordingId}/legal-hold?${q()}`, 'admin', { method: 'DELETE' });
    expect(((await cleared.json()) as { legalHold: unknown }).legalHold).toBeNull();
  });

  it('checks one recording’s integrity, and verifies the chain of every access above — then fails it once an entry is edited', async () => {
    const check = await call(`/recordings/${ref.recordingId}/integrity-check`, 'admin', { method: 'POST', body: JSON.stringify({ reason: 'monthly spot check' }) });
    expect(await check.json()).toMatchObject({ recordingId: ref.recordingId, result: 'ok' });
    const verify = await call(`/recordings/access-log/verify?${q()}`, 'admin');
    const verdict = (await verify.json()) as { ok: boolean; entries: number };
    expect(verdict.ok).toBe(true);
    expect(verdict.entries).toBeGreaterThan(15);
    const key = `${wired.keyPrefix}recording:access-log`;
    const raw = JSON.parse((await redis.lindex(key, 0))!);
    await redis.lset(key, 0, JSON.stringify({ ...raw, actor: 'someone-else' }));
    const after = (await (await call(`/recordings/access-log/verify?${q()}`, 'admin')).json()) as { ok: boolean; brokenAt: number };
    expect(after).toMatchObject({ ok: false, brokenAt: 1 });
  });
});
