/**
 * The in-memory adapter of the look-up port: for tests and demos of the features that
 * use it (screen pop, IVR ticket status) without a ticket backend. It honours the same
 * contract as the HTTP adapter, including rejecting when the caller's signal aborts.
 */
import type { OpenTicket, TicketBackendClient, TicketStatus } from './ports/ticket-backend.js';

export interface MemoryTicketData {
  tickets?: Array<OpenTicket & { callerNumber: string }>;
  /** callerNumber → ISO times of the caller's contacts. */
  contacts?: Record<string, string[]>;
}

export class MemoryTicketClient implements TicketBackendClient {
  private readonly tickets: Array<OpenTicket & { callerNumber: string }>;
  private readonly contacts: Record<string, string[]>;

  constructor(data: MemoryTicketData = {}, private readonly now: () => number = Date.now) {
    this.tickets = [...(data.tickets ?? [])];
    this.contacts = { ...(data.contacts ?? {}) };
  }

  async statusOf(ticketNumber: string, signal: AbortSignal): Promise<TicketStatus | null> {
    signal.throwIfAborted();
    const t = this.tickets.find((x) => x.ticketNumber === ticketNumber);
    if (!t) return null;
    const { ticketNumber: n, state, handlingUnit, dueDate } = t;
    return { ticketNumber: n, state, ...(handlingUnit ? { handlingUnit } : {}), ...(dueDate ? { dueDate } : {}) };
  }

  async openTicketsOf(callerNumber: string, signal?: AbortSignal): Promise<OpenTicket[]> {
    signal?.throwIfAborted();
    return this.tickets.filter((t) => t.callerNumber === callerNumber && t.state !== 'closed').map(({ callerNumber: _, ...t }) => t);
  }

  async repeatCallerCount(callerNumber: string, days: number, signal?: AbortSignal): Promise<number> {
    signal?.throwIfAborted();
    const since = this.now() - days * 86_400_000;
    return (this.contacts[callerNumber] ?? []).filter((at) => Date.parse(at) >= since).length;
  }
}
