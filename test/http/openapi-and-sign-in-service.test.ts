/**
 * The whole service (the example config: IVR, ticket bridge, and an auth section with a
 * user): GET /openapi.json documents every operator route it has registered — found from
 * the server's own route table and a tokenless probe, not from the document — with the
 * bearer scheme and its errors, and POST /auth/token; a user signs in and is audited; and
 * a config with users but no AUTH_TOKEN_SECRET refuses to start, naming the variable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadHotlineConfig } from '../../src/app/load-config.js';
import { startHotlineService } from '../../src/app/service.js';
import type { AriPort } from '../../src/ari/index.js';
import { AuthConfigSchema, hashPassword } from '../../src/auth/index.js';
import { ConfigError } from '../../src/config/config-error.js';
import { SECRETS } from '../crm-bridge/harness.js';
import { startHarness, testLog, type Harness } from '../support/service-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SECRET = 'service-test-secret-of-at-least-32-characters';
const MACHINE = { name: 'nightly-report', role: 'admin' as const, token: 'nightly-report-token-0001' };

async function exampleWithUser() {
  const config = await loadHotlineConfig('config/hotline.example.yaml');
  config.auth = AuthConfigSchema.parse({ users: [{ name: 'li.na', role: 'supervisor', passwordHash: await hashPassword('correct horse battery', { N: 2 ** 14 }) }] });
  return config;
}

/** Every method and path the server has, from its own route table (a tree: children indented by four). */
function registeredRoutes(tree: string): Array<{ method: string; path: string }> {
  const routes: Array<{ method: string; path: string }> = [];
  const prefixes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^(.*?)[├└]── (\/\S*)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    prefixes.length = depth;
    const path = `${prefixes.join('')}${match[2]}`;
    prefixes.push(match[2]!);
    for (const method of match[3]?.split(', ') ?? []) if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, path });
  }
  return routes;
}

/** `/priority-callers/:number` → a path that passes the guard's turn (it runs before params are checked). */
const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, '13812345678');
const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

describe('the operator API of the whole service', () => {
  it('is documented at /openapi.json: every guarded route with the bearer scheme and its errors, and /auth/token', async () => {
    h = await startHarness({ config: await exampleWithUser(), crmSecrets: SECRETS, apiTokens: [MACHINE], authTokenSecret: SECRET });
    const base = h.service.url;
    const routes = registeredRoutes(h.service.http.printRoutes({ commonPrefix: false }));
    const guarded: Array<{ method: string; path: string }> = [];
    for (const route of routes) {
      const res = await fetch(`${base}${concrete(route.path)}`, { method: route.method });
      const body = (await res.json().catch(() => ({}))) as { error_id?: string };
      if (res.status === 401 && body.error_id === 'unauthorized') guarded.push(route);
    }
    // The IVR's and the ticket bridge's operator routes are there to be found.
    expect(guarded.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['PUT /priority-callers/:number', 'DELETE /caller-restrictions/:number', 'POST /crm-bridge/dead-letters/replay', 'GET /crm-bridge/stats']),
    );

    const res = await fetch(`${base}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown; responses: Record<string, { description: string }> }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    // OpenAPI has no WebSocket operations (@fastify/swagger leaves them out): the wallboard's
    // live feed and the agent's own are documented in the README; everything else must be in the document.
    const WEBSOCKETS = ['GET /acd/live', 'GET /acd/agents/:agentId/live'];
    expect(guarded.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(WEBSOCKETS));
    guarded.splice(0, guarded.length, ...guarded.filter((r) => !WEBSOCKETS.includes(`${r.method} ${r.path}`)));
    for (const route of guarded) {
      const operation = doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation!.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(operation!.responses)).toEqual(expect.arrayContaining(['401', '403', '429', '503']));
    }
    // … and nothing else claims the bearer scheme: the document and the server agree both ways.
    const secured = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).filter(([, op]) => op.security).map(([m]) => `${m.toUpperCase()} ${path}`));
    expect(secured.sort()).toEqual(guarded.map((r) => `${r.method} ${openApiPath(r.path)}`).sort());
    expect(guarded.length).toBeGreaterThanOrEqual(11);
    expect(doc.paths['/priority-callers/{number}']!.delete!.responses['409']!.description).toContain('conflict');
    expect(doc.paths['/caller-restrictions/{number}']!.put!.responses['400']!.description).toContain('invalid-request');
    const token = doc.paths['/auth/token']!.post!;
    expect(token.security).toBeUndefined();
    expect(Object.keys(token.responses).sort()).toEqual(['200', '400', '401', '429']);
    expect(token.responses['401']!.description).toContain('bad-credentials');
    expect(doc.paths['/openapi.json']).toBeUndefined();
  });

  it('signs a user in through the service and serves the machine token beside it', async () => {
    h = await startHarness({ config: await exampleWithUser(), crmSecrets: SECRETS, apiTokens: [MACHINE], authTokenSecret: SECRET });
    const base = h.service.url;
    const signIn = await fetch(`${base}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'li.na', password: 'correct horse battery' }) });
    expect(signIn.status).toBe(200);
    const { token } = (await signIn.json()) as { token: string };
    expect((await fetch(`${base}/priority-callers`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${base}/crm-bridge/stats`, { headers: { authorization: `Bearer ${MACHINE.token}` } })).status).toBe(200);
    expect((await fetch(`${base}/priority-callers`, { headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln' } })).status).toBe(401);
  });

  it('refuses to start with users but no AUTH_TOKEN_SECRET, naming the variable, before touching Redis or Asterisk', async () => {
    const untouchable = new Proxy({}, { get: () => { throw new Error('Asterisk touched'); } }) as AriPort;
    const start = startHotlineService({
      env: { REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: 'never:', HTTP_HOST: '127.0.0.1', HTTP_PORT: 0 },
      config: await exampleWithUser(),
      ari: untouchable,
      log: testLog,
      crmSecrets: SECRETS,
    });
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toThrow('env.AUTH_TOKEN_SECRET: required when the hotline config lists auth.users');
  });
});
