/**
 * Calls through the whole service (simulator → ari-client adapter → call session → Redis →
 * domain events): how much time the service adds to a call beyond its prompt, alone and
 * with many calls at once, and how many calls a second it carries. The welcome prompt is
 * fixed at 200 ms, so overhead = time from the call arriving to its end − 200 ms.
 * Medians over several runs; it measures, it never asserts.
 *
 *   npx tsx bench/call-throughput.ts      (BENCH_RUNS=5 BENCH_CALLS=400 to change)
 */
import pino from 'pino';
import { startAriSimulator } from '../sim/index.js';
import { startHotlineService } from '../src/app/service.js';
import { createAriPort } from '../src/ari/index.js';
import type { DomainEventOf } from '../src/calls/domain-events.js';
import { welcomeFlow } from '../src/calls/welcome-flow.js';
import { loadHotlineConfig } from '../src/app/load-config.js';
import { startPrivateRedis } from './support/private-redis.js';
import { median, percentile, reportFigure } from './support/stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? (process.env.BENCH_QUICK === '1' ? 1 : 3));
const CALLS = Number(process.env.BENCH_CALLS ?? (process.env.BENCH_QUICK === '1' ? 50 : 200));
const PROMPT_MS = 200;
const log = pino({ level: 'silent' });

async function setUp(redisUrl: string) {
  const { ivr: _ivr, crmBridge: _crm, recording: _recording, ...config } = await loadHotlineConfig('config/hotline.example.yaml');
  const sim = await startAriSimulator({ port: 0, username: 'bench', password: 'bench-secret', soundDurationsMs: { 'hotline/zh/welcome': PROMPT_MS } });
  const ari = await createAriPort({ url: sim.url, username: 'bench', password: 'bench-secret', app: 'hotline', requestTimeoutMs: 5000, reconnectMaxDelayMs: 1000, log });
  const service = await startHotlineService({
    env: { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `bench-${Math.random().toString(36).slice(2)}:`, HTTP_HOST: '127.0.0.1', HTTP_PORT: 0 },
    config,
    ari,
    log,
    flows: () => welcomeFlow(config.calls.welcomePrompt),
  });
  const ended = new Map<string, (e: DomainEventOf<'call.ended'>) => void>();
  service.bus.on('call.ended', (e) => ended.get(e.data.channelId)?.(e));
  const call = async (i: number): Promise<number> => {
    const started = performance.now();
    const channel = sim.placeCall({ from: `138${String(i).padStart(8, '0')}`, dialled: '12345' });
    await new Promise<void>((resolve) => ended.set(channel.id, () => resolve()));
    ended.delete(channel.id);
    return performance.now() - started - PROMPT_MS;
  };
  return {
    call,
    async close() {
      await service.shutdown(0);
      await sim.close();
    },
  };
}

async function main(): Promise<void> {
  const redis = await startPrivateRedis();
  const idle: number[] = [];
  const loaded: number[] = [];
  const rates: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const rig = await setUp(redis.url);
      for (let i = 0; i < 30; i++) idle.push(await rig.call(i));
      const started = performance.now();
      const overheads = await Promise.all(Array.from({ length: CALLS }, (_, i) => rig.call(1000 + i)));
      rates.push(CALLS / ((performance.now() - started) / 1000));
      loaded.push(...overheads);
      await rig.close();
    }
  } finally {
    redis.stop();
  }
  const rows = [
    { metric: 'overhead per call, one at a time (median)', value: median(idle), unit: 'ms' },
    { metric: `overhead per call, ${CALLS} at once (median)`, value: median(loaded), unit: 'ms' },
    { metric: `overhead per call, ${CALLS} at once (p95)`, value: percentile(loaded, 95), unit: 'ms' },
    { metric: `ratio loaded / idle (medians)`, value: median(loaded) / median(idle), unit: '×' },
    { metric: `calls completed per second, ${CALLS} at once (median of runs)`, value: median(rates), unit: 'calls/s' },
  ];
  console.log(`call throughput: ${RUNS} runs, ${PROMPT_MS} ms prompt, medians`);
  console.table(rows.map((r) => ({ metric: r.metric, value: `${r.value.toFixed(1)} ${r.unit}` })));
  for (const r of rows) reportFigure('call-throughput', r.metric, r.value, r.unit);
}

await main();
