/**
 * The reference backend's tickets and contacts, for the look-ups (screen pop, IVR ticket
 * status). Seeded by tests and the demo.
 */
export interface StoredTicket {
  ticketNumber: string;
  callerNumber: string;
  state: 'accepted' | 'dispatched' | 'in-progress' | 'closed';
  createdAt: string;
  handlingUnit?: string;
  dueDate?: string;
  category?: string;
  summary?: string;
}

export class TicketStore {
  readonly tickets = new Map<string, StoredTicket>();
  /** callerNumber → ISO times the caller contacted the centre. */
  readonly contacts = new Map<string, string[]>();

  add(ticket: StoredTicket): void {
    this.tickets.set(ticket.ticketNumber, ticket);
  }

  addContact(callerNumber: string, at: string): void {
    const list = this.contacts.get(callerNumber) ?? [];
    list.push(at);
    this.contacts.set(callerNumber, list);
  }

  status(ticketNumber: string) {
    const t = this.tickets.get(ticketNumber);
    if (!t) return null;
    return { ticketNumber: t.ticketNumber, state: t.state, ...(t.handlingUnit ? { handlingUnit: t.handlingUnit } : {}), ...(t.dueDate ? { dueDate: t.dueDate } : {}) };
  }

  openTickets(callerNumber: string) {
    return [...this.tickets.values()]
      .filter((t) => t.callerNumber === callerNumber && t.state !== 'closed')
      .map(({ callerNumber: _, ...t }) => t);
  }

  contactCount(callerNumber: string, days: number, nowMs = Date.now()): number {
    const since = nowMs - days * 86_400_000;
    return (this.contacts.get(callerNumber) ?? []).filter((at) => Date.parse(at) >= since).length;
  }
}
