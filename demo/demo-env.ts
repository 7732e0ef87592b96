/**
 * The demo's own settings, beside the service's environment (src/config/env.ts): where the
 * simulator and the reference ticket backend listen, and the simulator's password (so its
 * control API can be used with credentials the demo prints).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ConfigError, faultsFromZod } from '../src/config/config-error.js';

const port = z.coerce.number().int().min(0).max(65535);

const DemoEnvSchema = z.object({
  /** Port of the built-in ARI simulator (and its /sim control API). */
  SIM_PORT: port.default(8088),
  /** Port of the in-process reference ticket backend; the config's localhost sink URLs follow it. */
  DEMO_TICKET_BACKEND_PORT: port.default(8090),
  /** The simulator's ARI password; a fresh one per run when unset (it is printed at start). */
  ARI_PASSWORD: z.string().min(8, 'at least 8 characters').optional(),
  /** Simulated calls per minute. */
  DEMO_CALLS_PER_MINUTE: z.coerce.number().min(0).max(6000).default(20),
});

export interface DemoEnv {
  simPort: number;
  ticketBackendPort: number;
  ariPassword: string;
  callsPerMinute: number;
}

export function parseDemoEnv(source: NodeJS.ProcessEnv = process.env): DemoEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = DemoEnvSchema.safeParse(cleaned);
  if (!result.success) throw new ConfigError('environment', faultsFromZod('env', result.error));
  const e = result.data;
  return {
    simPort: e.SIM_PORT,
    ticketBackendPort: e.DEMO_TICKET_BACKEND_PORT,
    ariPassword: e.ARI_PASSWORD ?? randomBytes(9).toString('base64url'),
    callsPerMinute: e.DEMO_CALLS_PER_MINUTE,
  };
}
