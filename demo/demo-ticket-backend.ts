/**
 * The demo's ticket backend: the reference backend of the tests, listening where the
 * example config's sinks point, so a newcomer sees call events arrive, signed and in order,
 * and the IVR's ticket status self-service finds a ticket.
 */
import type { Logger } from 'pino';
import { startReferenceBackend } from '../sim/ticket-backend/server.js';
import type { CrmBridgeConfig } from '../src/crm-bridge/config-schema.js';

export async function startDemoTicketBackend(
  config: CrmBridgeConfig,
  secrets: Record<string, string>,
  log: Logger,
): Promise<{ close(): Promise<void> }> {
  const first = new URL(config.sinks[0]!.url);
  const backend = await startReferenceBackend({
    sinks: Object.fromEntries(config.sinks.map((s) => [s.name, secrets[s.secretEnv]!])),
    lookupSecret: secrets[config.lookup?.secretEnv ?? config.sinks[0]!.secretEnv]!,
    host: first.hostname,
    port: Number(first.port),
  });
  // Ticket numbers a caller can type on a keypad, for the self-service menu.
  backend.tickets.add({ ticketNumber: '20261121001', callerNumber: '13800000000', state: 'dispatched', createdAt: '2026-11-21T01:30:00Z', handlingUnit: '市住房和城乡建设局', dueDate: '2026-11-28' });
  backend.tickets.add({ ticketNumber: '20261120007', callerNumber: '13800000000', state: 'closed', createdAt: '2026-11-20T02:00:00Z' });
  log.info({ url: backend.url, sinks: config.sinks.map((s) => s.name) }, 'reference ticket backend started for the demo');

  const counts = (): Record<string, number> => Object.fromEntries(config.sinks.map((s) => [s.name, backend.recorder(s.name).messages.length]));
  let last = '';
  const timer = setInterval(() => {
    const now = JSON.stringify(counts());
    if (now !== last) log.info({ received: counts() }, 'ticket backend received call events');
    last = now;
  }, 5000);
  return {
    async close() {
      clearInterval(timer);
      await backend.close();
    },
  };
}
