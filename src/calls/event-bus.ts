/**
 * The in-process bus the call sessions publish domain events on.
 *
 * Synchronous and in order: subscribers see a call's events in the order they happened.
 * A subscriber that throws is logged and skipped; it never breaks the call or the other
 * subscribers. Subscribers that do I/O (the ticket bridge) must make the event durable
 * themselves, quickly, and not hold the emitter.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { DomainEvent, DomainEventOf, DomainEventPayloads, DomainEventType } from './domain-events.js';

type Handler<E> = (event: E) => void;

export class DomainEventBus {
  private readonly byType = new Map<DomainEventType, Set<Handler<DomainEvent>>>();
  private readonly all = new Set<Handler<DomainEvent>>();

  constructor(private readonly log: Logger) {}

  on<T extends DomainEventType>(type: T, handler: Handler<DomainEventOf<T>>): () => void {
    let set = this.byType.get(type);
    if (!set) this.byType.set(type, (set = new Set()));
    const h = handler as Handler<DomainEvent>;
    set.add(h);
    return () => set.delete(h);
  }

  onAny(handler: Handler<DomainEvent>): () => void {
    this.all.add(handler);
    return () => this.all.delete(handler);
  }

  /**
   * Builds the event (id, time) and delivers it. Returns what was delivered. `sequence` is
   * the event's number within its call, which the call keeps (see DomainEventBase).
   */
  publish<T extends DomainEventType>(type: T, callId: string, data: DomainEventPayloads[T], sequence: number): DomainEventOf<T> {
    const event = { id: randomUUID(), callId, sequence, at: new Date().toISOString(), type, data } as DomainEventOf<T>;
    this.deliver(event);
    return event;
  }

  deliver(event: DomainEvent): void {
    for (const handler of [...(this.byType.get(event.type) ?? []), ...this.all]) {
      try {
        handler(event);
      } catch (err) {
        this.log.error({ err, eventType: event.type, callId: event.callId }, 'domain event subscriber failed');
      }
    }
  }

  listenerCount(): number {
    let n = this.all.size;
    for (const set of this.byType.values()) n += set.size;
    return n;
  }
}
