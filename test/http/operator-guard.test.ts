/**
 * The operator routes' guard: the rate limit, the bearer token (scheme in any case), the
 * role; refusals counted rather than logged one by one; one audit line per allowed access,
 * naming the token's actor and the masked number.
 */
import type { FastifyPluginAsync } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiAuth } from '../../src/http/auth.js';
import { buildHttpServer } from '../../src/http/server.js';
import { createTestLogger } from '../support/test-logger.js';
import { useTestRedis } from '../support/test-redis.js';
import { ADMIN_TOKEN, SUPERVISOR_TOKEN, asSupervisor, startOperatorApp, type LogLine, type OperatorApp } from './support/operator-app.js';

const redis = useTestRedis();
let api: OperatorApp | undefined;
afterEach(async () => {
  await api?.app.close();
  api = undefined;
});

const refusalLines = (lines: LogLine[]) => lines.filter((l) => String(l.msg).startsWith('operator API refused'));

describe('bearer tokens', () => {
  it('takes the scheme in any case, refuses a missing, wrong or malformed token with 401', async () => {
    api = await startOperatorApp(redis);
    const get = (authorization?: string) =>
      api!.app.inject({ method: 'GET', url: '/priority-callers', headers: authorization === undefined ? {} : { authorization } });
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) expect((await get(`${scheme} ${SUPERVISOR_TOKEN}`)).statusCode, scheme).toBe(200);
    for (const refused of [undefined, '', `Basic ${SUPERVISOR_TOKEN}`, `Bearer`, `Bearer ${SUPERVISOR_TOKEN}x`, `Bearer ${SUPERVISOR_TOKEN} extra`, SUPERVISOR_TOKEN]) {
      const res = await get(refused);
      expect(res.statusCode, String(refused)).toBe(401);
      expect(res.json()).toMatchObject({ error_id: 'unauthorized' });
    }
  });

  it('refuses a stranger before reading the body: 401, not 400, for a bad body without a token', async () => {
    api = await startOperatorApp(redis);
    const res = await api.app.inject({ method: 'PUT', url: '/caller-restrictions/13912345678', payload: { forever: true } });
    expect(res.statusCode).toBe(401);
  });

  it('403 for a role the route does not name, by name in the log; admin may do everything', async () => {
    const lines: LogLine[] = [];
    const log = createTestLogger({ stream: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) }, level: 'debug' });
    const auth = new ApiAuth(
      [
        { name: 'ops-desk', role: 'supervisor', token: SUPERVISOR_TOKEN },
        { name: 'root', role: 'admin', token: ADMIN_TOKEN },
      ],
      log,
    );
    const adminOnly: FastifyPluginAsync = async (app) => {
      app.addHook('onRequest', auth.require('admin'));
      app.get('/admin-only', async () => ({ ok: true }));
    };
    const app = await buildHttpServer({ log, plugins: [adminOnly] });
    try {
      const supervisor = await app.inject({ method: 'GET', url: '/admin-only', headers: asSupervisor });
      expect(supervisor.statusCode).toBe(403);
      expect(supervisor.json()).toMatchObject({ error_id: 'forbidden', message: 'role supervisor may not do this; needs admin' });
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'operator API refused', actor: 'ops-desk', role: 'supervisor', outcome: 'forbidden' }));
      expect((await app.inject({ method: 'GET', url: '/admin-only', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('a flood of bad tokens', () => {
  it('gets 401s, then 429 in the one error shape, and writes a bounded number of lines with the count', async () => {
    api = await startOperatorApp(redis, { rateLimit: { max: 5, timeWindowMs: 60_000 } });
    const statuses: number[] = [];
    let limited: { body: unknown; retryAfter: string | undefined } | undefined;
    for (let i = 0; i < 60; i++) {
      const res = await api.app.inject({ method: 'PUT', url: `/priority-callers/1391234${String(i).padStart(4, '0')}`, headers: { authorization: `Bearer guess-${i}` } });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) limited ??= { body: res.json(), retryAfter: res.headers['retry-after'] as string | undefined };
    }
    expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(55).fill(429)]);
    expect(limited?.body).toEqual({ error_id: 'too-many-requests', message: expect.stringMatching(/^more than 5 requests in 60 s from this address; retry in \d+ s$/) });
    expect(Number(limited?.retryAfter)).toBeGreaterThan(0);

    // The same address is limited whoever it claims to be: a good token waits its turn too.
    expect((await api.app.inject({ method: 'GET', url: '/priority-callers', headers: asSupervisor })).statusCode).toBe(429);

    // One line at the first refusal of each route, then one line per window with the counts
    // (the window is a minute; closing the server writes what is counted): 61 refusals, 3 lines.
    await api.app.close();
    expect(api.lines.filter((l) => Number(l.level) >= 40)).toHaveLength(3);
    const lines = refusalLines(api.lines).map(({ route, outcome, refused, total }) => ({ route, outcome, refused, total }));
    expect(lines).toEqual([
      { route: 'PUT /priority-callers/:number', outcome: 'unauthenticated', refused: undefined, total: undefined },
      { route: 'GET /priority-callers', outcome: 'rate-limited', refused: undefined, total: undefined },
      { route: 'PUT /priority-callers/:number', outcome: undefined, refused: { unauthenticated: 4, 'rate-limited': 55 }, total: 59 },
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/1391234\d{4}/);
    expect(api.lines.filter((l) => l.audit === true && l.outcome === undefined)).toEqual([]);
  });
});

describe('the audit trail', () => {
  it('names the token, its role, the action and the masked number; the body cannot choose the actor', async () => {
    api = await startOperatorApp(redis);
    await api.app.inject({ method: 'PUT', url: '/priority-callers/13812345678', headers: asSupervisor });
    await api.app.inject({
      method: 'PUT',
      url: '/caller-restrictions/13987654321',
      headers: asSupervisor,
      payload: { reason: 'insults the agent; also calls from 13711112222 and 021-87654321', minutes: 15 },
    });
    await api.app.inject({ method: 'GET', url: '/caller-restrictions', headers: asSupervisor });
    await api.app.inject({ method: 'DELETE', url: '/priority-callers/13600000000', headers: asSupervisor });

    await expect.poll(() => api!.lines.filter((l) => l.audit === true)).toHaveLength(4);
    const audit = api.lines.filter((l) => l.audit === true).map(({ actor, role, action, number, status }) => ({ actor, role, action, number, status }));
    expect(audit).toEqual([
      { actor: 'ops-desk', role: 'supervisor', action: 'priority-caller.put', number: '138******78', status: 200 },
      { actor: 'ops-desk', role: 'supervisor', action: 'caller-restriction.put', number: '139******21', status: 200 },
      { actor: 'ops-desk', role: 'supervisor', action: 'caller-restriction.list', number: undefined, status: 200 },
      { actor: 'ops-desk', role: 'supervisor', action: 'priority-caller.delete', number: '136******00', status: 404 },
    ]);

    // The reason is stored whole for those allowed to read it, and logged masked.
    const stored = await api.app.inject({ method: 'GET', url: '/caller-restrictions/13987654321', headers: asSupervisor });
    expect(stored.json()).toMatchObject({ reason: 'insults the agent; also calls from 13711112222 and 021-87654321', by: 'ops-desk' });
    const restrictionLine = api.lines.find((l) => String(l.msg).startsWith('caller restriction applied'));
    expect(restrictionLine?.msg).toBe('caller restriction applied: insults the agent; also calls from 137******22 and 021******21');
    expect(JSON.stringify(api.lines)).not.toMatch(/13711112222|87654321|13987654321|13812345678/);
  });
});
