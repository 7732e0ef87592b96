/**
 * The ticket bridge's admin API: dead letters (list, replay) and delivery stats.
 *   GET  /crm-bridge/dead-letters?sink=&limit=
 *   POST /crm-bridge/dead-letters/replay   { sink, id } | { sink } | {}   (one chain, one sink, all)
 *   GET  /crm-bridge/stats
 * Who may call it is the wiring's decision: the `guard` (ApiAuth.require) checks the role.
 */
import type { FastifyPluginAsync, onRequestAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CRM_BRIDGE_ERRORS, CrmBridgeError, type CrmBridge } from '../../crm-bridge/index.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';
import { storeCall } from '../store-call.js';

export interface CrmBridgeAdminRouteOptions {
  bridge: Pick<CrmBridge, 'deadLetters' | 'replay' | 'stats'>;
  /** Runs first on every route here (rate limit, token, role); it names the actor. */
  guard: onRequestAsyncHookHandler;
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
    app.addHook('onRequest', options.guard);
    const typed = app.withTypeProvider<ZodTypeProvider>();

    typed.get('/crm-bridge/dead-letters', { schema: { querystring: ListQuery }, config: { audit: 'crm-bridge.dead-letters.list', errors: ['notFound'] } }, async (request) => {
      const { sink, limit } = request.query;
      return notFoundAs404(() => options.bridge.deadLetters.list({ sink, limit }));
    });

    typed.post('/crm-bridge/dead-letters/replay', { schema: { body: ReplayBody }, config: { audit: 'crm-bridge.dead-letters.replay', errors: ['notFound'] } }, async (request) => {
      const results = await notFoundAs404(() => options.bridge.replay(request.body));
      return { replayed: results, count: results.reduce((n, r) => n + r.replayed.length, 0) };
    });

    typed.get('/crm-bridge/stats', { config: { audit: 'crm-bridge.stats' } }, async () => storeCall(() => options.bridge.stats()));
  };
}

/** A bounded store call whose "no such sink / dead letter" becomes 404. */
async function notFoundAs404<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await storeCall(task);
  } catch (err) {
    if (err instanceof CrmBridgeError && (err.code === CRM_BRIDGE_ERRORS.noSuchSink || err.code === CRM_BRIDGE_ERRORS.noSuchDeadLetter)) {
      throw new HttpProblem(HTTP_ERRORS.notFound, err.message);
    }
    throw err;
  }
}
