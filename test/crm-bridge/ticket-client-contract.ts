/**
 * The look-up port's contract: every adapter (HTTP against the reference backend, in
 * memory) must pass it. Each adapter's test seeds the same data and calls this.
 */
import { describe, expect, it } from 'vitest';
import type { TicketBackendClient } from '../../src/crm-bridge/index.js';

export const CONTRACT_DATA = {
  tickets: [
    { ticketNumber: 'SR-1', callerNumber: '13812345678', state: 'dispatched' as const, createdAt: '2025-03-01T01:00:00Z', handlingUnit: '市住建局', dueDate: '2025-03-08' },
    { ticketNumber: 'SR-2', callerNumber: '13812345678', state: 'closed' as const, createdAt: '2025-02-01T01:00:00Z' },
    { ticketNumber: 'SR-3', callerNumber: '13900000000', state: 'accepted' as const, createdAt: '2025-03-02T01:00:00Z' },
  ],
  contacts: { '13812345678': [new Date(Date.now() - 86_400_000).toISOString(), new Date(Date.now() - 3 * 86_400_000).toISOString(), '2020-01-01T00:00:00Z'] },
};

export function ticketClientContract(name: string, client: () => TicketBackendClient): void {
  describe(`ticket look-up contract: ${name}`, () => {
    const signal = () => new AbortController().signal;

    it('gives the status of a known ticket and null for an unknown one', async () => {
      expect(await client().statusOf('SR-1', signal())).toEqual({ ticketNumber: 'SR-1', state: 'dispatched', handlingUnit: '市住建局', dueDate: '2025-03-08' });
      expect(await client().statusOf('SR-3', signal())).toEqual({ ticketNumber: 'SR-3', state: 'accepted' });
      expect(await client().statusOf('SR-404', signal())).toBeNull();
    });

    it("lists a caller's open tickets only", async () => {
      const open = await client().openTicketsOf('13812345678');
      expect(open.map((t) => t.ticketNumber)).toEqual(['SR-1']);
      expect(await client().openTicketsOf('13700000000')).toEqual([]);
    });

    it('counts recent contacts of a caller', async () => {
      expect(await client().repeatCallerCount('13812345678', 7)).toBe(2);
      expect(await client().repeatCallerCount('13812345678', 1)).toBe(0);
      expect(await client().repeatCallerCount('13700000000', 30)).toBe(0);
    });

    it('rejects when the caller has already gone', async () => {
      const controller = new AbortController();
      controller.abort(new Error('caller hung up'));
      await expect(client().statusOf('SR-1', controller.signal)).rejects.toThrow();
    });
  });
}
