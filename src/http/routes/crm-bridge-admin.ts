/**
 * The ticket bridge's admin API: dead letters (list, replay) and delivery stats.
 *   GET  /crm-bridge/dead-letters?sink=&limit=
 *   POST /crm-bridge/dead-letters/replay   { sink, id } | { sink } | {}   (one chain, one sink, all)
 *   GET  /crm-bridge/stats
 * Who may call it is the wiring's decision: pass a `preHandler` that checks the role.
 */
import type { FastifyPluginAsync, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CRM_BRIDGE_ERRORS, CrmBridgeError, type CrmBridge } from '../../crm-bridge/index.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';

export interface CrmBridgeAdminRouteOptions {
  bridge: Pick<CrmBridge, 'deadLetters' | 'replay' | 'stats'>;
  /** Runs before every route here (authentication, role check). */
  preHandler?: preHandlerAsyncHookHandler;
}

const SinkName = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a sink name');
const DeadLetterId = z.string().regex(/^[0-9]+-[0-9]+$/, 'a dead-letter id such as 1718000000000-0');

const ListQuery = z.object({
  sink: SinkName.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const ReplayBody = z
  .object({ sink: SinkName.optional(), id: DeadLetterId.optional() })
  .strict()
  .refine((b) => !b.id || b.sink, { message: 'replaying one dead letter needs its sink', path: ['sink'] });

export function crmBridgeAdminRoutes(options: CrmBridgeAdminRouteOptions): FastifyPluginAsync {
  return async (app) => {
    if (options.preHandler) app.addHook('preHandler', options.preHandler);
    const typed = app.withTypeProvider<ZodTypeProvider>();

    typed.get('/crm-bridge/dead-letters', { schema: { querystring: ListQuery } }, async (request) => {
      const { sink, limit } = request.query;
      return guard(() => options.bridge.deadLetters.list({ sink, limit }));
    });

    typed.post('/crm-bridge/dead-letters/replay', { schema: { body: ReplayBody } }, async (request) => {
      const results = await guard(() => options.bridge.replay(request.body));
      return { replayed: results, count: results.reduce((n, r) => n + r.replayed.length, 0) };
    });

    typed.get('/crm-bridge/stats', async () => options.bridge.stats());
  };
}

async function guard<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (err) {
    if (err instanceof CrmBridgeError && (err.code === CRM_BRIDGE_ERRORS.noSuchSink || err.code === CRM_BRIDGE_ERRORS.noSuchDeadLetter)) {
      throw new HttpProblem(HTTP_ERRORS.notFound, err.message);
    }
    throw err;
  }
}
