/**
 * Where other features hear of ticket events (the acceptance SMS listens for
 * ticket.created, the satisfaction callback for ticket.closed and ticket.supervised).
 *
 * Handlers run after the event is stored in Redis and may run more than once for one
 * event (after a crash, or when a handler threw and the event is retried), so they must be
 * idempotent by `event.eventId`. A handler that throws makes the event retried later; it
 * never loses it.
 */
import type { TicketEvent, TicketEventOf, TicketEventType } from './inbound-events.js';

export type TicketEventHandler<E = TicketEvent> = (event: E) => void | Promise<void>;

export class TicketEventHub {
  private readonly byType = new Map<TicketEventType, Set<TicketEventHandler>>();
  private readonly all = new Set<TicketEventHandler>();

  on<T extends TicketEventType>(type: T, handler: TicketEventHandler<TicketEventOf<T>>): () => void {
    let set = this.byType.get(type);
    if (!set) this.byType.set(type, (set = new Set()));
    const h = handler as TicketEventHandler;
    set.add(h);
    return () => set.delete(h);
  }

  onAny(handler: TicketEventHandler): () => void {
    this.all.add(handler);
    return () => this.all.delete(handler);
  }

  /** Runs every handler; rejects with all their errors when any threw. */
  async dispatch(event: TicketEvent): Promise<void> {
    const errors: unknown[] = [];
    for (const handler of [...(this.byType.get(event.type) ?? []), ...this.all]) {
      try {
        await handler(event);
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, `${errors.length} ticket event handler(s) failed`);
  }
}
