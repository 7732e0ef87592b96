/**
 * People signed in at the centre's identity provider: its JWTs on the operator routes, over
 * real HTTP, with keys made here and a JWKS served by a real HTTP server. Valid, expired,
 * wrong issuer or audience, wrong signature, unknown kid then rotated keys, a hung or absent
 * IdP (401, never 503), a PEM key instead of a JWKS, and the role mapping.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AuthConfigSchema, createUserDirectory } from '../../src/auth/index.js';
import { JwtSignIn } from '../../src/http/jwt-sign-in.js';
import { useTestRedis } from '../support/test-redis.js';
import { AUDIENCE, ISSUER, claims, makeKey, signJwt, startJwksServer, type JwksServer, type TestKey } from './support/idp.js';
import { SUPERVISOR_TOKEN, startOperatorApp, type OperatorApp } from './support/operator-app.js';

const redis = useTestRedis();
let api: OperatorApp | undefined;
let idp: JwksServer | undefined;
afterEach(async () => {
  await api?.app.close();
  await idp?.close();
  api = idp = undefined;
});

const keyA = makeKey('key-a');
const keyB = makeKey('key-b');

/** Keycloak's shape: the person in preferred_username, roles in realm_access.roles. */
function idpSection(source: { jwksUrl?: string; publicKey?: string }, jwks: Record<string, unknown> = {}) {
  return AuthConfigSchema.parse({
    identityProvider: {
      issuer: ISSUER,
      audience: AUDIENCE,
      ...(source.jwksUrl ? { jwks: { url: source.jwksUrl, timeoutMs: 300, cooldownSeconds: 0, ...jwks } } : { publicKey: source.publicKey }),
      claims: { id: 'preferred_username', role: 'realm_access.roles' },
      roles: { admin: ['hotline-admin'], supervisor: ['hotline-supervisor', 'team-lead'], agent: ['hotline-agent'] },
    },
  });
}

async function startWith(config: ReturnType<typeof idpSection>): Promise<(token: string) => Promise<Response>> {
  api = await startOperatorApp(redis, {
    signIn: (log) => {
      const users = createUserDirectory([]);
      return { users, signIn: new JwtSignIn({ config, users, log }) };
    },
  });
  const base = await api.app.listen({ port: 0, host: '127.0.0.1' });
  return (token) => fetch(`${base}/priority-callers`, { headers: { authorization: `Bearer ${token}` } });
}

const person = (name: string, roles: unknown, extra: Record<string, unknown> = {}) =>
  claims({ sub: `uuid-of-${name}`, preferred_username: name, realm_access: { roles }, ...extra });

async function expectRefused(res: Response, status: number, errorId: string, message?: RegExp): Promise<void> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error_id: string; message: string };
  expect(body.error_id).toBe(errorId);
  if (message) expect(body.message).toMatch(message);
}

describe('identity provider tokens (JWKS)', () => {
  it('lets a valid token in, its person and role in the audit line with via jwt', async () => {
    idp = await startJwksServer([keyA]);
    const get = await startWith(idpSection({ jwksUrl: idp.url }));
    const res = await get(signJwt(keyA, person('li.na', ['offline_access', 'hotline-supervisor'])));
    expect(res.status).toBe(200);
    await expect.poll(() => api!.lines.filter((l) => l.audit === true && l.msg === 'operator API access')).toEqual([
      expect.objectContaining({ actor: 'li.na', role: 'supervisor', via: 'jwt', action: 'priority-caller.list', status: 200 }),
    ]);
    // The static tokens for machines still work beside it.
    expect((await fetch(res.url, { headers: { authorization: `Bearer ${SUPERVISOR_TOKEN}` } })).status).toBe(200);
  });

  it('refuses expired, not-yet-valid, wrong-issuer, wrong-audience and wrongly signed tokens with 401', async () => {
    idp = await startJwksServer([keyA]);
    const get = await startWith(idpSection({ jwksUrl: idp.url }));
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(await get(signJwt(keyA, person('li.na', 'hotline-supervisor', { iat: now - 7200, exp: now - 3600 }))), 401, 'token-expired');
    await expectRefused(await get(signJwt(keyA, person('li.na', 'hotline-supervisor', { nbf: now + 3600 }))), 401, 'unauthorized', /not valid/);
    await expectRefused(await get(signJwt(keyA, person('li.na', 'hotline-supervisor', { aud: 'another-app' }))), 401, 'unauthorized', /aud/);
    // Another issuer is not even tried against this IdP's keys.
    await expectRefused(await get(signJwt(keyA, person('li.na', 'hotline-supervisor', { iss: 'https://evil.example' }))), 401, 'unauthorized', /issuer/);
    // Signed by key B while naming key A; and key A's signature on other claims.
    await expectRefused(await get(signJwt({ ...keyB, kid: 'key-a' }, person('li.na', 'hotline-supervisor'))), 401, 'unauthorized');
    const genuine = signJwt(keyA, person('li.na', 'hotline-agent'));
    const [header, , signature] = genuine.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify(person('li.na', 'hotline-admin'))).toString('base64url')}.${signature}`;
    await expectRefused(await get(forged), 401, 'unauthorized');
    // HS256 with the public key as the secret (algorithm confusion) and an unsigned token.
    const pem = keyA.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const hs = (input: string) => (globalThis as { crypto: Crypto }).crypto.subtle.importKey('raw', new TextEncoder().encode(pem), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']).then((k) => crypto.subtle.sign('HMAC', k, new TextEncoder().encode(input)));
    const hsInput = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'key-a' })).toString('base64url')}.${Buffer.from(JSON.stringify(person('li.na', 'hotline-admin'))).toString('base64url')}`;
    await expectRefused(await get(`${hsInput}.${Buffer.from(await hs(hsInput)).toString('base64url')}`), 401, 'unauthorized');
    const noneInput = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(person('li.na', 'hotline-admin'))).toString('base64url')}.`;
    await expectRefused(await get(noneInput), 401, 'unauthorized');
    expect(api!.lines.filter((l) => l.msg === 'operator API access')).toEqual([]);
  });

  it('maps the IdP roles: the widest wins, an agent gets 403 here, no hotline role is 403, no person is 401', async () => {
    idp = await startJwksServer([keyA]);
    const get = await startWith(idpSection({ jwksUrl: idp.url }));
    expect((await get(signJwt(keyA, person('wang.fang', ['hotline-agent', 'hotline-admin'])))).status).toBe(200);
    expect((await get(signJwt(keyA, person('zhao.lei', 'team-lead')))).status).toBe(200);
    await expectRefused(await get(signJwt(keyA, person('chen.jie', ['hotline-agent']))), 403, 'forbidden', /role agent may not do this/);
    await expectRefused(await get(signJwt(keyA, person('sun.li', ['offline_access']))), 403, 'forbidden', /names no role/);
    await expectRefused(await get(signJwt(keyA, claims({ realm_access: { roles: ['hotline-admin'] } }))), 401, 'unauthorized', /preferred_username/);
    const audit = api!.lines.filter((l) => l.msg === 'operator API access').map((l) => [l.actor, l.role, l.via]);
    expect(audit).toEqual([
      ['wang.fang', 'admin', 'jwt'],
      ['zhao.lei', 'supervisor', 'jwt'],
    ]);
    expect(api!.lines).toContainEqual(expect.objectContaining({ msg: 'operator API refused', actor: 'chen.jie', role: 'agent', via: 'jwt', outcome: 'forbidden' }));
    expect(api!.lines).toContainEqual(expect.objectContaining({ msg: 'operator API refused', actor: 'sun.li', outcome: 'no-role' }));
  });

  it('fetches again for an unknown kid: rotated keys are taken, retired ones refused', async () => {
    idp = await startJwksServer([keyA]);
    const get = await startWith(idpSection({ jwksUrl: idp.url }));
    expect((await get(signJwt(keyA, person('li.na', 'hotline-supervisor')))).status).toBe(200);
    expect(idp.fetches).toBe(1);
    // Key B is not published yet: a fetch, and still no key.
    await expectRefused(await get(signJwt(keyB, person('li.na', 'hotline-supervisor'))), 401, 'unauthorized', /no key key-b/);
    expect(idp.fetches).toBe(2);
    idp.publish([keyB]);
    expect((await get(signJwt(keyB, person('li.na', 'hotline-supervisor')))).status).toBe(200);
    expect(idp.fetches).toBe(3);
    expect((await get(signJwt(keyB, person('li.na', 'hotline-supervisor')))).status).toBe(200);
    expect(idp.fetches).toBe(3);
    await expectRefused(await get(signJwt(keyA, person('li.na', 'hotline-supervisor'))), 401, 'unauthorized', /no key key-a/);
  });

  it('fetches at most once per cooldown, whatever kids the tokens make up', async () => {
    idp = await startJwksServer([keyA]);
    const get = await startWith(idpSection({ jwksUrl: idp.url }, { cooldownSeconds: 60 }));
    expect((await get(signJwt(keyA, person('li.na', 'hotline-supervisor')))).status).toBe(200);
    for (let i = 0; i < 5; i += 1) expect((await get(signJwt({ ...keyA, kid: `made-up-${i}` }, person('li.na', 'hotline-supervisor')))).status).toBe(401);
    expect(idp.fetches).toBe(1);
  });

  it('refuses with 401, not 503, while the IdP is hung, and lets people in once it answers again', async () => {
    idp = await startJwksServer([keyA]);
    idp.hang(true);
    const get = await startWith(idpSection({ jwksUrl: idp.url }));
    const token = signJwt(keyA, person('li.na', 'hotline-supervisor'));
    await expectRefused(await get(token), 401, 'unauthorized', /could not be fetched/);
    expect(api!.lines).toContainEqual(expect.objectContaining({ msg: "identity provider's keys not fetched", keysKept: 0 }));
    idp.hang(false);
    expect((await get(token)).status).toBe(200);
  });

  it('refuses with 401 while the IdP is gone, and keeps the keys it has when a later fetch fails', async () => {
    idp = await startJwksServer([keyA]);
    const gone = idp.url;
    await idp.close();
    const get = await startWith(idpSection({ jwksUrl: gone }));
    const token = signJwt(keyA, person('li.na', 'hotline-supervisor'));
    await expectRefused(await get(token), 401, 'unauthorized', /could not be fetched/);
    await api!.app.close();

    idp = await startJwksServer([keyA]);
    const again = await startWith(idpSection({ jwksUrl: idp.url }, { maxAgeSeconds: 10 }));
    expect((await again(token)).status).toBe(200);
    idp.hang(true);
    // An unknown kid makes a fetch that fails; the known key still serves.
    await expectRefused(await again(signJwt(keyB, person('li.na', 'hotline-supervisor'))), 401, 'unauthorized', /no key key-b/);
    expect((await again(token)).status).toBe(200);
  });
});

describe('identity provider tokens (PEM key)', () => {
  it('verifies with the configured public key, EdDSA or ES256, and refuses another key', async () => {
    for (const alg of ['EdDSA', 'ES256'] as const) {
      const key: TestKey = makeKey('any', alg);
      const config = AuthConfigSchema.parse({
        identityProvider: {
          issuer: ISSUER,
          audience: AUDIENCE,
          publicKey: key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          algorithms: [alg],
          claims: { id: 'preferred_username', role: 'realm_access.roles' },
          roles: { supervisor: ['hotline-supervisor'] },
        },
      });
      const get = await startWith(config);
      expect((await get(signJwt(key, person('li.na', 'hotline-supervisor')))).status, alg).toBe(200);
      await expectRefused(await get(signJwt(makeKey('any', alg), person('li.na', 'hotline-supervisor'))), 401, 'unauthorized');
      await api!.app.close();
      api = undefined;
    }
  });
});
