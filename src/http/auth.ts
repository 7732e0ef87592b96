/**
 * Who may call the operator APIs. Caller numbers and the centre's controls are served only
 * to authorised roles (confidentiality rules), so every such route requires a bearer token:
 *   - a machine's static token from API_TOKENS                         (via: token)
 *   - a JWT from the centre's identity provider (jwt-sign-in.ts)       (via: jwt)
 *   - a token `POST /auth/token` issued to a built-in user             (via: user)
 * The token's person or machine, role and way in become the request's actor, which the audit
 * line of every access names (src/http/audit.ts) — never a name taken from the body.
 *
 *   API_TOKENS="ops-desk:supervisor:<token>,root:admin:<token>"
 *
 * `admin` may do everything; other roles only what a route names.
 *
 * The guard runs first thing (onRequest): the address's rate limit, then the token, before
 * a stranger's body is read or validated. Refusals without a valid token are counted, not
 * logged one by one (refusal-tally.ts); a known actor with the wrong role is logged by name.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Logger } from 'pino';
import { type ApiToken, type Role } from '../config/api-tokens.js';
import { HTTP_ERRORS, HttpProblem } from './errors.js';
import type { JwtSignIn } from './jwt-sign-in.js';
import { enforceOperatorRateLimit } from './operator-rate-limit.js';
import { RefusalTally } from './refusal-tally.js';

export type { ApiToken, Role };

export interface Actor {
  name: string;
  role: Role;
  /** How the actor signed in: a static API token, the identity provider's JWT, or a built-in user's token. */
  via: 'token' | 'jwt' | 'user';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the guard once the bearer token is known and its role allowed. */
    actor?: Actor;
  }
}

export interface ApiAuthOptions {
  /** How long refused requests are counted before one line says how many (default one minute). */
  refusalLogWindowMs?: number;
  /** People's JWTs (identity provider, built-in users); without it only API_TOKENS are accepted. */
  signIn?: JwtSignIn;
}

/** The actor of a request its route's guard let through. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error(`${request.method} ${request.routeOptions.url} ran without its guard`);
  return request.actor;
}

/** `Authorization: Bearer <token>`, the scheme in any case (RFC 9110 §11.1). */
const BEARER = /^bearer +(\S+) *$/i;

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

export class ApiAuth {
  private readonly byDigest: Array<{ digest: Buffer; actor: Actor }>;
  private readonly refusals: RefusalTally;
  private readonly signIn?: JwtSignIn;

  constructor(
    tokens: ApiToken[],
    private readonly log: Logger,
    options: ApiAuthOptions = {},
  ) {
    this.byDigest = tokens.map((t) => ({ digest: digest(t.token), actor: { name: t.name, role: t.role, via: 'token' } }));
    this.refusals = new RefusalTally(log, 'operator API refused', options.refusalLogWindowMs);
    this.signIn = options.signIn;
  }

  /**
   * The actor a request's bearer token names: a static token (compared in constant time),
   * else a person's JWT. Undefined without a token or with an unknown static one; a JWT
   * that does not pass throws its 401/403.
   */
  async identify(request: FastifyRequest): Promise<Actor | undefined> {
    const presented = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (!presented) return undefined;
    const presentedDigest = digest(presented);
    let found: Actor | undefined;
    for (const entry of this.byDigest) if (timingSafeEqual(entry.digest, presentedDigest)) found = entry.actor;
    return found ?? this.signIn?.identify(request, presented);
  }

  /** An onRequest guard: 429 over the rate limit, 401 without a known token, 403 for another role. */
  require(...roles: Role[]): onRequestAsyncHookHandler {
    return async (request, reply) => {
      const route = `${request.method} ${request.routeOptions.url ?? 'unknown route'}`;
      try {
        await enforceOperatorRateLimit(request, reply);
      } catch (err) {
        this.refusals.count(route, 'rate-limited');
        throw err;
      }
      let actor: Actor | undefined;
      try {
        actor = await this.identify(request);
      } catch (err) {
        if (err instanceof HttpProblem && err.spec.status === 401) this.refusals.count(route, 'unauthenticated');
        throw err;
      }
      if (!actor) {
        this.refusals.count(route, 'unauthenticated');
        throw new HttpProblem(HTTP_ERRORS.unauthorized, 'a bearer token is required: an API token, or sign in (identity provider or POST /auth/token)');
      }
      if (actor.role !== 'admin' && !roles.includes(actor.role)) {
        this.log.warn({ audit: true, route, actor: actor.name, role: actor.role, via: actor.via, outcome: 'forbidden' }, 'operator API refused');
        throw new HttpProblem(HTTP_ERRORS.forbidden, `role ${actor.role} may not do this; needs ${roles.join(' or ')}`);
      }
      request.actor = actor;
    };
  }

  /** Writes the refusals still being counted (at shutdown). */
  flush(): void {
    this.refusals.flush();
  }
}
