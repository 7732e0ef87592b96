/**
 * The ACD's queues as an API:
 *   GET /acd/queues                 the configured queues (agents and supervisors)
 *   GET /acd/queues/:queue/waiting  the calls waiting, first in line first (supervisors)
 * A waiting call shows its wait, priority and skill, and the caller's number MASKED
 * (`138******78`, src/log/mask.ts): enough to tell two callers apart on the wallboard,
 * never the whole number, which stays in the access-controlled call record.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AcdConfig } from '../../acd/index.js';
import { QueueName } from '../../acd/ids.js';
import type { WaitingCalls } from '../../acd/ports/waiting-calls.js';
import { maskNumber } from '../../log/mask.js';
import type { ApiAuth } from '../auth.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';
import { storeCall } from '../store-call.js';

export interface AcdQueueRouteOptions {
  queuesConfig: AcdConfig['queues'];
  waiting: WaitingCalls;
  auth: Pick<ApiAuth, 'require'>;
  now?: () => number;
}

const QueueView = z.object({
  name: z.string(),
  skill: z.string(),
  minLevel: z.number(),
  kind: z.string(),
  ringTimeoutSeconds: z.number(),
  wrapUpSeconds: z.number(),
  serviceLevelSeconds: z.number(),
  longestWaitSeconds: z.number(),
});
const WaitingView = z.object({
  queue: z.string(),
  calls: z.array(
    z.object({
      position: z.number().describe('1 for the first in line'),
      callId: z.string(),
      skill: z.string(),
      priority: z.number(),
      waitSeconds: z.number(),
      kind: z.string(),
      caller: z.string().nullable().describe('masked: 138******78'),
    }),
  ),
});

export function acdQueueRoutes(options: AcdQueueRouteOptions): FastifyPluginAsync {
  const now = options.now ?? Date.now;
  const queues = Object.entries(options.queuesConfig).map(([name, q]) => ({
    name,
    skill: q.skill,
    minLevel: q.minLevel,
    kind: q.kind,
    ringTimeoutSeconds: q.ringTimeoutSeconds,
    wrapUpSeconds: q.wrapUpSeconds,
    serviceLevelSeconds: q.serviceLevelSeconds,
    longestWaitSeconds: q.longestWaitSeconds,
  }));

  return async (app) => {
    const typed = app.withTypeProvider<ZodTypeProvider>();

    typed.get(
      '/acd/queues',
      {
        onRequest: options.auth.require('agent', 'supervisor'),
        config: { audit: 'acd.queue.list' },
        schema: { summary: 'The configured queues', response: { 200: z.object({ queues: z.array(QueueView) }) } },
      },
      async () => ({ queues }),
    );

    typed.get(
      '/acd/queues/:queue/waiting',
      {
        onRequest: options.auth.require('supervisor'),
        config: { audit: 'acd.queue.waiting', errors: ['notFound'] },
        schema: { params: z.object({ queue: QueueName }), summary: 'Calls waiting in a queue, first in line first; caller numbers masked', response: { 200: WaitingView } },
      },
      async (request) => {
        const { queue } = request.params;
        if (!Object.hasOwn(options.queuesConfig, queue)) throw new HttpProblem(HTTP_ERRORS.notFound, `no queue ${queue} in acd.queues`);
        const calls = await storeCall(() => options.waiting.waiting(queue));
        const at = now();
        return {
          queue,
          calls: calls.map((c, i) => ({
            position: i + 1,
            callId: c.callId,
            skill: c.skill,
            priority: c.priority,
            waitSeconds: Math.max(0, Math.floor((at - c.enqueuedAt) / 1000)),
            kind: c.kind,
            caller: c.caller === null ? null : String(maskNumber(c.caller)),
          })),
        };
      },
    );
  };
}
