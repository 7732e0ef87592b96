/**
 * The ticket backend as the IVR's self-service sees it: the status of one ticket by its
 * number. The ticket bridge implements the same shape; until it lands the wiring passes a
 * stand-in. `null` means no such ticket; a rejection, or no answer before the configured
 * timeout (the signal aborts), means the backend could not answer: the caller hears an
 * apology, never a silent line.
 */
export type TicketState = 'accepted' | 'dispatched' | 'in-progress' | 'closed';

export interface TicketStatus {
  ticketNumber: string;
  state: TicketState;
  handlingUnit?: string;
  /** YYYY-MM-DD */
  dueDate?: string;
}

export interface TicketStatusLookup {
  statusOf(ticketNumber: string, signal: AbortSignal): Promise<TicketStatus | null>;
}
