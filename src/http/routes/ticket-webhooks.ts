/**
 * Ticket events in: `POST /webhooks/ticket-events`, signed like the outbound messages.
 * 401 for a missing, wrong or stale signature; 400 with every reason for a bad body;
 * 202 when stored now, 200 when this event was received before (idempotent), 409 when its
 * id was received before with other content; 503 when the store does not answer in time.
 * A 2xx is sent only after the event is in Redis.
 *
 * Refused signatures are counted and logged once a minute, not one line each: whoever can
 * reach the port can otherwise fill the log.
 *
 * The signature covers the raw bytes, so this plugin keeps JSON bodies as the raw string
 * (its own content-type parser, in its own encapsulated scope: other routes keep fastify's).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InboundRejection, type InboundReceiver } from '../../crm-bridge/index.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';
import { RefusalTally } from '../refusal-tally.js';
import { storeCall } from '../store-call.js';

export interface TicketWebhookRouteOptions {
  /** `bridge.inbound` (register this plugin only when the bridge has an `inbound` section). */
  inbound: InboundReceiver;
  /** How long refused signatures are counted before one line says how many (default one minute). */
  refusalLogWindowMs?: number;
}

const Receipt = z.object({
  eventId: z.string(),
  type: z.enum(['ticket.created', 'ticket.closed', 'ticket.supervised']),
  status: z.enum(['accepted', 'duplicate']),
});

const REJECTION_ERRORS = {
  'bad-signature': HTTP_ERRORS.badSignature,
  'bad-body': HTTP_ERRORS.badRequest,
  'event-id-conflict': HTTP_ERRORS.eventIdConflict,
} as const;

const ROUTE = 'POST /webhooks/ticket-events';

export function ticketWebhookRoutes(options: TicketWebhookRouteOptions): FastifyPluginAsync {
  return async (app) => {
    const refusals = new RefusalTally(app.log, 'ticket event refused: bad signature', options.refusalLogWindowMs);
    app.addHook('onClose', async () => refusals.flush());
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    app.withTypeProvider<ZodTypeProvider>().post('/webhooks/ticket-events', { schema: { response: { 200: Receipt, 202: Receipt } } }, async (request, reply) => {
      const raw = typeof request.body === 'string' ? request.body : '';
      try {
        const receipt = await storeCall(() => options.inbound.receive(request.headers, raw));
        return reply.status(receipt.status === 'accepted' ? 202 : 200).send(receipt);
      } catch (err) {
        if (!(err instanceof InboundRejection)) throw err;
        if (err.kind === 'bad-signature') refusals.count(ROUTE, 'bad-signature', { why: err.message });
        throw new HttpProblem(REJECTION_ERRORS[err.kind], err.message, err.kind === 'bad-body' ? err.issues : undefined);
      }
    });
  };
}
