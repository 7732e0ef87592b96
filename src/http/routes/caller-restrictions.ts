/**
 * Caller restrictions (repeat-occupancy limit, Hangzhou art. 28) as an API: a supervisor
 * flags a number with a reason and an expiry, or lifts a flag; every change is logged.
 * A restriction never blocks the IVR's emergency key.
 *   GET    /caller-restrictions             active restrictions
 *   GET    /caller-restrictions/log?limit=  applied and lifted, newest first
 *   GET    /caller-restrictions/:number
 *   PUT    /caller-restrictions/:number     { reason, minutes }
 *   DELETE /caller-restrictions/:number?reason=
 * Who flagged or lifted is the authenticated token's name, never a field of the request.
 * The reason is stored whole (the restriction is access-controlled data) and logged with
 * any phone number in it masked. `:number` is checked as in caller-number.ts.
 */
import type { FastifyPluginAsync, onRequestAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CallerRestrictionStore } from '../../ivr/index.js';
import { actorOf } from '../auth.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';
import { storeCall } from '../store-call.js';
import { callerNumberParams } from './caller-number.js';

export interface CallerRestrictionRouteOptions {
  store: Pick<CallerRestrictionStore, 'get' | 'flag' | 'lift' | 'listActive' | 'recentLog'>;
  /** Longest restriction a supervisor may set (the IVR config's `restriction.maxFlagMinutes`). */
  maxMinutes: number;
  /** The hotline's own numbers (`hotline.numbers`): never a caller to restrict. */
  hotlineNumbers: readonly string[];
  /** Runs first on every route here (rate limit, token, role); it names the actor. */
  guard: onRequestAsyncHookHandler;
}

const Reason = z.string().trim().min(2).max(500);

export function callerRestrictionRoutes(options: CallerRestrictionRouteOptions): FastifyPluginAsync {
  const { store } = options;
  const params = callerNumberParams(options.hotlineNumbers);
  const FlagBody = z.object({ reason: Reason, minutes: z.number().int().min(1).max(options.maxMinutes) }).strict();
  const LiftQuery = z.object({ reason: Reason.default('lifted by a supervisor') }).strict();
  const LogQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

  return async (app) => {
    app.addHook('onRequest', options.guard);
    const typed = app.withTypeProvider<ZodTypeProvider>();

    typed.get('/caller-restrictions', { config: { audit: 'caller-restriction.list' } }, async () => ({
      restrictions: await storeCall(() => store.listActive()),
    }));

    typed.get('/caller-restrictions/log', { schema: { querystring: LogQuery }, config: { audit: 'caller-restriction.log' } }, async (request) => ({
      entries: await storeCall(() => store.recentLog(request.query.limit)),
    }));

    typed.get('/caller-restrictions/:number', { schema: { params }, config: { audit: 'caller-restriction.get', errors: ['notFound'] } }, async (request) => {
      const restriction = await storeCall(() => store.get(request.params.number));
      if (!restriction) throw new HttpProblem(HTTP_ERRORS.notFound, 'this number is not restricted');
      return restriction;
    });

    typed.put('/caller-restrictions/:number', { schema: { params, body: FlagBody }, config: { audit: 'caller-restriction.put' } }, async (request) =>
      storeCall(() => store.flag(request.params.number, { ...request.body, by: actorOf(request).name })),
    );

    typed.delete(
      '/caller-restrictions/:number',
      { schema: { params, querystring: LiftQuery }, config: { audit: 'caller-restriction.delete', errors: ['notFound'] } },
      async (request, reply) => {
        const lifted = await storeCall(() => store.lift(request.params.number, actorOf(request).name, request.query.reason));
        if (!lifted) throw new HttpProblem(HTTP_ERRORS.notFound, 'this number is not restricted');
        return reply.status(204).send();
      },
    );
  };
}
