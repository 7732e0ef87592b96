/**
 * The reference ticket backend in a process of its own, for bench/crm-bridge-throughput.ts:
 * a real backend is another machine, so its request handling should not share the bridge's
 * event loop (in one process the figure mixes both sides' CPU). Started over IPC with the
 * sinks' secrets in CRM_CITY_SECRET / CRM_PROVINCE_SECRET; it sends {url} once listening,
 * and answers every {count: true} with how many distinct events each sink holds.
 */
import { z } from 'zod';
import { startReferenceBackend } from '../../sim/ticket-backend/server.js';

export const BACKEND_SINKS = ['city-tickets', 'provincial-platform'] as const;

const env = z.object({ CRM_CITY_SECRET: z.string().min(1), CRM_PROVINCE_SECRET: z.string().min(1) }).parse(process.env);
const send = process.send?.bind(process);
if (!send) throw new Error('start this through bench/crm-bridge-throughput.ts (it talks over IPC)');
const backend = await startReferenceBackend({
  sinks: { [BACKEND_SINKS[0]]: env.CRM_CITY_SECRET, [BACKEND_SINKS[1]]: env.CRM_PROVINCE_SECRET },
  lookupSecret: 'x',
});
const Ask = z.object({ count: z.literal(true) });
process.on('message', (message) => {
  if (!Ask.safeParse(message).success) return;
  send({
    counts: Object.fromEntries(BACKEND_SINKS.map((s) => [s, backend.recorder(s).messages.length])),
    duplicates: BACKEND_SINKS.reduce((n, s) => n + backend.recorder(s).duplicates, 0),
  });
});
process.on('disconnect', () => void backend.close().then(() => process.exit(0)));
send({ url: backend.url });
