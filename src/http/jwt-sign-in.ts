/**
 * People's bearer tokens (JWTs), verified with @fastify/jwt in two namespaces:
 *   idp   the centre's identity provider: its PEM key or JWKS keys by kid, its issuer and
 *         audience, asymmetric algorithms only; the person and role from the configured claims
 *   user  the service's own tokens for the built-in users (POST /auth/token): HS256 with
 *         AUTH_TOKEN_SECRET, issuer and audience USER_TOKEN_ISSUER; the role is read from the
 *         user list at each request, so a user removed from the config is refused at once
 * Which namespace verifies a token is decided by its (unverified) `iss`; the signature, the
 * time claims and the audience are then checked by that namespace. Any token that does not
 * verify is 401 with the reason; a valid person without a role of this service is 403.
 */
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AuthError, JwksKeys, personFromClaims, USER_TOKEN_ISSUER, type AuthConfig, type IdentityProviderConfig, type UserDirectory } from '../auth/index.js';
import type { Role } from '../config/api-tokens.js';
import { HTTP_ERRORS, HttpProblem } from './errors.js';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    namespaces: 'idp' | 'user';
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    idpJwtVerify: fastifyJwt.JwtVerifyFunction;
    userJwtVerify: fastifyJwt.JwtVerifyFunction;
  }
}

export interface SignedInActor {
  name: string;
  role: Role;
  via: 'jwt' | 'user';
}

export interface JwtSignInOptions {
  config: AuthConfig;
  /** The built-in users (empty when none are configured). */
  users: UserDirectory;
  /** AUTH_TOKEN_SECRET: required when there are users. */
  userTokenSecret?: string;
  log: Logger;
}

type Claims = Record<string, unknown>;

/** `a.b.c`: three base64url parts, the shape of a JWS compact serialisation. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export class JwtSignIn {
  private readonly idp?: IdentityProviderConfig;
  private readonly jwks?: JwksKeys;

  constructor(private readonly options: JwtSignInOptions) {
    this.idp = options.config.identityProvider;
    if (this.idp?.jwks) this.jwks = new JwksKeys(this.idp.jwks, options.log);
    if (options.users.size > 0 && !options.userTokenSecret) throw new Error('AUTH_TOKEN_SECRET is required when the config lists users');
  }

  get issuesUserTokens(): boolean {
    return this.options.users.size > 0;
  }

  /** Registers the namespaces on the server's root scope (before the routes). */
  async install(app: FastifyInstance): Promise<void> {
    // fast-jwt's messages name the failed check (issuer, audience …); keep them for the 401.
    const messages = { authorizationTokenInvalid: (err: Error) => `the token is not valid: ${err.message}` };
    const idp = this.idp;
    if (idp) {
      const jwks = this.jwks;
      const publicKey = jwks ? async (_request: FastifyRequest, token: { header: { kid?: string } }) => jwks.keyFor(token.header.kid) : idp.publicKey!;
      await app.register(fastifyJwt, {
        namespace: 'idp',
        secret: { public: publicKey as never },
        decode: { complete: true },
        verify: {
          allowedIss: idp.issuer,
          allowedAud: idp.audience,
          algorithms: [...idp.algorithms],
          clockTolerance: idp.clockToleranceSeconds * 1000,
          requiredClaims: ['exp', 'iss', 'aud'],
        },
        messages,
      });
    }
    if (this.issuesUserTokens) {
      await app.register(fastifyJwt, {
        namespace: 'user',
        secret: this.options.userTokenSecret!,
        sign: { algorithm: 'HS256', iss: USER_TOKEN_ISSUER, aud: USER_TOKEN_ISSUER, expiresIn: `${this.options.config.userTokenLifetimeMinutes}m` },
        verify: { allowedIss: USER_TOKEN_ISSUER, allowedAud: USER_TOKEN_ISSUER, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] },
        messages,
      });
    }
  }

  /** A token for a built-in user whose password was right; `expiresIn` in seconds. */
  issueUserToken(app: FastifyInstance, user: { name: string; role: Role }): { token: string; expiresIn: number } {
    const token = app.jwt.user.sign({ sub: user.name, role: user.role });
    return { token, expiresIn: this.options.config.userTokenLifetimeMinutes * 60 };
  }

  /**
   * The person a bearer JWT names, or undefined when `presented` is not a JWT at all (then
   * it was a wrong static token). Throws HttpProblem 401/403 for a JWT that does not pass.
   */
  async identify(request: FastifyRequest, presented: string): Promise<SignedInActor | undefined> {
    if (!JWT_SHAPE.test(presented)) return undefined;
    const issuer = unverifiedIssuer(presented);
    if (issuer === USER_TOKEN_ISSUER && this.issuesUserTokens) return this.identifyUser(request);
    if (this.idp && issuer === this.idp.issuer) return this.identifyIdpPerson(request);
    throw new HttpProblem(HTTP_ERRORS.unauthorized, `tokens of issuer ${JSON.stringify(issuer ?? null)} are not accepted here`);
  }

  private async identifyUser(request: FastifyRequest): Promise<SignedInActor> {
    const claims = await verified(() => request.userJwtVerify<Claims>());
    const name = String(claims.sub);
    const role = this.options.users.roleOf(name);
    if (!role) throw new HttpProblem(HTTP_ERRORS.unauthorized, 'this user is no longer on the list; sign in again');
    return { name, role, via: 'user' };
  }

  private async identifyIdpPerson(request: FastifyRequest): Promise<SignedInActor> {
    const claims = await verified(() => request.idpJwtVerify<Claims>());
    const verdict = personFromClaims(claims, this.idp!);
    if (verdict.ok) return { ...verdict.person, via: 'jwt' };
    if (verdict.kind === 'no-role') {
      this.options.log.warn({ audit: true, actor: verdict.name, via: 'jwt', outcome: 'no-role' }, 'operator API refused');
      throw new HttpProblem(HTTP_ERRORS.forbidden, verdict.reason);
    }
    throw new HttpProblem(HTTP_ERRORS.unauthorized, verdict.reason);
  }
}

/** The `iss` of a token not yet verified: only to choose who verifies it. */
function unverifiedIssuer(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a namespace's verification; its failures become 401 with the reason. */
async function verified(verify: () => Promise<Claims>): Promise<Claims> {
  try {
    return await verify();
  } catch (err) {
    if (err instanceof HttpProblem) throw err;
    const { code, message } = err as { code?: string; message?: string };
    if (code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED') throw new HttpProblem(HTTP_ERRORS.tokenExpired);
    if (err instanceof AuthError) throw new HttpProblem(HTTP_ERRORS.unauthorized, err.message);
    // The plugin words its own (`the token is not valid: …`); fast-jwt's others (not yet
    // active, malformed …) carry FAST_JWT_ codes and a message that says which check failed.
    if (message?.startsWith('the token')) throw new HttpProblem(HTTP_ERRORS.unauthorized, message);
    if (code?.startsWith('FAST_JWT_') && message) throw new HttpProblem(HTTP_ERRORS.unauthorized, `the token is not valid: ${message}`);
    throw new HttpProblem(HTTP_ERRORS.unauthorized, 'the token could not be verified');
  }
}
