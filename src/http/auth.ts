/**
 * Who may call the operator APIs. Caller numbers and the centre's controls are served only
 * to authorised roles (confidentiality rules), so every such route requires a bearer token
 * from API_TOKENS, and every access is written to the log's audit trail with who made it.
 *
 *   API_TOKENS="ops-desk:supervisor:<token>,ticket-system:backend:<token>,root:admin:<token>"
 *
 * `admin` may do everything; other roles only what a route names.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Logger } from 'pino';
import { type ApiToken, type Role } from '../config/api-tokens.js';
import { HTTP_ERRORS, HttpProblem } from './errors.js';

export type { ApiToken, Role };

export interface Actor {
  name: string;
  role: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

export class ApiAuth {
  private readonly byDigest: Array<{ digest: Buffer; actor: Actor }>;

  constructor(tokens: ApiToken[], private readonly log: Logger) {
    this.byDigest = tokens.map((t) => ({ digest: digest(t.token), actor: { name: t.name, role: t.role } }));
  }

  /** The actor a request's bearer token names, compared in constant time. */
  identify(request: FastifyRequest): Actor | undefined {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) return undefined;
    const presented = digest(header.slice('Bearer '.length).trim());
    let found: Actor | undefined;
    for (const entry of this.byDigest) if (timingSafeEqual(entry.digest, presented)) found = entry.actor;
    return found;
  }

  /** A preHandler: 401 without a known token, 403 for another role; audits every access. */
  require(...roles: Role[]): preHandlerAsyncHookHandler {
    return async (request) => {
      const actor = this.identify(request);
      const audit = { audit: true, method: request.method, url: request.routeOptions.url ?? request.url };
      if (!actor) {
        this.log.warn({ ...audit, outcome: 'unauthenticated' }, 'operator API refused');
        throw new HttpProblem(HTTP_ERRORS.unauthorized, 'a bearer token from API_TOKENS is required');
      }
      if (actor.role !== 'admin' && !roles.includes(actor.role)) {
        this.log.warn({ ...audit, actor: actor.name, role: actor.role, outcome: 'forbidden' }, 'operator API refused');
        throw new HttpProblem(HTTP_ERRORS.forbidden, `role ${actor.role} may not do this; needs ${roles.join(' or ')}`);
      }
      request.actor = actor;
      this.log.info({ ...audit, actor: actor.name, role: actor.role, outcome: 'allowed' }, 'operator API access');
    };
  }
}
