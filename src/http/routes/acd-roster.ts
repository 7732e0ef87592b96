/**
 * The roster as an API: who each agent is — display name, usual seat, skills with levels,
 * kind — kept by supervisors (and admins), read by the agent itself:
 *   PUT    /acd/roster/:agentId   { displayName, endpoint, skills, kind? }   supervisor
 *   GET    /acd/roster                                                        supervisor
 *   GET    /acd/roster/:agentId                                               the agent itself, supervisor
 *   DELETE /acd/roster/:agentId   (409 `acd:agent-logged-in` while logged in) supervisor
 * An entry changed while the agent is logged in takes effect at its next login.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AgentDesk } from '../../acd/agent-desk.js';
import { RosterProfileSchema } from '../../acd/agent-roster.js';
import { AcdError } from '../../acd/index.js';
import { AgentId } from '../../acd/ids.js';
import { actorOf, type ApiAuth } from '../auth.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';
import { acdCall } from './acd-problems.js';

export interface AcdRosterRouteOptions {
  desk: Pick<AgentDesk, 'putOnRoster' | 'onRoster' | 'rosterEntries' | 'takeOffRoster'>;
  auth: Pick<ApiAuth, 'require'>;
}

const Params = z.object({ agentId: AgentId });
const PutBody = RosterProfileSchema.strict();
const EntryView = z.object({
  id: z.string(),
  displayName: z.string(),
  endpoint: z.string(),
  kind: z.string(),
  skills: z.record(z.string(), z.number()),
});
const ROSTER_CODES = '404 `acd:not-on-roster`; 409 `acd:agent-logged-in` (DELETE while the agent is logged in); 400 `acd:unknown-skill`.';

export function acdRosterRoutes(options: AcdRosterRouteOptions): FastifyPluginAsync {
  const { desk, auth } = options;
  const supervisor = auth.require('supervisor');
  const agentOrSupervisor = auth.require('agent', 'supervisor');

  return async (app) => {
    const typed = app.withTypeProvider<ZodTypeProvider>();

    typed.put(
      '/acd/roster/:agentId',
      {
        onRequest: supervisor,
        config: { audit: 'acd.roster.put' },
        schema: { params: Params, body: PutBody, response: { 200: EntryView }, summary: "Put an agent on the roster, or replace its entry (used from the agent's next login)", description: ROSTER_CODES },
      },
      async (request) => acdCall(() => desk.putOnRoster(request.params.agentId, request.body)),
    );

    typed.get(
      '/acd/roster',
      { onRequest: supervisor, config: { audit: 'acd.roster.list' }, schema: { summary: 'Every agent on the roster', response: { 200: z.object({ agents: z.array(EntryView) }) } } },
      async () => ({ agents: await acdCall(() => desk.rosterEntries()) }),
    );

    typed.get(
      '/acd/roster/:agentId',
      {
        onRequest: agentOrSupervisor,
        config: { audit: 'acd.roster.get', errors: ['notFound'] },
        schema: { params: Params, summary: "One agent's roster entry (the agent itself, supervisors)", response: { 200: EntryView }, description: ROSTER_CODES },
      },
      async (request) => {
        const { agentId } = request.params;
        const actor = actorOf(request);
        if (actor.role === 'agent' && actor.name !== agentId) throw new HttpProblem(HTTP_ERRORS.forbidden, 'an agent reads its own roster entry only');
        const entry = await acdCall(() => desk.onRoster(agentId));
        if (!entry) throw problemOf(new AcdError('notOnRoster', `agent ${agentId} is not on the roster`));
        return entry;
      },
    );

    typed.delete(
      '/acd/roster/:agentId',
      {
        onRequest: supervisor,
        config: { audit: 'acd.roster.delete', errors: ['notFound', 'conflict'] },
        schema: { params: Params, summary: 'Take an agent off the roster (not while logged in)', description: ROSTER_CODES },
      },
      async (request, reply) => {
        await acdCall(() => desk.takeOffRoster(request.params.agentId));
        return reply.status(204).send();
      },
    );
  };
}

function problemOf(error: AcdError): HttpProblem {
  return new HttpProblem({ status: error.status, errorId: error.code, message: error.message }, error.message);
}
