/**
 * The auth section of the hotline config, refused by path when wrong; the environment it
 * needs; and how an identity provider's claims become a person with a role of this service.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AuthConfigSchema, authEnvFaults, personFromClaims } from '../../src/auth/index.js';

const HASH = `scrypt$16384$8$1$${Buffer.alloc(16, 1).toString('base64')}$${Buffer.alloc(32, 2).toString('base64')}`;
const PEM = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n';

const faults = (section: unknown) => {
  const result = AuthConfigSchema.safeParse(section);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('auth config', () => {
  it('takes users and an identity provider with defaults for the shift and the claims', () => {
    const auth = AuthConfigSchema.parse({
      users: [{ name: 'li.na', role: 'supervisor', passwordHash: HASH }],
      identityProvider: { issuer: 'https://sso.example/realms/hotline', audience: 'hotline-api', jwks: { url: 'https://sso.example/certs' } },
    });
    expect(auth.userTokenLifetimeMinutes).toBe(480);
    expect(auth.identityProvider).toMatchObject({
      claims: { id: 'sub', role: 'roles' },
      roles: { admin: ['admin'], supervisor: ['supervisor'], agent: ['agent'] },
      jwks: { timeoutMs: 3000, maxAgeSeconds: 600, cooldownSeconds: 30 },
      algorithms: ['RS256', 'ES256', 'EdDSA'],
    });
  });

  it('names each fault by path', () => {
    expect(faults({ users: [{ name: 'li.na', role: 'supervisor', passwordHash: 'plain-text-password' }] })).toEqual([
      'users.0.passwordHash: not scrypt$N$r$p$salt$hash (scrypt$N$r$p$salt$hash; make one with scripts/hash-password.mjs)',
    ]);
    expect(faults({ users: [{ name: 'li.na', role: 'janitor', passwordHash: HASH }] })[0]).toMatch(/^users\.0\.role: /);
    expect(faults({ users: [{ name: 'li.na', role: 'agent', passwordHash: HASH }, { name: 'li.na', role: 'admin', passwordHash: HASH }] })).toEqual([
      'users.1.name: user li.na is listed twice',
    ]);
    const idp = { issuer: 'https://sso.example', audience: 'hotline-api' };
    expect(faults({ identityProvider: idp })).toEqual(['identityProvider.publicKey: give either publicKey or jwks, not both and not neither']);
    expect(faults({ identityProvider: { ...idp, publicKey: PEM, jwks: { url: 'https://sso.example/certs' } } })).toEqual([
      'identityProvider.publicKey: give either publicKey or jwks, not both and not neither',
    ]);
    expect(faults({ identityProvider: { ...idp, publicKey: 'secret' } })[0]).toMatch(/^identityProvider\.publicKey: a PEM public key/);
    expect(faults({ identityProvider: { ...idp, publicKey: PEM, algorithms: ['HS256'] } })[0]).toMatch(/^identityProvider\.algorithms\.0: /);
    expect(faults({ identityProvider: { ...idp, issuer: 'hotline-operator-api', publicKey: PEM } })).toEqual([
      "identityProvider.issuer: hotline-operator-api is the issuer of the service's own tokens",
    ]);
    expect(faults({ userTokenLifetimeMinutes: 2 })[0]).toMatch(/^userTokenLifetimeMinutes: /);
  });

  it('the example config’s commented section is valid once uncommented (with a real hash)', () => {
    const text = readFileSync('config/hotline.example.yaml', 'utf8');
    const section = text.slice(text.indexOf('# auth:')).split('\n').map((line) => line.replace(/^# ?/, '')).join('\n');
    const auth = AuthConfigSchema.parse(parse(section.replace('scrypt$32768$8$1$<salt>$<hash>', HASH)).auth);
    expect(auth.identityProvider?.claims).toEqual({ id: 'preferred_username', role: 'realm_access.roles' });
    expect(auth.users.map((u) => u.name)).toEqual(['li.na']);
  });

  it('needs AUTH_TOKEN_SECRET only when there are users', () => {
    const withUsers = AuthConfigSchema.parse({ users: [{ name: 'li.na', role: 'supervisor', passwordHash: HASH }] });
    expect(authEnvFaults(withUsers, undefined)).toEqual([{ path: 'env.AUTH_TOKEN_SECRET', reason: expect.stringContaining('auth.users') }]);
    expect(authEnvFaults(withUsers, 'x'.repeat(32))).toEqual([]);
    expect(authEnvFaults(AuthConfigSchema.parse({}), undefined)).toEqual([]);
    expect(authEnvFaults(undefined, undefined)).toEqual([]);
  });
});

describe('claims to a person', () => {
  const idp = {
    claims: { id: 'preferred_username', role: 'realm_access.roles' },
    roles: { admin: ['hotline-admin'], supervisor: ['hotline-supervisor', 'team-lead'], agent: ['hotline-agent'] },
  };

  it('reads the id and the roles at dotted paths, a string or an array, the widest role winning', () => {
    expect(personFromClaims({ preferred_username: 'li.na', realm_access: { roles: ['offline_access', 'hotline-agent', 'team-lead'] } }, idp)).toEqual({
      ok: true,
      person: { name: 'li.na', role: 'supervisor' },
    });
    expect(personFromClaims({ preferred_username: 'li.na', realm_access: { roles: 'hotline-agent' } }, idp)).toEqual({ ok: true, person: { name: 'li.na', role: 'agent' } });
    expect(personFromClaims({ preferred_username: 'wang', realm_access: { roles: ['hotline-agent', 'hotline-admin'] } }, idp)).toMatchObject({ person: { role: 'admin' } });
  });

  it('says why there is no person: no id, or no role of this service', () => {
    expect(personFromClaims({ realm_access: { roles: ['hotline-admin'] } }, idp)).toMatchObject({ ok: false, kind: 'no-id' });
    expect(personFromClaims({ preferred_username: 42, realm_access: { roles: ['hotline-admin'] } }, idp)).toMatchObject({ ok: false, kind: 'no-id' });
    expect(personFromClaims({ preferred_username: 'sun', realm_access: { roles: ['admin'] } }, idp)).toMatchObject({ ok: false, kind: 'no-role', name: 'sun' });
    expect(personFromClaims({ preferred_username: 'sun', realm_access: ['hotline-admin'] }, idp)).toMatchObject({ ok: false, kind: 'no-role' });
    expect(personFromClaims({ preferred_username: 'sun', roles: ['hotline-admin'] }, idp)).toMatchObject({ ok: false, kind: 'no-role' });
  });
});
