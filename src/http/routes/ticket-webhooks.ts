/**
 * Ticket events in: `POST /webhooks/ticket-events`, signed like the outbound messages.
 * 401 for a missing, wrong or stale signature; 400 with every reason for a bad body;
 * 202 when stored now, 200 when this event id was received before (idempotent). A 2xx is
 * sent only after the event is in Redis.
 *
 * The signature covers the raw bytes, so this plugin keeps JSON bodies as the raw string
 * (its own content-type parser, in its own encapsulated scope: other routes keep fastify's).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InboundRejection, type InboundReceiver } from '../../crm-bridge/index.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';

export interface TicketWebhookRouteOptions {
  /** `bridge.inbound` (register this plugin only when the bridge has an `inbound` section). */
  inbound: InboundReceiver;
}

const Receipt = z.object({
  eventId: z.string(),
  type: z.enum(['ticket.created', 'ticket.closed', 'ticket.supervised']),
  status: z.enum(['accepted', 'duplicate']),
});

export function ticketWebhookRoutes(options: TicketWebhookRouteOptions): FastifyPluginAsync {
  return async (app) => {
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    app.withTypeProvider<ZodTypeProvider>().post(
      '/webhooks/ticket-events',
      { schema: { response: { 200: Receipt, 202: Receipt } } },
      async (request, reply) => {
        const raw = typeof request.body === 'string' ? request.body : '';
        try {
          const receipt = await options.inbound.receive(request.headers, raw);
          return reply.status(receipt.status === 'accepted' ? 202 : 200).send(receipt);
        } catch (err) {
          if (err instanceof InboundRejection) {
            const spec = err.kind === 'bad-signature' ? HTTP_ERRORS.badSignature : HTTP_ERRORS.badRequest;
            throw new HttpProblem(spec, err.message, err.kind === 'bad-body' ? err.issues : undefined);
          }
          throw err;
        }
      },
    );
  };
}
