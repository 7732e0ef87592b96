/**
 * The ticket events a ticket backend sends in (schema `hotline.ticket-event/v1`):
 *   ticket.created    → the caller gets the acceptance SMS (Shangrao art. 14)
 *   ticket.closed     → the satisfaction callback is scheduled (Wuding §3(4))
 *   ticket.supervised → the ticket is under supervision: a human callback (Shangrao art. 13(5), (7))
 * Parsed with zod at the door; docs/ticket-backend-api.yaml is generated from these schemas.
 */
import { z } from 'zod';

export const TICKET_EVENT_SCHEMA_V1 = 'hotline.ticket-event/v1';

const Phone = z.string().regex(/^\+?[0-9]{3,20}$/, 'a phone number: digits, optionally a leading +');
export const TicketNumberSchema = z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'letters, digits and -, at most 40');
const IsoDate = z.iso.date().describe('YYYY-MM-DD');
const IsoDateTime = z.iso.datetime({ offset: true });

const Envelope = z.object({
  schema: z.literal(TICKET_EVENT_SCHEMA_V1),
  eventId: z.string().min(1).max(200).describe('unique per event; equals the X-Hotline-Event-Id header'),
  occurredAt: IsoDateTime,
});

export const TicketCreatedSchema = Envelope.extend({
  type: z.literal('ticket.created'),
  data: z.object({
    ticketNumber: TicketNumberSchema,
    callerNumber: Phone,
    /** The call the ticket was taken on, when it came from a call. */
    callId: z.string().min(1).nullable().default(null),
    category: z.string().min(1).max(60).optional(),
    handlingUnit: z.string().min(1).max(200).optional(),
    dueDate: IsoDate.optional(),
    /** False when the caller declined SMS or the channel has none. */
    sendAcceptanceSms: z.boolean().default(true),
  }),
});

export const TicketClosedSchema = Envelope.extend({
  type: z.literal('ticket.closed'),
  data: z.object({
    ticketNumber: TicketNumberSchema,
    callerNumber: Phone,
    callId: z.string().min(1).nullable().default(null),
    closedAt: IsoDateTime,
    handlingUnit: z.string().min(1).max(200).optional(),
    /** False when the caller asked not to be called back. */
    satisfactionCallback: z.boolean().default(true),
  }),
});

export const TicketSupervisedSchema = Envelope.extend({
  type: z.literal('ticket.supervised'),
  data: z.object({
    ticketNumber: TicketNumberSchema,
    callerNumber: Phone.optional(),
    reason: z.enum(['dissatisfied-twice', 'overdue', 'leader-instruction', 'other']),
    since: IsoDateTime,
    note: z.string().max(500).optional(),
  }),
});

export const TicketEventSchema = z.discriminatedUnion('type', [TicketCreatedSchema, TicketClosedSchema, TicketSupervisedSchema]);
export type TicketEvent = z.infer<typeof TicketEventSchema>;
export type TicketEventType = TicketEvent['type'];
export type TicketEventOf<T extends TicketEventType> = Extract<TicketEvent, { type: T }>;
