/**
 * Caller restrictions (repeat-occupancy limit, Hangzhou art. 28) as an API: a supervisor
 * flags a number with a reason and an expiry, or lifts a flag; every change is logged.
 * A restriction never blocks the IVR's emergency key.
 *   GET    /caller-restrictions             active restrictions
 *   GET    /caller-restrictions/log?limit=  applied and lifted, newest first
 *   GET    /caller-restrictions/:number
 *   PUT    /caller-restrictions/:number     { reason, minutes, by }
 *   DELETE /caller-restrictions/:number?by=&reason=
 * Who may call it is the wiring's decision: pass a `preHandler` that checks the role.
 */
import type { FastifyPluginAsync, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CallerRestrictionStore } from '../../ivr/index.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';
import { CallerNumberParams, storeCall } from './priority-callers.js';

export interface CallerRestrictionRouteOptions {
  store: Pick<CallerRestrictionStore, 'get' | 'flag' | 'lift' | 'listActive' | 'recentLog'>;
  /** Longest restriction a supervisor may set (the IVR config's `restriction.maxFlagMinutes`). */
  maxMinutes: number;
  preHandler?: preHandlerAsyncHookHandler;
}

const SupervisorId = z.string().min(1).max(64).regex(/^[A-Za-z0-9._@-]+$/, 'a supervisor id');

export function callerRestrictionRoutes(options: CallerRestrictionRouteOptions): FastifyPluginAsync {
  const { store } = options;
  const FlagBody = z
    .object({
      reason: z.string().trim().min(2).max(500),
      minutes: z.number().int().min(1).max(options.maxMinutes),
      by: SupervisorId,
    })
    .strict();
  const LiftQuery = z.object({ by: SupervisorId, reason: z.string().trim().min(2).max(500).default('lifted by a supervisor') });
  const LogQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

  return async (app) => {
    if (options.preHandler) app.addHook('preHandler', options.preHandler);
    const typed = app.withTypeProvider<ZodTypeProvider>();

    typed.get('/caller-restrictions', async () => ({ restrictions: await storeCall(() => store.listActive()) }));

    typed.get('/caller-restrictions/log', { schema: { querystring: LogQuery } }, async (request) => ({
      entries: await storeCall(() => store.recentLog(request.query.limit)),
    }));

    typed.get('/caller-restrictions/:number', { schema: { params: CallerNumberParams } }, async (request) => {
      const restriction = await storeCall(() => store.get(request.params.number));
      if (!restriction) throw new HttpProblem(HTTP_ERRORS.notFound, 'this number is not restricted');
      return restriction;
    });

    typed.put('/caller-restrictions/:number', { schema: { params: CallerNumberParams, body: FlagBody } }, async (request) =>
      storeCall(() => store.flag(request.params.number, request.body)),
    );

    typed.delete('/caller-restrictions/:number', { schema: { params: CallerNumberParams, querystring: LiftQuery } }, async (request, reply) => {
      const lifted = await storeCall(() => store.lift(request.params.number, request.query.by, request.query.reason));
      if (!lifted) throw new HttpProblem(HTTP_ERRORS.notFound, 'this number is not restricted');
      return reply.status(204).send();
    });
  };
}
