/**
 * An agent puts the caller they talk to through to an emergency route (110/119/120/122, the
 * utility hotlines): blind (the agent leaves when the centre answers) or three-way (the agent
 * stays until they hang up; caller and centre stay connected). Answers when the centre
 * answered or every target failed — the route's ring timeouts bound the wait — with every
 * attempt; the receipt (`call.emergency`, entry `agent`) goes on the call either way.
 *
 *   POST /acd/agents/:agentId/emergency-transfer   { route, mode: 'blind' | 'three-way' }
 *
 * And a consultation call to a handling unit or utility (a route too), Hangzhou art. 13(3):
 *
 *   POST   /acd/agents/:agentId/consultation         { route, callerOnHold }
 *   POST   /acd/agents/:agentId/consultation/join    the held caller joins agent and unit
 *   DELETE /acd/agents/:agentId/consultation         the unit is let go, the caller is back
 *
 * The routes to offer (the desk's buttons): GET /acd/emergency-routes, ids and labels.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
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

const ConsultBody = z.object({ route: z.string().regex(/^[a-z0-9][a-z0-9-]*$/), callerOnHold: z.boolean().default(true) }).strict();
const CONSULT_CODES = '400 `acd:unknown-route`; 404 `acd:no-such-agent`; 409 `acd:agent-not-on-call`, `acd:transfer-busy`, `acd:caller-not-on-hold`, `acd:no-consultation`, `acd:call-elsewhere`.';

/** The agent's own calls only (supervisors any); ACD refusals answered with their codes. */
export async function asAgent<T>(request: FastifyRequest, agentId: string, work: () => Promise<T>): Promise<T> {
  const actor = actorOf(request);
  if (actor.role === 'agent' && actor.name !== agentId) throw new HttpProblem(HTTP_ERRORS.forbidden, 'an agent acts on its own calls only');
  try {
    return await work();
  } catch (err) {
    if (err instanceof AcdError) throw new HttpProblem({ status: err.status, errorId: err.code, message: err.message }, err.message);
    throw err;
  }
}

const RouteList = z.object({ routes: z.array(z.object({ route: z.string(), label: z.string() })) });

export function acdEmergencyTransferRoutes(options: {
  engine: Pick<AcdEngine, 'emergencyTransfer' | 'consult' | 'joinConsultation' | 'endConsultation'>;
  /** The configured emergency routes (emergency.routes), in order; none when the section is absent. */
  routes: Array<{ route: string; label: string }>;
  auth: Pick<ApiAuth, 'require'>;
}): FastifyPluginAsync {
  const guard = options.auth.require('agent', 'supervisor');
  const { engine } = options;
  return async (app) => {
    const typed = app.withTypeProvider<ZodTypeProvider>();
    typed.get(
      '/acd/emergency-routes',
      { onRequest: guard, schema: { response: { 200: RouteList }, description: 'The emergency routes an agent may put a caller through to or consult (emergency.routes): ids and labels, in the configured order.' }, config: { audit: 'acd.emergency-routes' } },
      async () => ({ routes: options.routes }),
    );
    typed.post(
      '/acd/agents/:agentId/consultation',
      { onRequest: guard, schema: { params: Params, body: ConsultBody, response: { 200: Result }, description: `Call a handling unit or utility (a route) about the call, the caller on hold or on the line. ${CONSULT_CODES}` }, config: { audit: 'acd.agent.consultation' } },
      (request) => asAgent(request, request.params.agentId, () => engine.consult(request.params.agentId, request.body.route, request.body.callerOnHold)),
    );
    typed.post(
      '/acd/agents/:agentId/consultation/join',
      { onRequest: guard, schema: { params: Params, description: `The held caller joins the agent and the unit. ${CONSULT_CODES}` }, config: { audit: 'acd.agent.consultation.join' } },
      async (request, reply) => {
        await asAgent(request, request.params.agentId, () => engine.joinConsultation(request.params.agentId));
        return reply.status(204).send();
      },
    );
    typed.delete(
      '/acd/agents/:agentId/consultation',
      { onRequest: guard, schema: { params: Params, description: `The unit is let go; the caller is back with the agent. ${CONSULT_CODES}` }, config: { audit: 'acd.agent.consultation.end' } },
      async (request, reply) => {
        await asAgent(request, request.params.agentId, () => engine.endConsultation(request.params.agentId));
        return reply.status(204).send();
      },
    );
    typed.post(
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
      (request) => asAgent(request, request.params.agentId, () => engine.emergencyTransfer(request.params.agentId, request.body.route, request.body.mode)),
    );
  };
}
