/**
 * Callbacks pending, for supervisors: missed calls and virtual-hold callers still to be
 * called back, with numbers masked (the job keeps the number for the dialer only).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CallbackStore } from '../../acd/index.js';
import type { ApiAuth } from '../auth.js';
import { storeCall } from '../store-call.js';

const Query = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

export function acdCallbackRoutes(options: { callbacks: Pick<CallbackStore, 'pending'>; auth: Pick<ApiAuth, 'require'> }): FastifyPluginAsync {
  const guard = options.auth.require('supervisor');
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get(
      '/acd/callbacks',
      { onRequest: guard, schema: { querystring: Query, description: 'Callbacks pending: due (waiting for their time or an agent) and in flight, numbers masked' }, config: { audit: 'acd.callbacks' } },
      async (request) => storeCall(() => options.callbacks.pending(request.query.limit)),
    );
  };
}
