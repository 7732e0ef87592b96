/**
 * An agent's blind transfer of the caller they talk to, to another queue or to a named
 * agent (src/acd/engine/agent-transfer.ts): the agent leaves for wrap-up, the caller hears
 * the hold music until the queue's next agent or the named agent answers.
 *
 *   POST /acd/agents/:agentId/transfer   { queue } | { agent }   the agent itself, or a supervisor
 *   GET  /acd/transfer-targets                                    agents ready now, to pick one from
 *
 * Answers as soon as the caller is handed on: `queued` (waiting in the queue) or `ringing`
 * (the named agent's phone rings; unanswered, the caller waits in the queue they were
 * answered from). A named agent who is not logged in and ready is refused at once with
 * 409 `acd:transfer-target-not-ready`, and the call stays with the agent.
 *
 * The targets list shows an agent no more than a colleague's id and name (no endpoint,
 * skills or call); the queues an agent may pick are GET /acd/queues.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AgentId, type AcdEngine, type AgentDesk } from '../../acd/index.js';
import { QueueName } from '../../acd/ids.js';
import { actorOf, type ApiAuth } from '../auth.js';
import { acdCall } from './acd-problems.js';
import { asAgent } from './acd-emergency-transfer.js';

const Params = z.object({ agentId: AgentId });
const Body = z.union([z.object({ queue: QueueName }).strict(), z.object({ agent: AgentId }).strict()]);
const Result = z.object({
  outcome: z.enum(['queued', 'ringing']).describe('queued: the caller waits in `queue`; ringing: `agentId`’s phone rings for them'),
  callId: z.string(),
  queue: z.string().describe('where the caller waits (for a named agent: if they do not answer)'),
  agentId: z.string().nullable(),
});
const Targets = z.object({ agents: z.array(z.object({ id: z.string(), displayName: z.string() })) });
const CODES =
  '400 `acd:unknown-queue`; 404 `acd:no-such-agent` (either agent); 409 `acd:agent-not-on-call`, `acd:transfer-target-not-ready`, `acd:transfer-busy` (a centre or unit is in the call), `acd:call-elsewhere` (another instance holds the call).';

export function acdAgentTransferRoutes(options: { engine: Pick<AcdEngine, 'transfer'>; desk: Pick<AgentDesk, 'list'>; auth: Pick<ApiAuth, 'require'> }): FastifyPluginAsync {
  const guard = options.auth.require('agent', 'supervisor');
  const { engine, desk } = options;
  return async (app) => {
    const typed = app.withTypeProvider<ZodTypeProvider>();
    typed.post(
      '/acd/agents/:agentId/transfer',
      {
        onRequest: guard,
        schema: { params: Params, body: Body, response: { 200: Result }, description: `Hand the caller on (blind) to a queue or to a named ready agent. ${CODES}` },
        config: { audit: 'acd.agent.transfer' },
      },
      (request) => {
        const actor = actorOf(request);
        const by = actor.role === 'agent' ? actor.name : `${actor.role}:${actor.name}`;
        return asAgent(request, request.params.agentId, () => engine.transfer(request.params.agentId, request.body, by));
      },
    );
    typed.get(
      '/acd/transfer-targets',
      { onRequest: guard, schema: { response: { 200: Targets }, description: 'Agents ready now (id and name only), whom a call may be transferred to.' }, config: { audit: 'acd.transfer-targets' } },
      async () => {
        const agents = await acdCall(() => desk.list());
        return { agents: agents.filter((a) => a.state.kind === 'ready').map((a) => ({ id: a.id, displayName: a.displayName })) };
      },
    );
  };
}
