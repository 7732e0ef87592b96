/**
 * An agent puts the caller they talk to through to an emergency route (110/119/120/122, the
 * utility hotlines): blind (the agent leaves when the centre answers) or three-way (the agent
 * stays until they hang up; caller and centre stay connected). Answers when the centre
 * answered or every target failed — the route's ring timeouts bound the wait — with every
 * attempt; the receipt (`call.emergency`, entry `agent`) goes on the call either way.
 *
 *   POST /acd/agents/:agentId/emergency-transfer   { route, mode: 'blind' | 'three-way' }
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AcdError, AgentId, type AcdEngine } from '../../acd/index.js';
import { actorOf, type ApiAuth } from '../auth.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';

const Params = z.object({ agentId: AgentId });
const Body = z.object({ route: z.string().regex(/^[a-z0-9][a-z0-9-]*$/), mode: z.enum(['blind', 'three-way']).default('three-way') }).strict();
const Result = z.object({
  outcome: z.enum(['answered', 'failed']),
  attempts: z.array(z.object({ target: z.string(), outcome: z.string(), cause: z.number().nullable() }).loose()),
});

export function acdEmergencyTransferRoutes(options: { engine: Pick<AcdEngine, 'emergencyTransfer'>; auth: Pick<ApiAuth, 'require'> }): FastifyPluginAsync {
  const guard = options.auth.require('agent', 'supervisor');
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().post(
      '/acd/agents/:agentId/emergency-transfer',
      {
        onRequest: guard,
        schema: {
          params: Params,
          body: Body,
          response: { 200: Result },
          description:
            'Put the caller through to an emergency route, blind or three-way. 400 `acd:unknown-route`; 404 `acd:no-such-agent`; 409 `acd:agent-not-on-call`, `acd:transfer-busy`, `acd:call-elsewhere` (another instance holds the call).',
        },
        config: { audit: 'acd.agent.emergency-transfer' },
      },
      async (request) => {
        const { agentId } = request.params;
        const actor = actorOf(request);
        if (actor.role === 'agent' && actor.name !== agentId) throw new HttpProblem(HTTP_ERRORS.forbidden, 'an agent acts on its own calls only');
        try {
          return await options.engine.emergencyTransfer(agentId, request.body.route, request.body.mode);
        } catch (err) {
          if (err instanceof AcdError) throw new HttpProblem({ status: err.status, errorId: err.code, message: err.message }, err.message);
          throw err;
        }
      },
    );
  };
}
