/**
 * The audit trail of the operator APIs: one line per allowed request, written when it has
 * been answered, naming who (the actor's name, role and way in — `token`, `jwt` or `user` —
 * set by the guard in auth.ts), what (the route's `config.audit` action), which number
 * (masked) and the answer's status:
 *   {audit:true, actor:'ops-desk', role:'supervisor', via:'token', action:'priority-caller.put',
 *    number:'138******78', status:200}
 * Requests refused before an actor was known are the guard's to log, not this.
 */
import type { FastifyInstance } from 'fastify';
import { maskNumber } from '../log/mask.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The action an operator route's audit line names, e.g. `priority-caller.put`. */
    audit?: string;
  }
}

export function addAuditTrail(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const { actor } = request;
    if (!actor) return;
    const number = (request.params as { number?: unknown } | undefined)?.number;
    request.log.info(
      {
        audit: true,
        actor: actor.name,
        role: actor.role,
        via: actor.via,
        action: request.routeOptions.config.audit ?? `${request.method} ${request.routeOptions.url}`,
        ...(typeof number === 'string' ? { number: maskNumber(number) } : {}),
        status: reply.statusCode,
      },
      'operator API access',
    );
  });
}
