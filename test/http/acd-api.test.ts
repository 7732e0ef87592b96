/**
 * The ACD's agent and queue routes on a real HTTP server over the run's Redis, behind the
 * real guard: machines' static tokens (supervisor, admin) and people's IdP JWTs (agents
 * named by their id claim, a supervisor). An agent acts on itself only and logs in as the
 * roster has it; SIP credentials go to the agent alone; refusals carry the ACD's codes;
 * waiting callers are shown masked.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentDesk } from '../../src/acd/agent-desk.js';
import { AcdConfigSchema, AgentStore, CallQueue, acdKeys } from '../../src/acd/index.js';
import { redisWaitingCalls } from '../../src/acd/ports/waiting-calls.js';
import { sipCredentials, sipPassword } from '../../src/acd/sip-credentials.js';
import { AuthConfigSchema, createUserDirectory } from '../../src/auth/index.js';
import { ApiAuth } from '../../src/http/auth.js';
import { JwtSignIn } from '../../src/http/jwt-sign-in.js';
import { acdAgentRoutes } from '../../src/http/routes/acd-agents.js';
import { acdQueueRoutes } from '../../src/http/routes/acd-queues.js';
import { buildHttpServer } from '../../src/http/server.js';
import { routingConfig } from '../acd/support.js';
import { createTestLogger } from '../support/test-logger.js';
import { useTestRedis } from '../support/test-redis.js';
import { AUDIENCE, ISSUER, claims, makeKey, signJwt } from './support/idp.js';

const redis = useTestRedis();
const key = makeKey('acd-key');
const SUPERVISOR_TOKEN = 'acd-ops-desk-token-0001';
const ADMIN_TOKEN = 'acd-root-token-00000001';
const SIP_SECRET = 'a-test-agent-sip-secret-of-32-chars-or-more';
const SIP = { domain: 'pbx.hotline.test', wsServer: 'wss://pbx.hotline.test:8089/ws', iceServers: [{ urls: 'stun:stun.hotline.test:3478' }] };

type LogLine = Record<string, unknown> & { msg: string };

interface Api {
  base: string;
  app: FastifyInstance;
  store: AgentStore;
  calls: CallQueue;
  lines: LogLine[];
  call(method: string, path: string, who: string | null, body?: unknown): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>;
}

let running: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of running.splice(0)) await app.close();
});

/** A person's IdP token: `name` is the id claim, the role one of the service's. */
const person = (name: string, role: 'agent' | 'supervisor' | 'admin') => signJwt(key, claims({ sub: name, roles: [role] }));

async function startApi(storeRedis: Redis = redis, now: () => number = Date.now): Promise<Api> {
  const lines: LogLine[] = [];
  const log = createTestLogger({ stream: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) }, level: 'debug' });
  const config = AcdConfigSchema.parse(routingConfig);
  const keys = acdKeys(`test:acd-api:${randomUUID()}:`);
  const store = new AgentStore({ redis: storeRedis, keys, config });
  const calls = new CallQueue(storeRedis, keys, config);
  const desk = new AgentDesk({ store, redis: storeRedis, keys, now, skills: config.skills });
  const authConfig = AuthConfigSchema.parse({
    identityProvider: { issuer: ISSUER, audience: AUDIENCE, publicKey: key.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
  });
  const signIn = new JwtSignIn({ config: authConfig, users: createUserDirectory([]), log });
  const auth = new ApiAuth(
    [
      { name: 'ops-desk', role: 'supervisor', token: SUPERVISOR_TOKEN },
      { name: 'root', role: 'admin', token: ADMIN_TOKEN },
    ],
    log,
    { signIn },
  );
  const app = await buildHttpServer({
    log,
    signIn,
    plugins: [
      acdAgentRoutes({ desk, credentials: (endpoint) => sipCredentials(endpoint, { ...SIP, secret: SIP_SECRET }), auth }),
      acdQueueRoutes({ queuesConfig: config.queues, waiting: redisWaitingCalls({ redis: storeRedis, keys, calls }), auth, now }),
    ],
  });
  running.push(app);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    base,
    app,
    store,
    calls,
    lines,
    async call(method, path, who, body) {
      const headers: Record<string, string> = {};
      if (who) headers.authorization = `Bearer ${who}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
    },
  };
}

const seat = (id: string, extra: Record<string, unknown> = {}) => ({ displayName: `坐席${id}`, endpoint: `PJSIP/${id}`, skills: { general: 5 }, ...extra });
const A1001 = person('1001', 'agent');
const A1002 = person('1002', 'agent');

/** Supervisors put the agents on the roster, each on its own seat with general at 5. */
async function rostered(api: Api, ...ids: string[]): Promise<void> {
  for (const id of ids) expect((await api.call('PUT', `/acd/roster/${id}`, SUPERVISOR_TOKEN, seat(id))).status).toBe(200);
}

async function expectProblem(res: { status: number; body: Record<string, unknown> }, status: number, errorId: string): Promise<void> {
  expect({ status: res.status, error_id: res.body.error_id }).toEqual({ status, error_id: errorId });
  expect(typeof res.body.message).toBe('string');
}

describe('the agent desk over HTTP', () => {
  it('lets an agent log itself in, pause, get ready, read itself and log out, each answer the state change, audited by name', async () => {
    const api = await startApi();
    await rostered(api, '1001');
    const login = await api.call('POST', '/acd/agents/1001/login', A1001, { reason: 'lunch' });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ agentId: '1001', from: 'offline', to: 'not-ready', reason: 'lunch', version: 1 });
    expect((await api.call('POST', '/acd/agents/1001/ready', A1001)).body).toMatchObject({ from: 'not-ready', to: 'ready' });
    expect((await api.call('POST', '/acd/agents/1001/pause', A1001, { reason: 'lunch' })).body).toMatchObject({ to: 'not-ready', reason: 'lunch' });
    const self = await api.call('GET', '/acd/agents/1001', A1001);
    expect(self.status).toBe(200);
    expect(self.body).toMatchObject({ id: '1001', displayName: '坐席1001', endpoint: 'PJSIP/1001', kind: 'regular', skills: { general: 5 }, state: { kind: 'not-ready', reason: 'lunch' } });
    expect((await api.call('POST', '/acd/agents/1001/logout', A1001)).body).toMatchObject({ from: 'not-ready', to: 'offline' });
    await expect
      .poll(() => api.lines.filter((l) => l.audit === true && l.msg === 'operator API access').map((l) => [l.actor, l.role, l.via, l.action, l.status]))
      .toEqual([
        ['ops-desk', 'supervisor', 'token', 'acd.roster.put', 200],
        ['1001', 'agent', 'jwt', 'acd.agent.login', 200],
        ['1001', 'agent', 'jwt', 'acd.agent.ready', 200],
        ['1001', 'agent', 'jwt', 'acd.agent.pause', 200],
        ['1001', 'agent', 'jwt', 'acd.agent.get', 200],
        ['1001', 'agent', 'jwt', 'acd.agent.logout', 200],
      ]);
  });

  it('ends and extends a wrap-up', async () => {
    const api = await startApi();
    await rostered(api, '1001');
    // No body at all: the roster's profile, ready.
    expect((await api.call('POST', '/acd/agents/1001/login', A1001)).body).toMatchObject({ to: 'ready' });
    const t = Date.now();
    await api.store.apply('1001', { type: 'offer', callId: 'c1', queue: 'general' }, t);
    await api.store.apply('1001', { type: 'answer', callId: 'c1' }, t);
    await api.store.apply('1001', { type: 'hang-up', callId: 'c1', wrapUpSeconds: 30 }, t);
    const extended = await api.call('POST', '/acd/agents/1001/wrap-up/extend', A1001, { seconds: 60 });
    expect(extended.status).toBe(200);
    expect((extended.body.state as { until: number }).until).toBe(t + 90_000);
    expect((await api.call('POST', '/acd/agents/1001/wrap-up/end', A1001)).body).toMatchObject({ from: 'wrap-up', to: 'ready' });
  });

  it('refuses an agent acting on another agent (403) and lets supervisors and admins act on anyone', async () => {
    const api = await startApi();
    await rostered(api, '1002');
    expect((await api.call('POST', '/acd/agents/1002/login', A1002, {})).status).toBe(200);
    await expectProblem(await api.call('POST', '/acd/agents/1002/login', A1001, {}), 403, 'forbidden');
    await expectProblem(await api.call('POST', '/acd/agents/1002/pause', A1001, { reason: 'lunch' }), 403, 'forbidden');
    await expectProblem(await api.call('POST', '/acd/agents/1002/logout', A1001), 403, 'forbidden');
    await expectProblem(await api.call('GET', '/acd/agents/1002', A1001), 403, 'forbidden');
    await expectProblem(await api.call('GET', '/acd/agents', A1001), 403, 'forbidden');
    expect((await api.call('GET', '/acd/agents/1002', A1002)).body).toMatchObject({ state: { kind: 'ready' } });

    expect((await api.call('POST', '/acd/agents/1002/pause', SUPERVISOR_TOKEN, { reason: 'lunch' })).body).toMatchObject({ to: 'not-ready' });
    expect((await api.call('POST', '/acd/agents/1003/login', person('li.na', 'supervisor'), seat('1003'))).status).toBe(200);
    expect((await api.call('POST', '/acd/agents/1003/logout', ADMIN_TOKEN)).body).toMatchObject({ to: 'offline' });
    const list = await api.call('GET', '/acd/agents', SUPERVISOR_TOKEN);
    expect(list.status).toBe(200);
    expect((list.body.agents as Array<{ id: string; state: { kind: string } }>).map((a) => [a.id, a.state.kind])).toEqual([['1002', 'not-ready']]);
  });

  it('answers 401 without a token or with a wrong one', async () => {
    const api = await startApi();
    await expectProblem(await api.call('POST', '/acd/agents/1001/login', null, seat('1001')), 401, 'unauthorized');
    await expectProblem(await api.call('GET', '/acd/agents', 'not-a-known-token-000000'), 401, 'unauthorized');
    await expectProblem(await api.call('GET', '/acd/agents/1001/sip-credentials', null), 401, 'unauthorized');
    await expectProblem(await api.call('GET', '/acd/queues', null), 401, 'unauthorized');
    expect(await api.store.get('1001')).toBeNull();
  });

  it('answers 400 with the reasons for bad input, the ACD refusing unknown skills and reasons', async () => {
    const api = await startApi();
    await rostered(api, '1001');
    // A supervisor's one-off profile is whole or absent.
    const missing = await api.call('POST', '/acd/agents/1001/login', SUPERVISOR_TOKEN, { endpoint: 'PJSIP/1001', skills: { general: 5 } });
    await expectProblem(missing, 400, 'invalid-request');
    expect(JSON.stringify(missing.body.details)).toContain('body.displayName');
    await expectProblem(await api.call('POST', '/acd/agents/1001/login', A1001, { endpoint: 'tel:1001' }), 400, 'invalid-request');
    await expectProblem(await api.call('POST', '/acd/agents/1001/login', A1001, { role: 'admin' }), 400, 'invalid-request');
    await expectProblem(await api.call('POST', '/acd/agents/1001/login', SUPERVISOR_TOKEN, seat('1001', { skills: { general: 12 } })), 400, 'invalid-request');
    await expectProblem(await api.call('POST', '/acd/agents/1001/login', SUPERVISOR_TOKEN, seat('1001', { skills: { tax: 5 } })), 400, 'acd:unknown-skill');
    await expectProblem(await api.call('POST', '/acd/agents/bad%20id/login', SUPERVISOR_TOKEN, seat('1001')), 400, 'invalid-request');
    await expectProblem(await api.call('POST', '/acd/agents/1001/login', A1001, { reason: 'smoking' }), 400, 'acd:unknown-reason');
    expect(await api.store.get('1001')).toBeNull();
    await api.call('POST', '/acd/agents/1001/login', A1001, {});
    await expectProblem(await api.call('POST', '/acd/agents/1001/pause', A1001, { reason: 'smoking' }), 400, 'acd:unknown-reason');
    await expectProblem(await api.call('POST', '/acd/agents/1001/pause', A1001, {}), 400, 'invalid-request');
    await expectProblem(await api.call('POST', '/acd/agents/1001/wrap-up/extend', A1001, { seconds: 601 }), 400, 'invalid-request');
    await expectProblem(await api.call('POST', '/acd/agents/1001/wrap-up/extend', A1001, { seconds: 1.5 }), 400, 'invalid-request');
  });

  it('answers 404 for an agent never logged in, and acd:not-on-roster for a login without a roster entry', async () => {
    const api = await startApi();
    await expectProblem(await api.call('POST', '/acd/agents/1001/login', A1001, {}), 404, 'acd:not-on-roster');
    await expectProblem(await api.call('POST', '/acd/agents/1001/login', SUPERVISOR_TOKEN, {}), 404, 'acd:not-on-roster');
    await expectProblem(await api.call('GET', '/acd/agents/ghost', SUPERVISOR_TOKEN), 404, 'acd:no-such-agent');
    await expectProblem(await api.call('POST', '/acd/agents/ghost/ready', SUPERVISOR_TOKEN), 404, 'acd:no-such-agent');
    await expectProblem(await api.call('GET', '/acd/agents/1001', A1001), 404, 'acd:no-such-agent');
  });

  it('answers 409 with the ACD code when the state forbids the change', async () => {
    const api = await startApi();
    await rostered(api, '1001', '1002');
    await api.call('POST', '/acd/agents/1001/login', A1001, {});
    await expectProblem(await api.call('POST', '/acd/agents/1001/login', A1001, {}), 409, 'acd:already-logged-in');
    await expectProblem(await api.call('POST', '/acd/agents/1001/wrap-up/end', A1001), 409, 'acd:agent-not-in-wrap-up');
    await expectProblem(await api.call('POST', '/acd/agents/1002/login', SUPERVISOR_TOKEN, { endpoint: 'PJSIP/1001' }), 409, 'acd:endpoint-in-use');
    await api.store.apply('1001', { type: 'offer', callId: 'c1', queue: 'general' }, Date.now());
    await api.store.apply('1001', { type: 'answer', callId: 'c1' }, Date.now());
    await expectProblem(await api.call('POST', '/acd/agents/1001/logout', A1001), 409, 'acd:agent-busy');
    await expectProblem(await api.call('POST', '/acd/agents/1001/pause', SUPERVISOR_TOKEN, { reason: 'lunch' }), 409, 'acd:agent-busy');
    await api.call('POST', '/acd/agents/1003/login', SUPERVISOR_TOKEN, seat('1003'));
    await api.call('POST', '/acd/agents/1003/logout', SUPERVISOR_TOKEN);
    await expectProblem(await api.call('POST', '/acd/agents/1003/ready', SUPERVISOR_TOKEN), 409, 'acd:agent-offline');
  });

  it('answers 503 store-unavailable when Redis does not answer', async () => {
    const dead = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => undefined);
    try {
      const api = await startApi(dead);
      await expectProblem(await api.call('GET', '/acd/agents', SUPERVISOR_TOKEN), 503, 'store-unavailable');
      await expectProblem(await api.call('POST', '/acd/agents/1001/login', A1001, {}), 503, 'store-unavailable');
      await expectProblem(await api.call('PUT', '/acd/roster/1001', SUPERVISOR_TOKEN, seat('1001')), 503, 'store-unavailable');
    } finally {
      dead.disconnect();
    }
  });
});

describe('the roster over HTTP', () => {
  type Entry = { id: string; displayName: string; endpoint: string; kind: string; skills: Record<string, number> };

  it('is kept by supervisors and admins, read whole by them and by each agent for itself only, each access audited', async () => {
    const api = await startApi();
    const put = await api.call('PUT', '/acd/roster/1001', SUPERVISOR_TOKEN, seat('1001', { skills: { general: 7, enterprise: 3 } }));
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ id: '1001', displayName: '坐席1001', endpoint: 'PJSIP/1001', kind: 'regular', skills: { general: 7, enterprise: 3 } });
    expect((await api.call('PUT', '/acd/roster/lead.wang', ADMIN_TOKEN, { displayName: '王局长', endpoint: 'PJSIP/1801', skills: { leaders: 9 }, kind: 'guest' })).status).toBe(200);
    const list = await api.call('GET', '/acd/roster', person('li.na', 'supervisor'));
    expect(list.status).toBe(200);
    expect((list.body.agents as Entry[]).map((a) => [a.id, a.kind, a.endpoint])).toEqual([
      ['1001', 'regular', 'PJSIP/1001'],
      ['lead.wang', 'guest', 'PJSIP/1801'],
    ]);
    expect((await api.call('GET', '/acd/roster/1001', A1001)).body).toEqual(put.body);
    expect((await api.call('GET', '/acd/roster/1001', SUPERVISOR_TOKEN)).body).toEqual(put.body);

    await expectProblem(await api.call('GET', '/acd/roster/lead.wang', A1001), 403, 'forbidden');
    await expectProblem(await api.call('GET', '/acd/roster', A1001), 403, 'forbidden');
    await expectProblem(await api.call('PUT', '/acd/roster/1001', A1001, seat('1001', { skills: { general: 9 } })), 403, 'forbidden');
    await expectProblem(await api.call('DELETE', '/acd/roster/1001', A1001), 403, 'forbidden');
    await expectProblem(await api.call('GET', '/acd/roster/1002', A1002), 404, 'acd:not-on-roster');
    expect(((await api.call('GET', '/acd/roster/1001', SUPERVISOR_TOKEN)).body as Entry).skills).toEqual({ general: 7, enterprise: 3 });

    await expect
      .poll(() => api.lines.filter((l) => l.audit === true && l.msg === 'operator API access').map((l) => [l.actor, l.action, l.status]))
      .toEqual([
        ['ops-desk', 'acd.roster.put', 200],
        ['root', 'acd.roster.put', 200],
        ['li.na', 'acd.roster.list', 200],
        ['1001', 'acd.roster.get', 200],
        ['ops-desk', 'acd.roster.get', 200],
        ['1001', 'acd.roster.get', 403],
        ['1002', 'acd.roster.get', 404],
        ['ops-desk', 'acd.roster.get', 200],
      ]);
    // The guard refuses the supervisors' routes to an agent before they run, in its own lines.
    expect(api.lines.filter((l) => l.audit === true && l.outcome === 'forbidden').map((l) => l.actor)).toEqual(['1001', '1001', '1001']);
  });

  it('refuses entries that are not whole or name skills outside acd.skills', async () => {
    const api = await startApi();
    await expectProblem(await api.call('PUT', '/acd/roster/1001', SUPERVISOR_TOKEN, seat('1001', { skills: { tax: 5 } })), 400, 'acd:unknown-skill');
    await expectProblem(await api.call('PUT', '/acd/roster/1001', SUPERVISOR_TOKEN, seat('1001', { skills: { general: 10 } })), 400, 'invalid-request');
    await expectProblem(await api.call('PUT', '/acd/roster/1001', SUPERVISOR_TOKEN, seat('1001', { skills: {} })), 400, 'invalid-request');
    await expectProblem(await api.call('PUT', '/acd/roster/1001', SUPERVISOR_TOKEN, { endpoint: 'PJSIP/1001', skills: { general: 5 } }), 400, 'invalid-request');
    await expectProblem(await api.call('PUT', '/acd/roster/1001', SUPERVISOR_TOKEN, seat('1001', { kind: 'boss' })), 400, 'invalid-request');
    await expectProblem(await api.call('PUT', '/acd/roster/1001', SUPERVISOR_TOKEN, seat('1001', { reason: 'lunch' })), 400, 'invalid-request');
    await expectProblem(await api.call('GET', '/acd/roster/1001', SUPERVISOR_TOKEN), 404, 'acd:not-on-roster');
  });

  it("logs an agent in as its entry says and refuses an agent's own name, skills or kind (403), storing nothing", async () => {
    const api = await startApi();
    await api.call('PUT', '/acd/roster/1001', SUPERVISOR_TOKEN, seat('1001', { skills: { general: 4 } }));
    for (const body of [{ skills: { general: 9 } }, { kind: 'guest' }, { displayName: '组长' }, seat('1001', { skills: { general: 9, leaders: 9 }, kind: 'guest' })]) {
      const refused = await api.call('POST', '/acd/agents/1001/login', A1001, body);
      await expectProblem(refused, 403, 'forbidden');
      expect(refused.body.message).toContain('roster');
    }
    expect(await api.store.get('1001')).toBeNull();
    expect((await api.call('POST', '/acd/agents/1001/login', A1001, {})).status).toBe(200);
    expect(await api.store.get('1001')).toMatchObject({ displayName: '坐席1001', endpoint: 'PJSIP/1001', kind: 'regular', skills: { general: 4 } });
  });

  it('uses a changed entry from the next login, not in the session running', async () => {
    const api = await startApi();
    await rostered(api, '1001');
    await api.call('POST', '/acd/agents/1001/login', A1001, {});
    await api.call('PUT', '/acd/roster/1001', SUPERVISOR_TOKEN, seat('1001', { skills: { general: 8, enterprise: 6 } }));
    expect((await api.store.get('1001'))?.skills).toEqual({ general: 5 });
    await api.call('POST', '/acd/agents/1001/logout', A1001);
    await api.call('POST', '/acd/agents/1001/login', A1001, {});
    expect((await api.store.get('1001'))?.skills).toEqual({ general: 8, enterprise: 6 });
  });

  it('gives another seat for a session only through a supervisor (a chosen seat would hand out its password); the credentials follow', async () => {
    const api = await startApi();
    await rostered(api, '1001', '1002');
    await expectProblem(await api.call('POST', '/acd/agents/1001/login', A1001, { endpoint: 'PJSIP/2001' }), 403, 'forbidden');
    await expectProblem(await api.call('POST', '/acd/agents/1001/login', A1001, { endpoint: 'IAX2/trunk-1' }), 403, 'forbidden');
    expect(await api.store.get('1001')).toBeNull();
    expect((await api.call('POST', '/acd/agents/1001/login', SUPERVISOR_TOKEN, { endpoint: 'PJSIP/2001', reason: 'lunch' })).body).toMatchObject({ to: 'not-ready', reason: 'lunch' });
    expect(await api.store.get('1001')).toMatchObject({ endpoint: 'PJSIP/2001', skills: { general: 5 } });
    expect((await api.call('GET', '/acd/agents/1001/sip-credentials', A1001)).body).toMatchObject({ authorizationUsername: '2001' });
    expect(((await api.call('GET', '/acd/roster/1001', A1001)).body as Entry).endpoint).toBe('PJSIP/1001');
    // The seat is taken while 1001 sits there.
    await expectProblem(await api.call('POST', '/acd/agents/1002/login', SUPERVISOR_TOKEN, { endpoint: 'PJSIP/2001' }), 409, 'acd:endpoint-in-use');
  });

  it('lets a supervisor log an agent in from the roster, or with a whole profile for a one-off session', async () => {
    const api = await startApi();
    await rostered(api, '1001');
    expect((await api.call('POST', '/acd/agents/1001/login', SUPERVISOR_TOKEN, { reason: 'lunch' })).body).toMatchObject({ agentId: '1001', to: 'not-ready' });
    expect(await api.store.get('1001')).toMatchObject({ endpoint: 'PJSIP/1001', skills: { general: 5 }, kind: 'regular' });
    await api.call('POST', '/acd/agents/1001/logout', SUPERVISOR_TOKEN);
    const oneOff = seat('1001', { endpoint: 'SIP/9001', skills: { leaders: 6 }, kind: 'guest' });
    expect((await api.call('POST', '/acd/agents/1001/login', ADMIN_TOKEN, oneOff)).status).toBe(200);
    expect(await api.store.get('1001')).toMatchObject({ endpoint: 'SIP/9001', skills: { leaders: 6 }, kind: 'guest' });
    // The one-off session leaves the roster as it was.
    expect(((await api.call('GET', '/acd/roster/1001', SUPERVISOR_TOKEN)).body as Entry).kind).toBe('regular');
  });

  it('takes an agent off the roster only once logged out (409 before), after which it cannot log in', async () => {
    const api = await startApi();
    await rostered(api, '1001');
    await api.call('POST', '/acd/agents/1001/login', A1001, {});
    await expectProblem(await api.call('DELETE', '/acd/roster/1001', SUPERVISOR_TOKEN), 409, 'acd:agent-logged-in');
    expect((await api.call('GET', '/acd/roster/1001', SUPERVISOR_TOKEN)).status).toBe(200);
    await api.call('POST', '/acd/agents/1001/logout', A1001);
    const removed = await api.call('DELETE', '/acd/roster/1001', SUPERVISOR_TOKEN);
    expect(removed.status).toBe(204);
    await expectProblem(await api.call('GET', '/acd/roster/1001', SUPERVISOR_TOKEN), 404, 'acd:not-on-roster');
    await expectProblem(await api.call('DELETE', '/acd/roster/1001', SUPERVISOR_TOKEN), 404, 'acd:not-on-roster');
    await expectProblem(await api.call('POST', '/acd/agents/1001/login', A1001, {}), 404, 'acd:not-on-roster');
    expect((await api.call('GET', '/acd/roster', SUPERVISOR_TOKEN)).body).toEqual({ agents: [] });
  });
});

describe('SIP credentials', () => {
  it('go to the agent itself: its endpoint, the derived password, the WebSocket and ICE servers, never cached', async () => {
    const api = await startApi();
    await rostered(api, '1001');
    await api.call('POST', '/acd/agents/1001/login', A1001, {});
    const res = await api.call('GET', '/acd/agents/1001/sip-credentials', A1001);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      uri: 'sip:1001@pbx.hotline.test',
      authorizationUsername: '1001',
      password: sipPassword('1001', SIP_SECRET),
      wsServer: SIP.wsServer,
      iceServers: SIP.iceServers,
    });
    expect(res.body.password).toHaveLength(24);
    expect(res.headers.get('cache-control')).toBe('no-store');
    // The audit line says who fetched them, never the password.
    await expect.poll(() => api.lines.some((l) => l.action === 'acd.agent.sip-credentials' && l.actor === '1001')).toBe(true);
    expect(JSON.stringify(api.lines)).not.toContain(String(res.body.password));
  });

  it('are refused to other agents, supervisors and admins (403), and to an agent not logged in (404)', async () => {
    const api = await startApi();
    await rostered(api, '1001');
    await api.call('POST', '/acd/agents/1001/login', A1001, {});
    await expectProblem(await api.call('GET', '/acd/agents/1001/sip-credentials', A1002), 403, 'forbidden');
    await expectProblem(await api.call('GET', '/acd/agents/1001/sip-credentials', SUPERVISOR_TOKEN), 403, 'forbidden');
    await expectProblem(await api.call('GET', '/acd/agents/1001/sip-credentials', person('li.na', 'supervisor')), 403, 'forbidden');
    await expectProblem(await api.call('GET', '/acd/agents/1001/sip-credentials', ADMIN_TOKEN), 403, 'forbidden');
    await expectProblem(await api.call('GET', '/acd/agents/1002/sip-credentials', A1002), 404, 'not-found');
    await api.call('POST', '/acd/agents/1001/logout', A1001);
    await expectProblem(await api.call('GET', '/acd/agents/1001/sip-credentials', A1001), 404, 'not-found');
  });
});

describe('queues over HTTP', () => {
  it('lists the configured queues to agents and supervisors', async () => {
    const api = await startApi();
    for (const who of [A1001, SUPERVISOR_TOKEN]) {
      const res = await api.call('GET', '/acd/queues', who);
      expect(res.status).toBe(200);
      expect((res.body.queues as Array<{ name: string }>).map((q) => q.name)).toEqual(['general', 'enterprise', 'leaders']);
      expect((res.body.queues as unknown[])[1]).toEqual({
        name: 'enterprise',
        skill: 'enterprise',
        minLevel: 1,
        kind: 'regular',
        ringTimeoutSeconds: 20,
        wrapUpSeconds: 0,
        serviceLevelSeconds: 15,
        longestWaitSeconds: 600,
      });
    }
  });

  it('shows supervisors the waiting calls in order, with wait and priority, the caller masked', async () => {
    const now = 1_764_000_100_000;
    const api = await startApi(redis, () => now);
    await api.calls.enqueue({ callId: 'c-old', queue: 'general', priority: 0, enqueuedAt: now - 90_000, caller: '13812345678' });
    await api.calls.enqueue({ callId: 'c-vip', queue: 'general', priority: 9, enqueuedAt: now - 5_000, caller: '02887654321' });
    await api.calls.enqueue({ callId: 'c-other', queue: 'enterprise', priority: 0, enqueuedAt: now - 1_000 });
    const res = await api.call('GET', '/acd/queues/general/waiting', SUPERVISOR_TOKEN);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      queue: 'general',
      calls: [
        { position: 1, callId: 'c-vip', skill: 'general', priority: 9, waitSeconds: 5, kind: 'inbound', caller: '028******21' },
        { position: 2, callId: 'c-old', skill: 'general', priority: 0, waitSeconds: 90, kind: 'inbound', caller: '138******78' },
      ],
    });
    expect((await api.call('GET', '/acd/queues/leaders/waiting', SUPERVISOR_TOKEN)).body).toEqual({ queue: 'leaders', calls: [] });
    await expectProblem(await api.call('GET', '/acd/queues/general/waiting', A1001), 403, 'forbidden');
    await expectProblem(await api.call('GET', '/acd/queues/nowhere/waiting', SUPERVISOR_TOKEN), 404, 'not-found');
    // A name every object has by inheritance is no configured queue either.
    await expectProblem(await api.call('GET', '/acd/queues/constructor/waiting', SUPERVISOR_TOKEN), 404, 'not-found');
    await expectProblem(await api.call('GET', '/acd/queues/Not_A_Queue/waiting', SUPERVISOR_TOKEN), 400, 'invalid-request');
  });
});

describe('the OpenAPI document', () => {
  it('has every ACD route, guarded with the bearer scheme and its error answers', async () => {
    const api = await startApi();
    const doc = (await (await fetch(`${api.base}/openapi.json`)).json()) as { paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).filter((r) => r.includes('/acd/'));
    expect(routes.sort()).toEqual(
      [
        'POST /acd/agents/{agentId}/login',
        'POST /acd/agents/{agentId}/logout',
        'POST /acd/agents/{agentId}/ready',
        'POST /acd/agents/{agentId}/pause',
        'POST /acd/agents/{agentId}/wrap-up/end',
        'POST /acd/agents/{agentId}/wrap-up/extend',
        'GET /acd/agents',
        'GET /acd/agents/{agentId}',
        'GET /acd/agents/{agentId}/sip-credentials',
        'PUT /acd/roster/{agentId}',
        'GET /acd/roster',
        'GET /acd/roster/{agentId}',
        'DELETE /acd/roster/{agentId}',
        'GET /acd/queues',
        'GET /acd/queues/{queue}/waiting',
        'GET /acd/not-ready-reasons',
      ].sort(),
    );
    const logout = doc.paths['/acd/agents/{agentId}/logout']!.post!;
    expect(logout.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(logout.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '429', '503']);
    const login = doc.paths['/acd/agents/{agentId}/login']!.post! as unknown as { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } };
    expect(Object.keys(login.requestBody.content['application/json']!.schema.properties).sort()).toEqual(['displayName', 'endpoint', 'kind', 'reason', 'skills']);
    const remove = doc.paths['/acd/roster/{agentId}']!.delete!;
    expect(remove.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(remove.responses)).toEqual(expect.arrayContaining(['404', '409']));
  });
});
