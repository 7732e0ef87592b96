/**
 * The `auth` section of the hotline config: how people sign in to the operator API.
 *
 *   identityProvider  the centre's IdP (OIDC): its tokens are verified with a PEM public key
 *                     or the keys at a JWKS URL; issuer and audience are checked; the person's
 *                     id and role come from claims, the role mapped to the service's roles
 *   users             for a centre without one: names, roles and scrypt password hashes;
 *                     `POST /auth/token` turns a name and password into a short-lived token
 *
 * Machines keep their static API_TOKENS (environment), which this section does not touch.
 */
import { z } from 'zod';
import { ROLES } from '../config/api-tokens.js';
import { HASH_FORMAT, parsePasswordHash } from './password-hash.js';
import { USER_TOKEN_ISSUER } from './user-tokens.js';

/** Algorithms an IdP signs with: asymmetric only, so a public key can never serve as an HMAC secret. */
export const IDP_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

/** A claim by name, or a dotted path into nested claims (Keycloak's `realm_access.roles`). */
const ClaimPath = z.string().regex(/^[A-Za-z0-9_:/-]+(\.[A-Za-z0-9_:/-]+)*$/, 'a claim name or a dotted path such as realm_access.roles');

const JwksSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    /** A fetch of the key set that takes longer fails (and the token waiting on it is 401). */
    timeoutMs: z.number().int().min(100).max(30_000).default(3000),
    /** Keys are fetched again after this long, and sooner when a token names an unknown kid… */
    maxAgeSeconds: z.number().int().min(10).default(600),
    /** …but not more often than this, so a flood of made-up kids cannot hammer the IdP. */
    cooldownSeconds: z.number().int().min(0).default(30),
  })
  .strict();

const IdentityProviderSchema = z
  .object({
    /** The `iss` every token must carry, exactly. */
    issuer: z.string().min(1),
    /** The `aud` (one of them) every token must carry: the operator API's client id at the IdP. */
    audience: z.string().min(1),
    /** The IdP's signing key, PEM (`-----BEGIN PUBLIC KEY-----`) … */
    publicKey: z.string().includes('-----BEGIN PUBLIC KEY-----', { message: 'a PEM public key (-----BEGIN PUBLIC KEY-----)' }).optional(),
    /** … or its JWKS endpoint (OIDC discovery's `jwks_uri`). */
    jwks: JwksSchema.optional(),
    algorithms: z.array(z.enum(IDP_ALGORITHMS)).min(1).default(['RS256', 'ES256', 'EdDSA']),
    claims: z
      .object({
        /** The person's id, what audit lines name (e.g. `preferred_username`, an employee number). */
        id: ClaimPath.default('sub'),
        /** Where the person's roles are: a string or an array of strings. */
        role: ClaimPath.default('roles'),
      })
      .strict()
      .prefault({}),
    /**
     * The IdP's role values that make each of the service's roles. A token with values for
     * several gets the widest (admin, then supervisor, then agent); with none, 403.
     */
    roles: z
      .object({
        admin: z.array(z.string().min(1)).default(['admin']),
        supervisor: z.array(z.string().min(1)).default(['supervisor']),
        agent: z.array(z.string().min(1)).default(['agent']),
      })
      .strict()
      .prefault({}),
    /** Clock skew tolerated on `exp` and `nbf`. */
    clockToleranceSeconds: z.number().int().min(0).max(300).default(30),
  })
  .strict()
  .refine((idp) => Boolean(idp.publicKey) !== Boolean(idp.jwks), { message: 'give either publicKey or jwks, not both and not neither', path: ['publicKey'] });

const PasswordHash = z.string().superRefine((text, ctx) => {
  const parsed = parsePasswordHash(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: `${parsed} (${HASH_FORMAT}; make one with scripts/hash-password.mjs)` });
});

const UserSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.@-]{2,64}$/, 'letters, digits, _ . @ - (2 to 64)'),
    role: z.enum(ROLES),
    passwordHash: PasswordHash,
  })
  .strict();

export const AuthConfigSchema = z
  .object({
    identityProvider: IdentityProviderSchema.optional(),
    users: z.array(UserSchema).default([]),
    /** How long a token from `POST /auth/token` lasts: a shift. */
    userTokenLifetimeMinutes: z.number().int().min(5).max(24 * 60).default(8 * 60),
  })
  .strict()
  .superRefine((auth, ctx) => {
    if (auth.identityProvider?.issuer === USER_TOKEN_ISSUER) {
      ctx.addIssue({ code: 'custom', path: ['identityProvider', 'issuer'], message: `${USER_TOKEN_ISSUER} is the issuer of the service's own tokens` });
    }
    const seen = new Set<string>();
    auth.users.forEach((user, i) => {
      if (seen.has(user.name)) ctx.addIssue({ code: 'custom', path: ['users', i, 'name'], message: `user ${user.name} is listed twice` });
      seen.add(user.name);
    });
  });

export type AuthConfig = z.infer<typeof AuthConfigSchema>;
export type IdentityProviderConfig = z.infer<typeof IdentityProviderSchema>;
export type UserConfig = z.infer<typeof UserSchema>;

/** The environment this section needs: users' tokens are signed with AUTH_TOKEN_SECRET. */
export function authEnvFaults(auth: AuthConfig | undefined, userTokenSecret: string | undefined): Array<{ path: string; reason: string }> {
  if (!auth?.users.length || userTokenSecret) return [];
  return [{ path: 'env.AUTH_TOKEN_SECRET', reason: 'required when the hotline config lists auth.users: it signs their tokens (at least 32 characters)' }];
}
