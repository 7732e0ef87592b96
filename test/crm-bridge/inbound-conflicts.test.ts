/**
 * Inbound ticket events whose id was used before: the same event again is a duplicate (200),
 * another validly signed event under that id is a conflict (409) and nothing of it is kept;
 * a flood of bad signatures is answered 401 each and logged in a bounded number of lines.
 */
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { CrmBridge, TicketEvent } from '../../src/crm-bridge/index.js';
import { crmKeys } from '../../src/crm-bridge/keys.js';
import { ticketWebhookRoutes } from '../../src/http/routes/ticket-webhooks.js';
import { buildHttpServer } from '../../src/http/server.js';
import { sendTicketEvent, type ReferenceBackend } from '../../sim/ticket-backend/server.js';
import { createTestLogger } from '../support/test-logger.js';
import { SECRETS, bridgeConfig, makeBridge, newBus, startBackend, uniquePrefix, waitFor } from './harness.js';

type LogLine = Record<string, unknown> & { msg: string };

function ticketCreated(eventId: string, handlingUnit = '市住建局') {
  return {
    schema: 'hotline.ticket-event/v1',
    eventId,
    type: 'ticket.created',
    occurredAt: '2025-03-01T09:30:00.000+08:00',
    data: { ticketNumber: 'SR20250301-0042', callerNumber: '13812345678', callId: 'call-1', handlingUnit, dueDate: '2025-03-08' },
  };
}

describe('inbound: a re-used event id', () => {
  let backend: ReferenceBackend;
  let bridge: CrmBridge | undefined;
  let http: FastifyInstance | undefined;
  afterEach(async () => {
    await http?.close();
    await bridge?.stop();
    await backend?.close();
  });

  async function serve(prefix: string, received: TicketEvent[]) {
    backend = await startBackend();
    bridge = makeBridge(bridgeConfig(backend), newBus(), prefix, { onTicketEvent: (e) => void received.push(e) });
    await bridge.start();
    const lines: LogLine[] = [];
    const log = createTestLogger({ stream: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) }, level: 'debug' });
    http = await buildHttpServer({ log, plugins: [ticketWebhookRoutes({ inbound: bridge.inbound! })] });
    return { url: `${await http.listen({ host: '127.0.0.1', port: 0 })}/webhooks/ticket-events`, lines };
  }

  it('answers the same event again 200 duplicate, however it is serialised, and another event under its id 409', async () => {
    const received: TicketEvent[] = [];
    const { url } = await serve(uniquePrefix(), received);
    const send = (event: { eventId: string }, body?: string) => sendTicketEvent(url, SECRETS.CRM_INBOUND_SECRET, event, body === undefined ? {} : { body });

    expect((await send(ticketCreated('evt-1'))).status).toBe(202);
    expect(await send(ticketCreated('evt-1'))).toEqual({ status: 200, body: { eventId: 'evt-1', type: 'ticket.created', status: 'duplicate' } });
    // The sender re-serialised it: other key order, indentation, a default written out.
    const original = ticketCreated('evt-1');
    const reordered = { data: { ...original.data, sendAcceptanceSms: true }, type: original.type, eventId: original.eventId, occurredAt: original.occurredAt, schema: original.schema };
    expect((await send(original, JSON.stringify(reordered, null, 2))).status).toBe(200);

    const conflict = await send(ticketCreated('evt-1', '市交通运输局'));
    expect(conflict).toEqual({
      status: 409,
      body: { error_id: 'event-id-conflict', message: 'event id evt-1 was received before with other content; a new event needs a new id' },
    });

    // Nothing of the refused event was kept: the handlers see the first evt-1, then evt-2.
    expect((await send(ticketCreated('evt-2', '市交通运输局'))).status).toBe(202);
    await waitFor('evt-2 to be handled', () => received.some((e) => e.eventId === 'evt-2'));
    expect(received.map((e) => [e.eventId, e.type === 'ticket.created' ? e.data.handlingUnit : undefined])).toEqual([
      ['evt-1', '市住建局'],
      ['evt-2', '市交通运输局'],
    ]);
  });

  it('answers an id marked before markers held a digest as a duplicate (its content cannot be compared)', async () => {
    const prefix = uniquePrefix();
    const received: TicketEvent[] = [];
    const { url } = await serve(prefix, received);
    const redis = new Redis(inject('redisUrl'));
    try {
      await redis.set(crmKeys(prefix).inboundSeen('evt-old'), '1', 'EX', 600);
    } finally {
      await redis.quit();
    }
    const again = await sendTicketEvent(url, SECRETS.CRM_INBOUND_SECRET, ticketCreated('evt-old'));
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate' } });
  });

  it('answers a flood of bad signatures 401 each and logs it in a bounded number of lines', async () => {
    const received: TicketEvent[] = [];
    const { url, lines } = await serve(uniquePrefix(), received);
    const statuses = new Set<number>();
    for (let i = 0; i < 40; i++) statuses.add((await sendTicketEvent(url, 'not-the-secret', ticketCreated(`evt-forged-${i}`))).status);
    expect([...statuses]).toEqual([401]);
    await http!.close();
    const refused = lines.filter((l) => String(l.msg).startsWith('ticket event refused'));
    expect(refused.map((l) => l.total ?? 'first')).toEqual(['first', 39]);
    expect(refused[0]).toMatchObject({ route: 'POST /webhooks/ticket-events', outcome: 'bad-signature', why: 'signature refused: signature does not match' });
    expect(received).toEqual([]);
  });
});
