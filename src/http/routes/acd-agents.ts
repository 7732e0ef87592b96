/**
 * The agents' desk as an API, for the agent at the softphone and for supervisors:
 *   POST /acd/agents/:agentId/login            { reason? } as on the roster; supervisors also { endpoint }
 *                                              for another seat, or { displayName, endpoint, skills, kind?, reason? }
 *   POST /acd/agents/:agentId/logout
 *   POST /acd/agents/:agentId/ready
 *   POST /acd/agents/:agentId/pause            { reason }
 *   POST /acd/agents/:agentId/wrap-up/end      { code, note? } optional: the call's disposition, then ready
 *   POST /acd/agents/:agentId/wrap-up/disposition  { code, note? } the call's disposition; the wrap-up runs on
 *   POST /acd/agents/:agentId/wrap-up/extend   { seconds }
 *   GET  /acd/agents                           every logged-in agent (supervisors)
 *   GET  /acd/agents/:agentId
 *   GET  /acd/agents/:agentId/sip-credentials  the softphone's registration (the agent alone)
 *   GET  /acd/dispositions                     the codes a call is classified with (acd.dispositions)
 *   GET  /acd/not-ready-reasons                the reasons an agent may pause with (acd.notReadyReasons)
 * An `agent` actor is the agent whose id is its name (the IdP's id claim, or a built-in
 * user's name) and acts on itself only; supervisors and admins act on any agent. The SIP
 * credentials go to the agent itself and to nobody else, not even an admin: nobody needs
 * to register as another person's phone. A change answers with its `agent.state-changed`.
 * Refusals carry the ACD's codes as `error_id` (acd-problems.ts).
 *
 * Who an agent is (name, skills, levels, kind, usual seat) is the roster's, kept by
 * supervisors (acd-roster.ts, registered here too): an agent logs in as its entry says and
 * may only choose its not-ready reason and, hot-desking, another PJSIP seat for the session.
 * A body naming the profile from an agent is refused (403) rather than ignored. A supervisor
 * logs an agent in from the roster too, or with a whole profile for a one-off case.
 *
 * A disposition (unknown code: 400 `acd:unknown-disposition`; not in wrap-up: 409
 * `acd:agent-not-in-wrap-up`) may be set again while the wrap-up runs, the last one
 * counting: it reaches the ticket backend once, as call.disposition when the wrap-up ends
 * (src/acd/dispositions/).
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AGENT_STATE_KINDS, AcdError, AgentProfileSchema } from '../../acd/index.js';
import { MAX_WRAP_UP_EXTENSION_SECONDS, type AgentDesk } from '../../acd/agent-desk.js';
import { AgentId, ReasonCode } from '../../acd/ids.js';
import { pjsipEndpointName, type SipCredentials } from '../../acd/sip-credentials.js';
import { acdRosterRoutes } from './acd-roster.js';
import { BadDispositionError, MAX_DISPOSITION_NOTE_LENGTH, type WrapUpDispositions } from '../../acd/dispositions/index.js';
import { actorOf, type ApiAuth } from '../auth.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';
import { ACD_ROUTE_CODES, acdCall } from './acd-problems.js';

export interface AcdAgentRouteOptions {
  desk: Pick<
    AgentDesk,
    'login' | 'loginFromRoster' | 'logout' | 'setReady' | 'pause' | 'endWrapUp' | 'extendWrapUp' | 'get' | 'list' | 'putOnRoster' | 'onRoster' | 'rosterEntries' | 'takeOffRoster'
  >;
  /** The softphone's credentials for a PJSIP endpoint name (sipCredentials with the wiring's secret and settings). */
  credentials: (endpoint: string) => SipCredentials;
  auth: Pick<ApiAuth, 'require'>;
  /** acd.dispositions and where a wrap-up's disposition is kept; without them no disposition is taken. */
  dispositions?: Pick<WrapUpDispositions, 'list' | 'check' | 'record'>;
  /** acd.notReadyReasons: code → label, in the config's order. */
  notReadyReasons?: Record<string, { label: string }>;
}

const Params = z.object({ agentId: AgentId });
const OneOffProfile = AgentProfileSchema.omit({ id: true }).strict();
const { displayName, endpoint, skills, kind } = AgentProfileSchema.shape;
/** The profile's fields are all optional here: which are allowed depends on who logs in (see the login route); no body at all is the roster's profile. */
const LoginBody = z.preprocess(
  // Fastify hands a request without a body over as null.
  (body) => body ?? {},
  z.object({ reason: ReasonCode.optional(), endpoint: endpoint.optional(), displayName: displayName.optional(), skills: skills.optional(), kind: kind.unwrap().optional() }).strict(),
);
type LoginBody = z.infer<typeof LoginBody>;
const LOGIN_CODES = `${ACD_ROUTE_CODES} Login: 404 \`acd:not-on-roster\`; 403 when an agent names its profile (displayName, skills, kind) or a seat other than PJSIP/<name>.`;
/** The fields only a roster entry (or a supervisor's one-off profile) gives. */
const PROFILE_FIELDS = ['displayName', 'skills', 'kind'] as const;
const PauseBody = z.object({ reason: ReasonCode }).strict();
const ExtendBody = z.object({ seconds: z.number().int().min(1).max(MAX_WRAP_UP_EXTENSION_SECONDS) }).strict();
const DispositionBody = z.object({ code: z.string().min(1).max(40), note: z.string().max(MAX_DISPOSITION_NOTE_LENGTH).optional() }).strict();
/** No body (or none at all) ends the wrap-up without a disposition. */
const EndWrapUpBody = z.preprocess(
  (body) => body ?? {},
  DispositionBody.partial().refine((b) => b.code !== undefined || b.note === undefined, { message: 'a note goes with a disposition code', path: ['note'] }),
);
const DISPOSITION_CODES = `${ACD_ROUTE_CODES} 400 \`acd:unknown-disposition\` (not in acd.dispositions).`;
const DispositionView = z.object({ agentId: z.string(), callId: z.string(), queue: z.string(), code: z.string(), note: z.string().nullable(), at: z.string() });
const ReasonsView = z.object({ reasons: z.array(z.object({ code: z.string(), label: z.string() })) });
const DispositionsView = z.object({ dispositions: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() })), noteMaxLength: z.number() });

const StateView = z.looseObject({ kind: z.enum(AGENT_STATE_KINDS as [string, ...string[]]), since: z.number() });
const AgentView = z.object({
  id: z.string(),
  displayName: z.string(),
  endpoint: z.string(),
  kind: z.string(),
  skills: z.record(z.string(), z.number()),
  state: StateView,
  version: z.number(),
  misses: z.number(),
});
const ChangeView = z.object({
  agentId: z.string(),
  from: z.string(),
  to: z.string(),
  reason: z.string().nullable(),
  callId: z.string().nullable(),
  queue: z.string().nullable(),
  version: z.number(),
  at: z.string(),
  state: StateView,
});
const CredentialsView = z.object({
  uri: z.string(),
  authorizationUsername: z.string(),
  password: z.string(),
  wsServer: z.string(),
  iceServers: z.array(z.looseObject({ urls: z.union([z.string(), z.array(z.string())]) })),
});

/** An agent acts on itself only; supervisors and admins on every agent. */
export function requireSelfOrSupervisor(request: FastifyRequest, agentId: string): void {
  const actor = actorOf(request);
  if (actor.role === 'agent' && actor.name !== agentId) {
    throw new HttpProblem(HTTP_ERRORS.forbidden, 'an agent acts on its own desk only');
  }
}

export function acdAgentRoutes(options: AcdAgentRouteOptions): FastifyPluginAsync {
  const { desk, auth, dispositions } = options;
  const agentOrSupervisor = auth.require('agent', 'supervisor');
  const supervisor = auth.require('supervisor');
  const changeRoute = (audit: string, summary: string) => ({
    onRequest: agentOrSupervisor,
    config: { audit, errors: ['notFound' as const, 'conflict' as const] },
    schema: { params: Params, response: { 200: ChangeView }, summary, description: ACD_ROUTE_CODES },
  });
  const withBody = <B extends z.ZodType>(route: ReturnType<typeof changeRoute>, body: B, description = route.schema.description) => ({
    ...route,
    schema: { ...route.schema, body, description },
  });

  return async (app) => {
    const typed = app.withTypeProvider<ZodTypeProvider>();

    typed.post(
      '/acd/agents/:agentId/login',
      withBody(changeRoute('acd.agent.login', 'Log in as on the roster (a supervisor may name another seat for the session): ready, or not ready with a reason'), LoginBody, LOGIN_CODES),
      async (request) => {
        const { agentId } = request.params;
        requireSelfOrSupervisor(request, agentId);
        const { reason, ...fields } = request.body;
        const named = PROFILE_FIELDS.filter((f) => fields[f] !== undefined);
        if (actorOf(request).role === 'agent') {
          if (named.length > 0) throw new HttpProblem(HTTP_ERRORS.forbidden, `an agent logs in as the roster has it: ${named.join(', ')} are kept by supervisors`);
          // Choosing a seat would hand out that seat's SIP password: seats are given by supervisors.
          if (fields.endpoint !== undefined) {
            throw new HttpProblem(HTTP_ERRORS.forbidden, 'an agent logs in on its roster seat; another seat for the session is given by a supervisor');
          }
        }
        if (named.length === 0) return acdCall(() => desk.loginFromRoster(agentId, { reason, endpoint: fields.endpoint }));
        return acdCall(() => desk.login({ id: agentId, ...oneOffProfile(fields) }, reason));
      },
    );

    await app.register(acdRosterRoutes({ desk, auth }));

    typed.post('/acd/agents/:agentId/logout', changeRoute('acd.agent.logout', 'Log out (not while ringing or on a call)'), async (request) => {
      requireSelfOrSupervisor(request, request.params.agentId);
      return acdCall(() => desk.logout(request.params.agentId));
    });

    typed.post('/acd/agents/:agentId/ready', changeRoute('acd.agent.ready', 'Ready for calls (from not ready or wrap-up)'), async (request) => {
      requireSelfOrSupervisor(request, request.params.agentId);
      return acdCall(() => desk.setReady(request.params.agentId));
    });

    typed.post(
      '/acd/agents/:agentId/pause',
      withBody(changeRoute('acd.agent.pause', 'Not ready, with a reason of acd.notReadyReasons'), PauseBody),
      async (request) => {
        requireSelfOrSupervisor(request, request.params.agentId);
        return acdCall(() => desk.pause(request.params.agentId, request.body.reason));
      },
    );

    typed.post(
      '/acd/agents/:agentId/wrap-up/end',
      withBody(changeRoute('acd.agent.wrap-up.end', "End the wrap-up early: ready; with { code, note? }, the call's disposition first"), EndWrapUpBody, DISPOSITION_CODES),
      async (request) => {
        const { agentId } = request.params;
        requireSelfOrSupervisor(request, agentId);
        const { code, note } = request.body;
        if (code !== undefined) {
          const choice = { code, note };
          const kept = checkDisposition(dispositions, choice);
          await acdCall(() => kept.record(agentId, choice));
        }
        return acdCall(() => desk.endWrapUp(agentId));
      },
    );

    typed.post(
      '/acd/agents/:agentId/wrap-up/extend',
      withBody(changeRoute('acd.agent.wrap-up.extend', `More wrap-up (1 to ${MAX_WRAP_UP_EXTENSION_SECONDS} s per request)`), ExtendBody),
      async (request) => {
        requireSelfOrSupervisor(request, request.params.agentId);
        return acdCall(() => desk.extendWrapUp(request.params.agentId, request.body.seconds));
      },
    );

    typed.get(
      '/acd/agents',
      { onRequest: supervisor, config: { audit: 'acd.agent.list' }, schema: { summary: 'Every logged-in agent', response: { 200: z.object({ agents: z.array(AgentView) }) } } },
      async () => ({ agents: await acdCall(() => desk.list()) }),
    );

    typed.get(
      '/acd/agents/:agentId',
      { onRequest: agentOrSupervisor, config: { audit: 'acd.agent.get', errors: ['notFound'] }, schema: { params: Params, summary: 'One agent and its state', response: { 200: AgentView } } },
      async (request) => {
        const { agentId } = request.params;
        requireSelfOrSupervisor(request, agentId);
        const agent = await acdCall(() => desk.get(agentId));
        if (!agent) throw noSuchAgent(agentId);
        return agent;
      },
    );

    typed.get(
      '/acd/agents/:agentId/sip-credentials',
      {
        onRequest: agentOrSupervisor,
        config: { audit: 'acd.agent.sip-credentials', errors: ['notFound'] },
        schema: { params: Params, summary: "The agent's own softphone registration (the agent alone)", response: { 200: CredentialsView } },
      },
      async (request, reply) => {
        const { agentId } = request.params;
        const actor = actorOf(request);
        if (actor.role !== 'agent' || actor.name !== agentId) {
          throw new HttpProblem(HTTP_ERRORS.forbidden, 'SIP credentials go to the agent itself only');
        }
        const agent = await acdCall(() => desk.get(agentId));
        if (!agent || agent.state.kind === 'offline') throw new HttpProblem(HTTP_ERRORS.notFound, 'log in first: the credentials are those of the endpoint logged in with');
        const endpoint = pjsipEndpointName(agent.endpoint);
        if (!endpoint) throw new HttpProblem(HTTP_ERRORS.notFound, `${agent.endpoint} is not a PJSIP endpoint: no softphone credentials`);
        // A password: never kept by a cache on the way.
        reply.header('cache-control', 'no-store');
        return options.credentials(endpoint);
      },
    );

    typed.get(
      '/acd/not-ready-reasons',
      { onRequest: agentOrSupervisor, config: { audit: 'acd.not-ready-reasons.list' }, schema: { summary: 'The reasons an agent may give for not being ready (acd.notReadyReasons), in the config\'s order', response: { 200: ReasonsView } } },
      async () => ({ reasons: Object.entries(options.notReadyReasons ?? {}).map(([code, r]) => ({ code, label: r.label })) }),
    );
    if (!dispositions) return;
    typed.post(
      '/acd/agents/:agentId/wrap-up/disposition',
      {
        onRequest: agentOrSupervisor,
        config: { audit: 'acd.agent.wrap-up.disposition', errors: ['notFound' as const, 'conflict' as const] },
        schema: { params: Params, body: DispositionBody, response: { 200: DispositionView }, summary: "The disposition of the call being wrapped up (again: the last one counts); the wrap-up runs on", description: DISPOSITION_CODES },
      },
      async (request) => {
        const { agentId } = request.params;
        requireSelfOrSupervisor(request, agentId);
        checkDisposition(dispositions, request.body);
        return acdCall(() => dispositions.record(agentId, request.body));
      },
    );

    typed.get(
      '/acd/dispositions',
      { onRequest: agentOrSupervisor, config: { audit: 'acd.dispositions.list' }, schema: { summary: 'The codes a call is classified with in its wrap-up (acd.dispositions)', response: { 200: DispositionsView } } },
      async () => ({ dispositions: [...dispositions.list()], noteMaxLength: MAX_DISPOSITION_NOTE_LENGTH }),
    );
  };
}

/** A supervisor's whole profile for one login: all of it or nothing (then the roster's). */
function oneOffProfile(fields: Omit<LoginBody, 'reason'>): z.infer<typeof OneOffProfile> {
  const parsed = OneOffProfile.safeParse(fields);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message }));
  throw new HttpProblem(
    HTTP_ERRORS.badRequest,
    `a one-off profile needs displayName, endpoint and skills (or none of them, for the roster's): ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
    details,
  );
}

/** An unknown code as a 400 with the configured codes in its message; the dispositions that know it. */
function checkDisposition<D extends Pick<WrapUpDispositions, 'check'>>(dispositions: D | undefined, choice: { code: string; note?: string }): D {
  if (!dispositions) throw new HttpProblem({ status: 400, errorId: 'acd:unknown-disposition', message: 'no dispositions are taken here' }, 'no dispositions are taken here');
  try {
    dispositions.check(choice);
    return dispositions;
  } catch (err) {
    if (err instanceof BadDispositionError) throw new HttpProblem({ status: err.status, errorId: err.code, message: err.message }, err.message);
    throw err;
  }
}

function noSuchAgent(agentId: string): HttpProblem {
  const error = new AcdError('noSuchAgent', `no agent ${agentId}`);
  return new HttpProblem({ status: error.status, errorId: error.code, message: error.message }, error.message);
}
