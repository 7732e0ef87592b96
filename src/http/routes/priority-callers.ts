/**
 * Priority callers (e.g. registered elderly citizens) as an API: they skip the IVR menu and
 * reach an agent at high priority. Numbers of the config are listed but changed only there.
 *   GET    /priority-callers
 *   PUT    /priority-callers/:number
 *   DELETE /priority-callers/:number
 * `:number` is a citizen's mobile or fixed line (caller-number.ts); anything else is 400.
 * Who may call it is the wiring's decision: the `guard` (ApiAuth.require) checks the role.
 */
import type { FastifyPluginAsync, onRequestAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { PriorityCallerStore } from '../../ivr/index.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';
import { storeCall } from '../store-call.js';
import { callerNumberParams } from './caller-number.js';

export interface PriorityCallerRouteOptions {
  store: Pick<PriorityCallerStore, 'list' | 'add' | 'remove' | 'isInConfig'>;
  /** The hotline's own numbers (`hotline.numbers`): never a caller to list. */
  hotlineNumbers: readonly string[];
  /** Runs first on every route here (rate limit, token, role); it names the actor. */
  guard: onRequestAsyncHookHandler;
}

export function priorityCallerRoutes(options: PriorityCallerRouteOptions): FastifyPluginAsync {
  const { store } = options;
  const params = callerNumberParams(options.hotlineNumbers);
  return async (app) => {
    app.addHook('onRequest', options.guard);
    const typed = app.withTypeProvider<ZodTypeProvider>();

    typed.get('/priority-callers', { config: { audit: 'priority-caller.list' } }, async () => ({ callers: await storeCall(() => store.list()) }));

    typed.put('/priority-callers/:number', { schema: { params }, config: { audit: 'priority-caller.put' } }, async (request) => {
      const number = await storeCall(() => store.add(request.params.number));
      return { number, source: 'api' as const };
    });

    typed.delete('/priority-callers/:number', { schema: { params }, config: { audit: 'priority-caller.delete', errors: ['notFound', 'conflict'] } }, async (request, reply) => {
      const { number } = request.params;
      if (store.isInConfig(number)) {
        throw new HttpProblem(HTTP_ERRORS.conflict, 'this number is on the list in the hotline config; change it there');
      }
      if (!(await storeCall(() => store.remove(number)))) throw new HttpProblem(HTTP_ERRORS.notFound, 'not a priority caller');
      return reply.status(204).send();
    });
  };
}
