/**
 * The look-up port: what the agent's screen pop and the IVR's ticket-status self-service
 * ask the ticket backend. Adapters: HTTP (http-ticket-client.ts) and in memory
 * (memory-ticket-client.ts); one contract suite (test/crm-bridge/ticket-client-contract.ts)
 * runs against both.
 *
 * `TicketStatusLookup` is structurally the port the IVR declares on its side; neither
 * feature imports the other. `null` means "no such ticket"; a timeout or an open circuit
 * rejects, so a caller is never held by a slow backend.
 */
import { z } from 'zod';
import { TicketNumberSchema } from '../inbound-events.js';

export const TicketStateSchema = z.enum(['accepted', 'dispatched', 'in-progress', 'closed']);

export const TicketStatusSchema = z.object({
  ticketNumber: TicketNumberSchema,
  state: TicketStateSchema,
  handlingUnit: z.string().optional(),
  dueDate: z.iso.date().optional().describe('YYYY-MM-DD'),
});
export type TicketStatus = z.infer<typeof TicketStatusSchema>;

export const OpenTicketSchema = TicketStatusSchema.extend({
  createdAt: z.iso.datetime({ offset: true }),
  category: z.string().optional(),
  summary: z.string().max(500).optional(),
});
export type OpenTicket = z.infer<typeof OpenTicketSchema>;

export const OpenTicketsReplySchema = z.object({ tickets: z.array(OpenTicketSchema) });
export const ContactCountReplySchema = z.object({ count: z.number().int().min(0) });

export interface TicketStatusLookup {
  statusOf(ticketNumber: string, signal: AbortSignal): Promise<TicketStatus | null>;
}

export interface TicketBackendClient extends TicketStatusLookup {
  /** The caller's tickets not yet closed, for the agent's screen pop. */
  openTicketsOf(callerNumber: string, signal?: AbortSignal): Promise<OpenTicket[]>;
  /** How many times this number contacted the centre in the last `days` days (repeat-caller flag). */
  repeatCallerCount(callerNumber: string, days: number, signal?: AbortSignal): Promise<number>;
}
