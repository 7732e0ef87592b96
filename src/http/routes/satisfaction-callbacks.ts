/**
 * Satisfaction surveys, for supervisors: those waiting or being called (numbers masked), one
 * with its attempts and the attempts planned for it, moving a waiting one's next call,
 * cancelling one, and every survey of a ticket with its outcome.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SurveyError, type SatisfactionCallback } from '../../callback/index.js';
import type { ApiAuth } from '../auth.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';
import { storeCall } from '../store-call.js';

const SurveyParams = z.object({ surveyId: z.string().regex(/^sv-[A-Za-z0-9-]{1,80}$/, 'a survey id: sv-<ticket>-<close time>') }).strict();
const TicketParams = z.object({ ticketNumber: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'letters, digits and -, at most 40') }).strict();
const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();
const RescheduleBody = z.object({ at: z.iso.datetime({ offset: true }).describe('when to call next; moved to the calling hours\' next opening when outside them') }).strict();

type Surveys = Pick<SatisfactionCallback, 'pending' | 'inspect' | 'ofTicket' | 'reschedule' | 'cancel'>;

/** A refusal of the survey's own as the API answers it. */
async function served<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await storeCall(task);
  } catch (err) {
    if (!(err instanceof SurveyError)) throw err;
    const spec = err.status === 404 ? HTTP_ERRORS.notFound : err.status === 409 ? HTTP_ERRORS.conflict : HTTP_ERRORS.badRequest;
    throw new HttpProblem(spec, err.message, { code: err.code });
  }
}

export function satisfactionCallbackRoutes(options: { surveys: Surveys; auth: Pick<ApiAuth, 'require'> }): FastifyPluginAsync {
  const guard = options.auth.require('supervisor');
  const { surveys } = options;
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    api.get(
      '/satisfaction-callbacks',
      { onRequest: guard, schema: { querystring: ListQuery, description: 'Satisfaction surveys waiting for their call or being called, numbers masked' }, config: { audit: 'survey.list' } },
      async (request) => served(() => surveys.pending(request.query.limit)),
    );
    api.get(
      '/satisfaction-callbacks/:surveyId',
      { onRequest: guard, schema: { params: SurveyParams, description: 'One survey: state, attempts with their causes, the attempts planned from its close' }, config: { audit: 'survey.inspect' } },
      async (request) => served(() => surveys.inspect(request.params.surveyId)),
    );
    api.post(
      '/satisfaction-callbacks/:surveyId/reschedule',
      { onRequest: guard, schema: { params: SurveyParams, body: RescheduleBody, description: 'Moves a waiting survey\'s next call' }, config: { audit: 'survey.reschedule' } },
      async (request) => served(() => surveys.reschedule(request.params.surveyId, Date.parse(request.body.at))),
    );
    api.post(
      '/satisfaction-callbacks/:surveyId/cancel',
      { onRequest: guard, schema: { params: SurveyParams, description: 'Cancels a survey waiting for its call or an SMS reply' }, config: { audit: 'survey.cancel' } },
      async (request) => served(() => surveys.cancel(request.params.surveyId)),
    );
    api.get(
      '/tickets/:ticketNumber/satisfaction-callbacks',
      { onRequest: guard, schema: { params: TicketParams, description: 'Every survey of a ticket with its outcome and rating, oldest first' }, config: { audit: 'survey.of-ticket' } },
      async (request) => served(async () => ({ ticketNumber: request.params.ticketNumber, surveys: await surveys.ofTicket(request.params.ticketNumber) })),
    );
  };
}
