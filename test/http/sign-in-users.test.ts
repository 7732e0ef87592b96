/**
 * The built-in users of a centre without an identity provider: POST /auth/token over real
 * HTTP turns a name and password (scrypt hashes in config) into a short-lived token that
 * opens the operator routes as that person; bad bodies 400, bad credentials 401 with one
 * answer for both kinds, rate-limited with the operator routes, one audit line per attempt.
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthConfigSchema, createUserDirectory, hashPassword, type AuthConfig } from '../../src/auth/index.js';
import { JwtSignIn } from '../../src/http/jwt-sign-in.js';
import type { OperatorRateLimit } from '../../src/http/operator-rate-limit.js';
import { useTestRedis } from '../support/test-redis.js';
import { startOperatorApp, type OperatorApp } from './support/operator-app.js';

const redis = useTestRedis();
let api: OperatorApp | undefined;
afterEach(async () => {
  await api?.app.close();
  api = undefined;
});

const SECRET = 'a-test-secret-of-at-least-32-characters-0001';
const PASSWORDS = { 'li.na': 'correct horse battery', 'chen.jie': 'agent-password-42' };
let config: AuthConfig;

beforeAll(async () => {
  // The cheapest cost the config accepts, so the tests stay quick.
  const fast = { N: 2 ** 14, r: 8, p: 1 };
  config = AuthConfigSchema.parse({
    users: [
      { name: 'li.na', role: 'supervisor', passwordHash: await hashPassword(PASSWORDS['li.na'], fast) },
      { name: 'chen.jie', role: 'agent', passwordHash: await hashPassword(PASSWORDS['chen.jie'], fast) },
    ],
    userTokenLifetimeMinutes: 30,
  });
});

interface Client {
  base: string;
  signIn(body: unknown, raw?: string): Promise<Response>;
  list(token: string): Promise<Response>;
}

async function start(options: { users?: AuthConfig; secret?: string; rateLimit?: OperatorRateLimit } = {}): Promise<Client> {
  const section = options.users ?? config;
  api = await startOperatorApp(redis, {
    rateLimit: options.rateLimit,
    signIn: (log) => {
      const users = createUserDirectory(section.users);
      return { users, signIn: new JwtSignIn({ config: section, users, userTokenSecret: options.secret ?? SECRET, log }) };
    },
  });
  const base = await api.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    base,
    signIn: (body, raw) => fetch(`${base}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) }),
    list: (token) => fetch(`${base}/priority-callers`, { headers: { authorization: `Bearer ${token}` } }),
  };
}

/** An HS256 token made by hand, as someone holding (or guessing) a secret would. */
function handMade(secret: string, payload: Record<string, unknown>): string {
  const input = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

const now = () => Math.floor(Date.now() / 1000);
const own = { iss: 'hotline-operator-api', aud: 'hotline-operator-api' };

describe('POST /auth/token', () => {
  it('issues a token for the shift that opens the routes as that user, audited with via user', async () => {
    const client = await start();
    const res = await client.signIn({ username: 'li.na', password: PASSWORDS['li.na'] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; token_type: string; expires_in: number; role: string };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 30 * 60, role: 'supervisor' });
    const payload = JSON.parse(Buffer.from(body.token.split('.')[1]!, 'base64url').toString()) as Record<string, number | string>;
    expect(payload).toMatchObject({ sub: 'li.na', role: 'supervisor', ...own });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(30 * 60);

    expect((await client.list(body.token)).status).toBe(200);
    await expect.poll(() => api!.lines.filter((l) => l.audit === true).map(({ msg, actor, user, role, via, outcome }) => ({ msg, actor, user, role, via, outcome }))).toEqual([
      { msg: 'sign-in', actor: undefined, user: 'li.na', role: undefined, via: 'user', outcome: 'signed-in' },
      { msg: 'operator API access', actor: 'li.na', user: undefined, role: 'supervisor', via: 'user', outcome: undefined },
    ]);
    expect(JSON.stringify(api!.lines)).not.toContain(PASSWORDS['li.na']);
  });

  it('401 bad-credentials, the same for a wrong password and an unknown user, each attempt audited', async () => {
    const client = await start();
    const wrong = await client.signIn({ username: 'li.na', password: 'not her password' });
    const unknown = await client.signIn({ username: 'nobody', password: PASSWORDS['li.na'] });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    const [a, b] = [await wrong.json(), await unknown.json()];
    expect(a).toEqual({ error_id: 'bad-credentials', message: 'unknown user or wrong password' });
    expect(b).toEqual(a);
    const refused = api!.lines.filter((l) => l.msg === 'sign-in refused').map((l) => [l.user, l.outcome]);
    expect(refused).toEqual([
      ['li.na', 'bad-credentials'],
      ['nobody', 'bad-credentials'],
    ]);
    expect(JSON.stringify(api!.lines)).not.toContain('not her password');
  });

  it('400 for a bad body: missing or extra fields, wrong types, not JSON', async () => {
    const client = await start();
    for (const body of [{}, { username: 'li.na' }, { username: 'li.na', password: '' }, { username: 'li.na', password: 42 }, { username: 'li.na', password: 'x', role: 'admin' }]) {
      const res = await client.signIn(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ error_id: 'invalid-request' });
    }
    const garbled = await client.signIn(undefined, '{"username": "li.na", ');
    expect(garbled.status).toBe(400);
    expect(api!.lines.filter((l) => l.audit === true)).toEqual([]);
  });

  it('shares the operator routes’ per-address budget: 429 once it is spent', async () => {
    const client = await start({ rateLimit: { max: 3, timeWindowMs: 60_000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await client.signIn({ username: 'li.na', password: 'guess' })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('user tokens on the operator routes', () => {
  it('403 for an agent on a supervisor route; 401 for expired, forged, foreign-secret and tampered tokens', async () => {
    const client = await start();
    const agent = (await (await client.signIn({ username: 'chen.jie', password: PASSWORDS['chen.jie'] })).json()) as { token: string };
    const res = await client.list(agent.token);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error_id: 'forbidden' });

    const expired = await client.list(handMade(SECRET, { sub: 'li.na', role: 'supervisor', ...own, iat: now() - 7200, exp: now() - 60 }));
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error_id: 'token-expired' });
    for (const token of [
      handMade('another-secret-of-at-least-32-characters-0', { sub: 'li.na', role: 'supervisor', ...own, exp: now() + 600 }),
      handMade(SECRET, { sub: 'li.na', role: 'supervisor', iss: 'hotline-operator-api', aud: 'something-else', exp: now() + 600 }),
      handMade(SECRET, { sub: 'li.na', role: 'supervisor', ...own }), // no exp: never valid
    ]) {
      const refused = await client.list(token);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error_id: 'unauthorized' });
    }
    // The agent's token with its payload swapped for a supervisor's.
    const [header, , signature] = agent.token.split('.');
    const swapped = Buffer.from(JSON.stringify({ sub: 'li.na', role: 'supervisor', ...own, exp: now() + 600 })).toString('base64url');
    expect((await client.list(`${header}.${swapped}.${signature}`)).status).toBe(401);
  });

  it('takes the role from the user list at each request: a user no longer listed is refused', async () => {
    const client = await start();
    const { token } = (await (await client.signIn({ username: 'li.na', password: PASSWORDS['li.na'] })).json()) as { token: string };
    await api!.app.close();
    const withoutHer = AuthConfigSchema.parse({ users: config.users.filter((u) => u.name !== 'li.na') });
    const restarted = await start({ users: withoutHer });
    const res = await restarted.list(token);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error_id: 'unauthorized', message: 'this user is no longer on the list; sign in again' });
  });
});
