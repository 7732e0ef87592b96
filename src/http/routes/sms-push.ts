/**
 * Where a cloud SMS provider pushes delivery reports and citizens' texts (Aliyun's HTTP
 * batch push, Tencent's callbacks):
 *   POST /webhooks/sms/:token/report
 *   POST /webhooks/sms/:token/reply
 * The providers do not sign their pushes: the path's secret (the gateway's `pushTokenEnv`)
 * is the credential, and a wrong one is answered 404 like any unknown path. A body the
 * provider never sends is 400; otherwise the provider's own answer, which asks it to push
 * again when the report or text could not be stored.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SmsService } from '../../sms/index.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';

const Params = z.object({ token: z.string().min(1).max(200), kind: z.enum(['report', 'reply']) });

export function smsPushRoutes(options: { sms: Pick<SmsService, 'push'> }): FastifyPluginAsync {
  return async (app) => {
    const typed = app.withTypeProvider<ZodTypeProvider>();
    typed.post('/webhooks/sms/:token/:kind', { schema: { params: Params }, bodyLimit: 1024 * 1024 }, async (request, reply) => {
      const answer = await options.sms.push(request.params.token, request.params.kind, request.body);
      if (answer === 'not-found') throw new HttpProblem(HTTP_ERRORS.notFound, 'no such webhook');
      if (answer === null) throw new HttpProblem(HTTP_ERRORS.badRequest, `not a ${request.params.kind} push of this provider`);
      return reply.status(answer.status).send(answer.body);
    });
  };
}
