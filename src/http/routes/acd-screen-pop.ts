/**
 * The agent desktop's screen pop:
 *   GET /acd/agents/:agentId/screen-pop   the call the agent is offered (ringing) or talking to
 * The agent itself or a supervisor, as the other agent routes. It answers from the call's
 * live record in Redis (any instance can answer, not only the one holding the call) and two
 * time-boxed look-ups at the ticket backend; when the backend is slow, away or not
 * configured the pop still answers, with `tickets: null` and `lookup` saying why. The
 * caller's number is whole or masked by the actor's role (acd.screenPop.wholeNumberRoles).
 * Errors: 404 `acd:no-such-agent`; 409 `acd:agent-has-no-call` (not ringing, not on a call);
 * 404 `acd:no-such-call` (the call's record is gone: it just ended, or it is a callback
 * reservation with no caller yet); 503 `store-unavailable`.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AcdError, type AgentDesk } from '../../acd/index.js';
import { AgentId } from '../../acd/ids.js';
import { assembleScreenPop, lookUpCaller, type CallRecordReader, type CallerLookups, type ScreenPopConfig } from '../../acd/screen-pop/index.js';
import { actorOf, type ApiAuth } from '../auth.js';
import { requireSelfOrSupervisor } from './acd-agents.js';
import { acdCall } from './acd-problems.js';

export interface AcdScreenPopRouteOptions {
  desk: Pick<AgentDesk, 'get'>;
  records: CallRecordReader;
  /** The ticket backend's look-ups; absent when none is configured. */
  lookups?: CallerLookups;
  config: ScreenPopConfig;
  auth: Pick<ApiAuth, 'require'>;
  now?: () => number;
}

const Params = z.object({ agentId: AgentId });
const OpenTicketView = z.object({
  ticketNumber: z.string(),
  state: z.string(),
  handlingUnit: z.string().optional(),
  dueDate: z.string().optional(),
  createdAt: z.string(),
  category: z.string().optional(),
  summary: z.string().optional(),
});
const ScreenPopView = z.object({
  callId: z.string(),
  queue: z.string(),
  agentState: z.enum(['ringing', 'on-call']),
  caller: z.object({ number: z.string(), masked: z.boolean(), name: z.string().nullable() }),
  dialled: z.string(),
  line: z.string(),
  path: z.array(z.object({ node: z.string(), input: z.string().nullable(), outcome: z.string(), at: z.string() })),
  wait: z.object({ enqueuedAt: z.string().nullable(), waitedMs: z.number().nullable() }),
  repeatCaller: z.object({ days: z.number(), threshold: z.number(), contacts: z.number().nullable(), repeat: z.boolean().nullable() }),
  tickets: z.array(OpenTicketView).nullable(),
  lookup: z.enum(['ok', 'partial', 'unavailable', 'unconfigured', 'no-number']),
});
const CODES = '404 `acd:no-such-agent`, `acd:no-such-call` (the call just ended, or a callback reservation); 409 `acd:agent-has-no-call`; 503 `store-unavailable`.';

export function acdScreenPopRoutes(options: AcdScreenPopRouteOptions): FastifyPluginAsync {
  const { desk, records, config } = options;
  const now = options.now ?? Date.now;
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get(
      '/acd/agents/:agentId/screen-pop',
      {
        onRequest: options.auth.require('agent', 'supervisor'),
        config: { audit: 'acd.agent.screen-pop', errors: ['notFound', 'conflict'] },
        schema: { params: Params, summary: "The agent's offered or current call: caller (whole or masked by role), line, menu path, wait, repeat flag, open tickets", description: CODES, response: { 200: ScreenPopView } },
      },
      async (request, reply) => {
        const { agentId } = request.params;
        requireSelfOrSupervisor(request, agentId);
        const { call, record } = await acdCall(async () => {
          const agent = await desk.get(agentId);
          if (!agent) throw new AcdError('noSuchAgent', `no agent ${agentId}`);
          const state = agent.state;
          if (state.kind !== 'ringing' && state.kind !== 'on-call') throw new AcdError('agentHasNoCall', `agent ${agentId} is ${state.kind}: no call offered or taken`);
          const found = await records.byCallId(state.callId);
          if (!found) throw new AcdError('noSuchCall', `no live record of call ${state.callId}: it has just ended, or it is a callback with no caller yet`);
          return { call: { callId: state.callId, queue: state.queue, agentState: state.kind }, record: found };
        });
        const { facts, failures } = await lookUpCaller(options.lookups, record.caller.number, config);
        if (failures.length > 0) request.log.warn({ err: failures[0], callId: call.callId, lookup: facts.lookup }, 'screen pop without the ticket backend: look-up failed or timed out');
        // A caller's number and tickets: never kept by a cache on the way.
        reply.header('cache-control', 'no-store');
        return assembleScreenPop({ call, record, facts, role: actorOf(request).role, config, now: now() });
      },
    );
  };
}
