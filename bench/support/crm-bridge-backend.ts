/**
 * The sink side of bench/crm-bridge-throughput.ts in a process of its own: a real backend
 * is another machine, so its request handling should not share the bridge's event loop (in
 * one process the figure mixes both sides' CPU). The reference ticket backend by default;
 * BENCH_SINK=lean a bare receiver (crm-bridge-lean-sink.ts). Started over IPC with the
 * sinks' secrets in CRM_CITY_SECRET / CRM_PROVINCE_SECRET (the look-up's in CRM_LOOKUP_SECRET); it sends {url} once listening,
 * and answers every {count: true} with how many distinct events each sink holds and the CPU
 * it has used.
 */
import { z } from 'zod';
import { startReferenceBackend } from '../../sim/ticket-backend/server.js';
import { startLeanSink } from './crm-bridge-lean-sink.js';

export const BACKEND_SINKS = ['city-tickets', 'provincial-platform'] as const;

const env = z
  .object({ CRM_CITY_SECRET: z.string().min(1), CRM_PROVINCE_SECRET: z.string().min(1), BENCH_SINK: z.enum(['reference', 'lean']).default('reference'), CRM_LOOKUP_SECRET: z.string().min(1).default('x') })
  .parse(process.env);
const send = process.send?.bind(process);
if (!send) throw new Error('start this through bench/support/backend-process.ts (it talks over IPC)');
const secrets = { [BACKEND_SINKS[0]]: env.CRM_CITY_SECRET, [BACKEND_SINKS[1]]: env.CRM_PROVINCE_SECRET };
const side =
  env.BENCH_SINK === 'lean'
    ? await startLeanSink(secrets)
    : await startReferenceBackend({ sinks: secrets, lookupSecret: env.CRM_LOOKUP_SECRET }).then((backend) => ({
        url: backend.url,
        count: (sink: string) => backend.recorder(sink).messages.length,
        close: () => backend.close(),
      }));
const Ask = z.object({ count: z.literal(true) });
process.on('message', (message) => {
  if (!Ask.safeParse(message).success) return;
  const cpu = process.cpuUsage();
  send({ counts: Object.fromEntries(BACKEND_SINKS.map((s) => [s, side.count(s)])), cpuMs: (cpu.user + cpu.system) / 1000 });
});
process.on('disconnect', () => void side.close().then(() => process.exit(0)));
send({ url: side.url });
