/**
 * The demo's own settings, beside the service's environment (src/config/env.ts): where the
 * simulator and the reference ticket backend listen, the simulator's password (so its
 * control API can be used with credentials the demo prints), and how busy the simulated
 * citizens and agents are.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ConfigError, faultsFromZod } from '../src/config/config-error.js';
import { DEMO_AGENT_ROSTER_SIZE } from './demo-agents.js';

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
  /** Simulated agents logged in to the ACD at start (demo/demo-agents.ts); 0: none, callers wait for their queue's overflow. */
  DEMO_AGENTS: z.coerce.number().int().min(0).max(DEMO_AGENT_ROSTER_SIZE).default(3),
  /** How long a simulated agent talks before hanging up: `<min>-<max>` seconds, drawn per call. */
  DEMO_AGENT_TALK_SECONDS: z
    .string()
    .regex(/^\d{1,4}-\d{1,4}$/, 'a range of seconds such as 10-60')
    .transform((range) => range.split('-').map(Number) as [number, number])
    .refine(([min, max]) => min >= 1 && min <= max, 'at least 1 s, the smaller number first')
    .default([10, 60]),
});

export interface DemoEnv {
  simPort: number;
  ticketBackendPort: number;
  ariPassword: string;
  callsPerMinute: number;
  agents: number;
  /** [min, max] seconds an agent talks. */
  agentTalkSeconds: [number, number];
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
    agents: e.DEMO_AGENTS,
    agentTalkSeconds: e.DEMO_AGENT_TALK_SECONDS,
  };
}
