/**
 * The writer's memory of unread events when a deliverer reads an entry before the writer has
 * the reply of its append (the deliverer reads on a connection of its own): the event is not
 * kept as unread for that sink, so a Redis lost afterwards does not have it stored and sent again.
 */
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/calls/index.js';
import { UnreadEvents } from '../../src/crm-bridge/unread-events.js';

const event = (id: string): DomainEvent =>
  ({ id, callId: 'call-1', type: 'call.answered', at: new Date(0).toISOString(), sequence: 2, data: { channelId: 'ch-1' } }) as DomainEvent;

describe('unread events read before they were kept', () => {
  it('keeps an event only for the sinks that had not read it yet', () => {
    const unread = new UnreadEvents();
    unread.read('city', 'e1');
    unread.add(event('e1'), new Map([['city', '100-0'], ['province', '100-1']]));
    unread.read('city', 'e2');
    unread.read('province', 'e2');
    unread.add(event('e2'), new Map([['city', '200-0'], ['province', '200-1']]));
    unread.add(event('e3'), new Map([['city', '300-0']]));
    expect(unread.size).toBe(2);
    expect(unread.takeAll().map((e) => e.id)).toEqual(['e1', 'e3']);
    // e1 is still unread at the province: stored again, it is kept again for it alone.
    unread.add(event('e1'), new Map([['city', '400-0'], ['province', '400-1']]));
    unread.read('province', 'e1');
    expect(unread.size).toBe(1);
  });

  it('an early read is used once: the same event stored again later is kept again', () => {
    const unread = new UnreadEvents();
    unread.read('city', 'e1');
    unread.add(event('e1'), new Map([['city', '100-0']]));
    expect(unread.size).toBe(0);
    unread.add(event('e1'), new Map([['city', '500-0']]));
    expect(unread.size).toBe(1);
  });

  it('remembers a bounded number of early reads, oldest forgotten first', () => {
    const unread = new UnreadEvents();
    for (let i = 0; i <= 10_000; i++) unread.read('city', `early-${i}`);
    unread.add(event('early-0'), new Map([['city', '1-0']]));
    unread.add(event('early-10000'), new Map([['city', '2-0']]));
    expect(unread.takeAll().map((e) => e.id)).toEqual(['early-0']);
  });
});
