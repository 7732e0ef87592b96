import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTicketClient } from '../../src/crm-bridge/http-ticket-client.js';
import { CRM_BRIDGE_ERRORS, MemoryTicketClient } from '../../src/crm-bridge/index.js';
import type { ReferenceBackend } from '../../sim/ticket-backend/server.js';
import { SECRETS, startBackend } from './harness.js';
import { CONTRACT_DATA, ticketClientContract } from './ticket-client-contract.js';

let backend: ReferenceBackend;
beforeAll(async () => {
  backend = await startBackend(3000);
  for (const t of CONTRACT_DATA.tickets) backend.tickets.add(t);
  for (const [number, times] of Object.entries(CONTRACT_DATA.contacts)) for (const at of times) backend.tickets.addContact(number, at);
});
afterAll(async () => backend?.close());

const httpClient = (overrides: Partial<ConstructorParameters<typeof HttpTicketClient>[0]> = {}) =>
  new HttpTicketClient({ baseUrl: backend.url, secret: SECRETS.CRM_CITY_SECRET, timeoutMs: 300, circuitBreaker: { failureThreshold: 2, openMs: 300 }, ...overrides });

ticketClientContract('http', () => httpClient());
ticketClientContract('memory', () => new MemoryTicketClient(CONTRACT_DATA));

describe('ticket look-ups: a slow or failing backend never holds a call', () => {
  it('gives up after its timeout while the backend is still thinking', async () => {
    backend.lookupDelayMs = 3000;
    try {
      const started = Date.now();
      const error = await httpClient().statusOf('SR-1', new AbortController().signal).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: CRM_BRIDGE_ERRORS.lookupTimeout });
      // Logical bound, not a benchmark: it did not wait for the backend's answer.
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      backend.lookupDelayMs = 0;
    }
  });

  it('opens the circuit after repeated failures, refuses at once without asking, then closes after a good trial', async () => {
    const client = httpClient();
    backend.lookupFault.set('timeout');
    for (let i = 0; i < 2; i++) {
      await expect(client.statusOf('SR-1', new AbortController().signal)).rejects.toMatchObject({ code: CRM_BRIDGE_ERRORS.lookupTimeout });
    }
    expect(client.breaker.state).toBe('open');
    backend.lookupFault.recover();
    backend.lookupFault.set('down');
    await expect(client.openTicketsOf('13812345678')).rejects.toMatchObject({ code: CRM_BRIDGE_ERRORS.circuitOpen });
    // Refused without a request: the 'down' fault is still armed for the next request that gets through.
    backend.lookupFault.recover();
    await new Promise((r) => setTimeout(r, 350));
    expect(client.breaker.state).toBe('half-open');
    expect(await client.statusOf('SR-1', new AbortController().signal)).toMatchObject({ state: 'dispatched' });
    expect(client.breaker.state).toBe('closed');
  });

  it('does not count a caller hanging up against the backend', async () => {
    const client = httpClient();
    backend.lookupDelayMs = 200;
    try {
      for (let i = 0; i < 3; i++) {
        const controller = new AbortController();
        setTimeout(() => controller.abort(new Error('caller hung up')), 20);
        await expect(client.statusOf('SR-1', controller.signal)).rejects.toThrow('caller hung up');
      }
      expect(client.breaker.state).toBe('closed');
    } finally {
      backend.lookupDelayMs = 0;
    }
  });

  it('refuses an answer of the wrong shape and a wrong secret', async () => {
    const wrongSecret = httpClient({ secret: 'nope' });
    await expect(wrongSecret.statusOf('SR-1', new AbortController().signal)).rejects.toMatchObject({ code: CRM_BRIDGE_ERRORS.lookupFailed });
  });
});
