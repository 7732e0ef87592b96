/**
 * The reference ticket backend as a process, for the demo:
 *
 *   CRM_CITY_SECRET=… CRM_PROVINCE_SECRET=… [CRM_INBOUND_SECRET=… HOTLINE_WEBHOOK_URL=http://127.0.0.1:8080/webhooks/ticket-events] \
 *     npx tsx test/support/reference-ticket-backend/main.ts
 *
 * Listens on REF_TICKET_BACKEND_PORT (8090), the sinks `city-tickets` and
 * `provincial-platform` of config/hotline.example.yaml, with a few tickets seeded for the
 * look-ups. With HOTLINE_WEBHOOK_URL set it plays the ticket desk too: for every call the
 * city sink sees end after reaching an agent, it opens a ticket and sends ticket.created.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { sendTicketEvent, startReferenceBackend } from './server.js';

const env = z
  .object({
    CRM_CITY_SECRET: z.string().min(1),
    CRM_PROVINCE_SECRET: z.string().min(1),
    CRM_INBOUND_SECRET: z.string().min(1).optional(),
    HOTLINE_WEBHOOK_URL: z.url().optional(),
    REF_TICKET_BACKEND_PORT: z.coerce.number().int().min(1).max(65535).default(8090),
  })
  .parse(process.env);

const backend = await startReferenceBackend({
  sinks: { 'city-tickets': env.CRM_CITY_SECRET, 'provincial-platform': env.CRM_PROVINCE_SECRET },
  lookupSecret: env.CRM_CITY_SECRET,
  port: env.REF_TICKET_BACKEND_PORT,
});
backend.tickets.add({ ticketNumber: 'SR20250301-0042', callerNumber: '13812345678', state: 'dispatched', createdAt: '2025-03-01T01:30:00Z', handlingUnit: '市住房和城乡建设局', dueDate: '2025-03-08', category: 'complaint' });
backend.tickets.add({ ticketNumber: 'SR20250215-0007', callerNumber: '13812345678', state: 'closed', createdAt: '2025-02-15T02:00:00Z' });
console.log(`reference ticket backend on ${backend.url} (sinks: city-tickets, provincial-platform)`);

const city = backend.recorder('city-tickets');
let seen = 0;
let ticketSeq = 1;
setInterval(() => {
  const fresh = city.messages.slice(seen);
  seen = city.messages.length;
  for (const m of fresh) {
    if (m.type !== 'call.ended' || !env.HOTLINE_WEBHOOK_URL || !env.CRM_INBOUND_SECRET) continue;
    if (!city.ofCall(m.callId).some((x) => x.type === 'call.agent-answered')) continue;
    const started = city.ofCall(m.callId).find((x) => x.type === 'call.started');
    const caller = (started?.body.data as { caller?: string } | undefined)?.caller ?? '';
    const ticketNumber = `SR${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${String(ticketSeq++).padStart(4, '0')}`;
    backend.tickets.add({ ticketNumber, callerNumber: caller, state: 'accepted', createdAt: new Date().toISOString() });
    void sendTicketEvent(env.HOTLINE_WEBHOOK_URL, env.CRM_INBOUND_SECRET, {
      schema: 'hotline.ticket-event/v1',
      eventId: randomUUID(),
      type: 'ticket.created',
      occurredAt: new Date().toISOString(),
      data: { ticketNumber, callerNumber: caller, callId: m.callId },
    }).then((r) => console.log(`ticket ${ticketNumber} for call ${m.callId}: hotline answered ${r.status}`), (err: Error) => console.error(`ticket ${ticketNumber}: ${err.message}`));
  }
  if (fresh.length > 0) {
    console.log(`received: city ${city.messages.length} (+${city.duplicates} repeats), province ${backend.recorder('provincial-platform').messages.length}`);
  }
}, 1000);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void backend.close().then(() => process.exit(0)));
}
