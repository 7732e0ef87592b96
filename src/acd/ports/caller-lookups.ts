/**
 * What the screen pop asks the ticket backend about a caller. Structurally the ticket
 * bridge's look-up client (its `openTicketsOf` and `repeatCallerCount`), declared here so
 * the ACD does not import the bridge: the wiring hands the bridge's client over. A look-up
 * may reject (timeout, open circuit, not configured); the pop answers without it.
 */
export interface CallerOpenTicket {
  ticketNumber: string;
  state: string;
  handlingUnit?: string;
  dueDate?: string;
  createdAt: string;
  category?: string;
  summary?: string;
}

export interface CallerLookups {
  openTicketsOf(callerNumber: string, signal?: AbortSignal): Promise<CallerOpenTicket[]>;
  repeatCallerCount(callerNumber: string, days: number, signal?: AbortSignal): Promise<number>;
}
