/**
 * Priority callers (e.g. registered elderly citizens) as an API: they skip the IVR menu and
 * reach an agent at high priority. Numbers of the config are listed but changed only there.
 *   GET    /priority-callers
 *   PUT    /priority-callers/:number
 *   DELETE /priority-callers/:number
 * Who may call it is the wiring's decision: pass a `preHandler` that checks the role.
 */
import type { FastifyPluginAsync, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CallerNumberSchema, type PriorityCallerStore } from '../../ivr/index.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';

export const CallerNumberParams = z.object({ number: CallerNumberSchema });

/** Redis behind the stores waits out blips (maxRetriesPerRequest: null); an API request does not. */
export async function storeCall<T>(task: () => Promise<T>, timeoutMs = 2000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      task(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new HttpProblem(HTTP_ERRORS.unavailable, 'the store did not answer in time')), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface PriorityCallerRouteOptions {
  store: Pick<PriorityCallerStore, 'list' | 'add' | 'remove' | 'isInConfig'>;
  preHandler?: preHandlerAsyncHookHandler;
}

export function priorityCallerRoutes(options: PriorityCallerRouteOptions): FastifyPluginAsync {
  const { store } = options;
  return async (app) => {
    if (options.preHandler) app.addHook('preHandler', options.preHandler);
    const typed = app.withTypeProvider<ZodTypeProvider>();

    typed.get('/priority-callers', async () => ({ callers: await storeCall(() => store.list()) }));

    typed.put('/priority-callers/:number', { schema: { params: CallerNumberParams } }, async (request) => {
      const number = await storeCall(() => store.add(request.params.number));
      return { number, source: 'api' as const };
    });

    typed.delete('/priority-callers/:number', { schema: { params: CallerNumberParams } }, async (request, reply) => {
      const { number } = request.params;
      if (store.isInConfig(number)) {
        throw new HttpProblem(HTTP_ERRORS.conflict, 'this number is on the list in the hotline config; change it there');
      }
      if (!(await storeCall(() => store.remove(number)))) throw new HttpProblem(HTTP_ERRORS.notFound, 'not a priority caller');
      return reply.status(204).send();
    });
  };
}
