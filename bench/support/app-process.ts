/**
 * One ARI application in a process of its own, for the call benchmarks: the whole service
 * (BENCH_APP=service), the bare ari-client floor (ari-client) or the raw floor (raw). The
 * parent (bench/support/call-rig.ts) pins it to a core and talks to it over the IPC channel:
 * `{ id, op: 'window' | 'gc' | 'stop' }`, answered `{ id, result }`. The probe is imported
 * first so it sees every frame and request.
 */
import { takeWindow } from './ari-probe.js';
import pino from 'pino';
import { z } from 'zod';
import { startHotlineService } from '../../src/app/service.js';
import { createAriPort } from '../../src/ari/index.js';
import { agentSeat, benchServiceConfig, CRM_SECRETS } from './bench-config.js';
import { startAriClientFloor, startRawFloor } from './floor-apps.js';

const Env = z.object({
  BENCH_APP: z.enum(['service', 'ari-client', 'raw']),
  ARI_URL: z.string().url(),
  ARI_USERNAME: z.string(),
  ARI_PASSWORD: z.string(),
  REDIS_URL: z.string().optional(),
  SINK_BASE_URL: z.string().optional(),
  BENCH_AGENTS: z.coerce.number().int().min(0).default(0),
});
const env = Env.parse(process.env);
const target = { url: env.ARI_URL, username: env.ARI_USERNAME, password: env.ARI_PASSWORD, app: 'hotline' };

async function start(): Promise<() => Promise<void>> {
  if (env.BENCH_APP === 'ari-client') {
    const app = await startAriClientFloor(target);
    return async () => app.close();
  }
  if (env.BENCH_APP === 'raw') {
    const app = await startRawFloor(target);
    return async () => app.close();
  }
  // Info-level logs as in production, written where they cost their formatting but no disk
  // (BENCH_SERVICE_LOG=<file> keeps them).
  const log = pino({ level: 'info' }, pino.destination({ dest: process.env.BENCH_SERVICE_LOG ?? '/dev/null', sync: false }));
  const config = await benchServiceConfig(env.SINK_BASE_URL);
  const ari = await createAriPort({ ...target, requestTimeoutMs: 5000, reconnectMaxDelayMs: 1000, log });
  const service = await startHotlineService({
    env: { REDIS_URL: env.REDIS_URL!, REDIS_KEY_PREFIX: `bench-${process.pid}:`, HTTP_HOST: '127.0.0.1', HTTP_PORT: 0 },
    config,
    ari,
    log,
    crmSecrets: CRM_SECRETS,
  });
  // BENCH_WALLBOARD=1: one supervisor's wallboard watching, as /acd/live does (the figures read
  // after changes, each snapshot serialised), so that the statistics' cost under load is measured too.
  if (process.env.BENCH_WALLBOARD === '1') service.acd!.stats.onChange((snapshot) => void JSON.stringify({ type: 'snapshot', data: snapshot }));
  for (let i = 0; i < env.BENCH_AGENTS; i++) {
    const seat = agentSeat(i);
    await service.acd!.desk.login({ id: seat, displayName: seat, endpoint: `PJSIP/${seat}`, skills: { general: 1 + (i % 9) } });
  }
  return () => service.shutdown(0);
}

const stop = await start();
const Request = z.object({ id: z.number(), op: z.enum(['window', 'gc', 'stop']) });
process.on('message', async (raw) => {
  const { id, op } = Request.parse(raw);
  if (op === 'gc') {
    (globalThis as { gc?: () => void }).gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    process.send!({ id, result: { heapUsed, rss } });
  } else if (op === 'window') {
    process.send!({ id, result: takeWindow() });
  } else {
    await stop();
    process.send!({ id, result: null }, () => process.exit(0));
  }
});
process.send!({ ready: true });
