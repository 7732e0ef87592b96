/**
 * Supervisors on agents' live calls, as an API:
 *   POST   /acd/agents/:agentId/supervise  { mode: listen | whisper | barge, endpoint }  → 202
 *   PATCH  /acd/supervisions/:supervisionId  { mode }  another mode, the leg not rung again
 *   DELETE /acd/supervisions/:supervisionId                                            → 204
 *   GET    /acd/supervisions               the supervisions running on every instance
 * The supervisor's own endpoint (e.g. `PJSIP/1101`) is rung first; the call is joined only
 * once they answer, so the 202 means "ringing". Supervisors and admins only; every request
 * leaves an audit line with its actor (audit.ts), and the supervision's own line names the
 * actor beside the supervision, agent and call. Refusals carry constant codes as `error_id`:
 * 404 `acd:no-such-agent`, `acd:no-such-supervision`; 409 `acd:agent-not-on-call`,
 * `acd:call-not-talking`, `acd:supervisor-unreachable`, `acd:supervision-busy` (joining or
 * switching), `acd:supervision-elsewhere` (a switch is made on the instance running it);
 * 503 `acd:telephony-unavailable`.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AcdError } from '../../acd/index.js';
import { AgentId } from '../../acd/ids.js';
import { SUPERVISION_MODES, SupervisionError, type Supervision } from '../../acd/supervision/index.js';
import { actorOf, type ApiAuth } from '../auth.js';
import { HttpProblem } from '../errors.js';
import { storeCall } from '../store-call.js';

export interface AcdSupervisionRouteOptions {
  supervision: Pick<Supervision, 'start' | 'switchMode' | 'stop' | 'list'>;
  /** Every route here is the supervisors' (and admins'). */
  auth: Pick<ApiAuth, 'require'>;
}

/**
 * The supervisor's own seat, `PJSIP/<endpoint>`: an endpoint name alone, never a dial string
 * (`PJSIP/<number>@<trunk>`) nor a Local channel, so a citizen's call is never sent out of
 * the centre through this API.
 */
const SupervisorEndpoint = z.string().regex(/^PJSIP\/[A-Za-z0-9_.-]{1,64}$/, 'a seat endpoint such as PJSIP/1101');
const AgentParams = z.object({ agentId: AgentId });
const SupervisionParams = z.object({ supervisionId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a supervision id') });
const SuperviseBody = z.object({ mode: z.enum(SUPERVISION_MODES), endpoint: SupervisorEndpoint }).strict();
const SwitchBody = z.object({ mode: z.enum(SUPERVISION_MODES) }).strict();

const SupervisionView = z.object({
  supervisionId: z.string(),
  mode: z.enum(SUPERVISION_MODES),
  agentId: z.string(),
  callId: z.string(),
  supervisorEndpoint: z.string(),
  actor: z.string(),
  phase: z.enum(['ringing', 'connecting', 'active']),
  startedAt: z.string().describe('ISO 8601, UTC'),
});
type SupervisionView = z.infer<typeof SupervisionView>;

const CODES =
  '404 `acd:no-such-agent`, `acd:no-such-supervision`; 409 `acd:agent-not-on-call`, `acd:call-not-talking`, `acd:supervisor-unreachable`, ' +
  '`acd:supervision-busy`, `acd:supervision-elsewhere`; 503 `acd:telephony-unavailable`.';

function view(record: Awaited<ReturnType<Supervision['start']>>): SupervisionView {
  return {
    supervisionId: record.id,
    mode: record.mode,
    agentId: record.agentId,
    callId: record.callId,
    supervisorEndpoint: record.supervisorEndpoint,
    actor: record.actor,
    phase: record.phase,
    startedAt: new Date(record.startedAt).toISOString(),
  };
}

/** Refusals become problems with their code as `error_id`; store outages stay 503 `store-unavailable`. */
async function supervisionCall<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (err) {
    if (err instanceof SupervisionError || err instanceof AcdError) {
      throw new HttpProblem({ status: err.status, errorId: err.code, message: err.message }, err.message);
    }
    throw err;
  }
}

export function acdSupervisionRoutes(options: AcdSupervisionRouteOptions): FastifyPluginAsync {
  const { supervision } = options;
  return async (app) => {
    app.addHook('onRequest', options.auth.require('supervisor'));
    const typed = app.withTypeProvider<ZodTypeProvider>();

    typed.post(
      '/acd/agents/:agentId/supervise',
      {
        schema: { params: AgentParams, body: SuperviseBody, response: { 202: SupervisionView }, description: `Rings the supervisor's endpoint, then listens to, whispers to or barges into the agent's call. ${CODES}` },
        config: { audit: 'acd.supervision.start', errors: ['notFound', 'conflict'] },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const record = await supervisionCall(() =>
          supervision.start({ mode: request.body.mode, agentId: request.params.agentId, supervisorEndpoint: request.body.endpoint, actor: { name: actor.name, role: actor.role } }),
        );
        return reply.status(202).send(view(record));
      },
    );

    typed.patch(
      '/acd/supervisions/:supervisionId',
      {
        schema: { params: SupervisionParams, body: SwitchBody, response: { 200: SupervisionView }, description: `Listen, whisper and barge into one another without ringing the supervisor again. ${CODES}` },
        config: { audit: 'acd.supervision.switch', errors: ['notFound', 'conflict'] },
      },
      async (request) => {
        const actor = actorOf(request);
        return view(await supervisionCall(() => supervision.switchMode(request.params.supervisionId, request.body.mode, { name: actor.name, role: actor.role })));
      },
    );

    typed.delete(
      '/acd/supervisions/:supervisionId',
      { schema: { params: SupervisionParams, description: `Ends a supervision: the supervisor's leg is hung up. ${CODES}` }, config: { audit: 'acd.supervision.stop', errors: ['notFound'] } },
      async (request, reply) => {
        const actor = actorOf(request);
        await supervisionCall(() => storeCall(() => supervision.stop(request.params.supervisionId, { name: actor.name, role: actor.role })));
        return reply.status(204).send();
      },
    );

    typed.get(
      '/acd/supervisions',
      { schema: { response: { 200: z.object({ supervisions: z.array(SupervisionView) }) } }, config: { audit: 'acd.supervision.list' } },
      async () => ({ supervisions: (await storeCall(() => supervision.list())).map(view) }),
    );
  };
}
