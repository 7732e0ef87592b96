/**
 * The SMS API for supervisors: what became of a ticket's texts, and the opt-out list.
 *   GET    /sms/tickets/:ticketNumber   every text of the ticket: purpose, state, attempts, gateway ids, code
 *   GET    /sms/opt-outs/:number        { number, optedOut }
 *   PUT    /sms/opt-outs/:number        the number gets no more texts (204)
 *   DELETE /sms/opt-outs/:number        it does again (204)
 * The list holds keyed digests, not numbers: it can answer for a number, never list them.
 * `:number` is checked as in caller-number.ts.
 */
import type { FastifyPluginAsync, onRequestAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TicketNumberSchema } from '../../crm-bridge/inbound-events.js';
import type { SmsService } from '../../sms/index.js';
import { storeCall } from '../store-call.js';
import { callerNumberParams } from './caller-number.js';

export interface SmsRouteOptions {
  sms: Pick<SmsService, 'statusOf' | 'optOut'>;
  hotlineNumbers: readonly string[];
  /** Runs first on every route here (rate limit, token, role). */
  guard: onRequestAsyncHookHandler;
}

export function smsRoutes(options: SmsRouteOptions): FastifyPluginAsync {
  const { sms } = options;
  const params = callerNumberParams(options.hotlineNumbers);
  const TicketParams = z.object({ ticketNumber: TicketNumberSchema });

  return async (app) => {
    app.addHook('onRequest', options.guard);
    const typed = app.withTypeProvider<ZodTypeProvider>();

    typed.get('/sms/tickets/:ticketNumber', { schema: { params: TicketParams }, config: { audit: 'sms.ticket' } }, async (request) => ({
      ticketNumber: request.params.ticketNumber,
      texts: await storeCall(() => sms.statusOf(request.params.ticketNumber)),
    }));

    typed.get('/sms/opt-outs/:number', { schema: { params }, config: { audit: 'sms.opt-out.get' } }, async (request) => ({
      number: request.params.number,
      optedOut: await storeCall(() => sms.optOut.has(request.params.number)),
    }));

    typed.put('/sms/opt-outs/:number', { schema: { params }, config: { audit: 'sms.opt-out.put' } }, async (request, reply) => {
      await storeCall(() => sms.optOut.add(request.params.number));
      return reply.status(204).send();
    });

    typed.delete('/sms/opt-outs/:number', { schema: { params }, config: { audit: 'sms.opt-out.delete' } }, async (request, reply) => {
      await storeCall(() => sms.optOut.remove(request.params.number));
      return reply.status(204).send();
    });
  };
}
