import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrmBridge, TicketEvent } from '../../src/crm-bridge/index.js';
import { buildHttpServer } from '../../src/http/server.js';
import { ticketWebhookRoutes } from '../../src/http/routes/ticket-webhooks.js';
import { sendTicketEvent, type ReferenceBackend } from '../../sim/ticket-backend/server.js';
import { SECRETS, bridgeConfig, log, makeBridge, newBus, startBackend, uniquePrefix, waitFor } from './harness.js';

function ticketCreated(eventId: string) {
  return {
    schema: 'hotline.ticket-event/v1',
    eventId,
    type: 'ticket.created',
    occurredAt: '2025-03-01T09:30:00.000+08:00',
    data: { ticketNumber: 'SR20250301-0042', callerNumber: '13812345678', callId: 'call-1', handlingUnit: '市住建局', dueDate: '2025-03-08' },
  };
}

describe('inbound: ticket events through the signed webhook', () => {
  let backend: ReferenceBackend;
  const bridges: CrmBridge[] = [];
  const servers: FastifyInstance[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
    for (const b of bridges.splice(0)) await b.stop();
    await backend?.close();
  });

  async function serve(bridge: CrmBridge): Promise<string> {
    const http = await buildHttpServer({ log, plugins: [ticketWebhookRoutes({ inbound: bridge.inbound! })] });
    servers.push(http);
    return `${await http.listen({ host: '127.0.0.1', port: 0 })}/webhooks/ticket-events`;
  }

  it('accepts a signed event once, hands it to the handlers, and answers a repeat as a duplicate', async () => {
    backend = await startBackend();
    const received: TicketEvent[] = [];
    const bridge = makeBridge(bridgeConfig(backend), newBus(), uniquePrefix(), { onTicketEvent: (e) => void received.push(e) });
    bridges.push(bridge);
    const closed: string[] = [];
    bridge.ticketEvents.on('ticket.closed', (e) => void closed.push(e.data.ticketNumber));
    await bridge.start();
    const url = await serve(bridge);

    const first = await sendTicketEvent(url, SECRETS.CRM_INBOUND_SECRET, ticketCreated('evt-1'));
    expect(first).toEqual({ status: 202, body: { eventId: 'evt-1', type: 'ticket.created', status: 'accepted' } });
    const again = await sendTicketEvent(url, SECRETS.CRM_INBOUND_SECRET, ticketCreated('evt-1'));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'duplicate' });
    const close = await sendTicketEvent(url, SECRETS.CRM_INBOUND_SECRET, {
      schema: 'hotline.ticket-event/v1',
      eventId: 'evt-2',
      type: 'ticket.closed',
      occurredAt: '2025-03-05T10:00:00Z',
      data: { ticketNumber: 'SR20250301-0042', callerNumber: '13812345678', closedAt: '2025-03-05T10:00:00Z' },
    });
    expect(close.status).toBe(202);

    await waitFor('both events handled', () => received.length === 2);
    expect(received.map((e) => e.eventId)).toEqual(['evt-1', 'evt-2']);
    expect(received[0]).toMatchObject({ type: 'ticket.created', data: { sendAcceptanceSms: true, callId: 'call-1' } });
    expect(closed).toEqual(['SR20250301-0042']);
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toHaveLength(2);
  });

  it('refuses a wrong, missing or stale signature with 401 and a bad body with 400 and its reasons', async () => {
    backend = await startBackend();
    const received: TicketEvent[] = [];
    const bridge = makeBridge(bridgeConfig(backend), newBus(), uniquePrefix(), { onTicketEvent: (e) => void received.push(e) });
    bridges.push(bridge);
    await bridge.start();
    const url = await serve(bridge);

    const wrong = await sendTicketEvent(url, 'not-the-secret', ticketCreated('evt-w'));
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error_id: 'bad-signature' });
    const stale = await sendTicketEvent(url, SECRETS.CRM_INBOUND_SECRET, ticketCreated('evt-s'), { nowMs: Date.now() - 10 * 60_000 });
    expect(stale.status).toBe(401);
    expect(String((stale.body as { message: string }).message)).toContain('timestamp');
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ticketCreated('evt-u')) });
    expect(unsigned.status).toBe(401);
    const tampered = await sendTicketEvent(url, SECRETS.CRM_INBOUND_SECRET, ticketCreated('evt-t'), {
      body: JSON.stringify(ticketCreated('evt-t')),
      headers: { 'x-hotline-signature': `sha256=${'0'.repeat(64)}` },
    });
    expect(tampered.status).toBe(401);

    const bad = ticketCreated('evt-b') as Record<string, unknown>;
    bad.data = { callerNumber: 'call me', dueDate: '8 March' };
    const badBody = await sendTicketEvent(url, SECRETS.CRM_INBOUND_SECRET, bad as { eventId: string });
    expect(badBody.status).toBe(400);
    const details = (badBody.body as { error_id: string; details: Array<{ path: string }> });
    expect(details.error_id).toBe('invalid-request');
    expect(details.details.map((d) => d.path).sort()).toEqual(['body.data.callerNumber', 'body.data.dueDate', 'body.data.ticketNumber']);

    const unknownType = await sendTicketEvent(url, SECRETS.CRM_INBOUND_SECRET, { ...ticketCreated('evt-x'), type: 'ticket.exploded' });
    expect(unknownType.status).toBe(400);
    const notJson = await sendTicketEvent(url, SECRETS.CRM_INBOUND_SECRET, { eventId: 'evt-j' }, { body: '{"eventId": ' });
    expect(notJson.status).toBe(400);
    const mismatch = await sendTicketEvent(url, SECRETS.CRM_INBOUND_SECRET, ticketCreated('evt-m'), { headers: { 'x-hotline-event-id': 'other' } });
    expect(mismatch.status).toBe(400);

    await new Promise((r) => setTimeout(r, 100));
    expect(received).toEqual([]);
  });

  it('keeps an event answered 2xx through a crash before any handler ran, and retries a failing handler', async () => {
    backend = await startBackend();
    const prefix = uniquePrefix();
    // This instance accepts the webhook but dies before handing the event on (never started).
    const doomed = makeBridge(bridgeConfig(backend), newBus(), prefix);
    const url = await serve(doomed);
    expect((await sendTicketEvent(url, SECRETS.CRM_INBOUND_SECRET, ticketCreated('evt-c'))).status).toBe(202);
    await servers.splice(0)[0]!.close();
    await doomed.stop();

    let failuresLeft = 2;
    const handled: string[] = [];
    const successor = makeBridge(bridgeConfig(backend), newBus(), prefix, {
      onTicketEvent: (e) => {
        if (failuresLeft-- > 0) throw new Error('SMS gateway down');
        handled.push(e.eventId);
      },
    });
    bridges.push(successor);
    await successor.start();
    await waitFor('the event to be handled after two failures', () => handled.length === 1);
    expect(handled).toEqual(['evt-c']);
  });
});
