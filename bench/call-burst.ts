/**
 * A storm: 200 calls arriving at 50 a second (a typhoon, a city-wide water cut). For each
 * call, the time from its StasisStart frame reaching the application to the application's
 * answer request leaving it (bench/support/ari-probe.ts), p50/p95/p99, against the same
 * figure for calls arriving one at a time. The same calls go to the whole service and to
 * the two floor apps (bare ari-client; raw HTTP + WebSocket), each in its own process on a
 * core of its own. Medians over runs; it measures, it never asserts.
 *
 *   npx tsx bench/call-burst.ts     (BENCH_RUNS=3 BENCH_BURST=200 BENCH_RATE=50; BENCH_QUICK=1 for a short run;
 *                                    BENCH_APPS=service,service-ivr,ari-client,raw: which to run, service-ivr being
 *                                    the service with callers who hang up after the transfer prompt, as the floors do)
 */
import { pin, pinning, startRig, callsAtRate, type AppKind, type CallerPath } from './support/call-rig.js';
import { startPrivateRedis } from './support/private-redis.js';
import { median, percentile, reportFigure } from './support/stats.js';
import { writeBenchJson } from './support/bench-json.js';

const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = Number(process.env.BENCH_RUNS ?? (QUICK ? 1 : 3));
const BURST = Number(process.env.BENCH_BURST ?? (QUICK ? 60 : 200));
const RATE = Number(process.env.BENCH_RATE ?? 50);
const SINGLE = QUICK ? 10 : 20;
/** A burst caller's whole call (menu, queue, a short talk): BENCH_HOLD_MS, default below. */

interface AppFigures {
  single: number[];
  burst: { p50: number; p95: number; p99: number }[];
  /** CPU (user + system) over the burst's window less the idle rate, per call. */
  cpuMsPerCall: number[];
  idleCpuMsPerS: number[];
}

pin(process.pid, 1);
const redis = await startPrivateRedis();
/** What runs the calls: an app, and for the service `service-ivr`, the same service with callers who go only the floor apps' way. */
type Runner = AppKind | 'service-ivr';
const apps = (process.env.BENCH_APPS ?? 'service,service-ivr,ari-client,raw').split(',') as Runner[];
const runnerOf = (r: Runner): { app: AppKind; callerPath: CallerPath } => (r === 'service-ivr' ? { app: 'service', callerPath: 'ivr' } : { app: r, callerPath: 'whole' });
const HOLD_MS = Number(process.env.BENCH_HOLD_MS ?? 6000);
const figures = new Map<Runner, AppFigures>(apps.map((a) => [a, { single: [], burst: [], cpuMsPerCall: [], idleCpuMsPerS: [] }]));
try {
  for (let run = 0; run < RUNS; run++) {
    for (const app of apps) {
      const rig = await startRig({ ...runnerOf(app), redisUrl: redis.url, agents: BURST });
      await rig.app.window();
      for (let i = 0; i < SINGLE; i++) await rig.callers.place(300);
      const single = (await rig.app.window()).answers;
      // Idle CPU (timers, Redis, the outbox's polling) is not the calls': measured once warm, then taken off.
      const idleStarted = performance.now();
      await new Promise((r) => setTimeout(r, 2000));
      const idle = await rig.app.window();
      const idleCpuPerMs = (idle.cpuUserMs + idle.cpuSystemMs) / (performance.now() - idleStarted);
      const burstStarted = performance.now();
      await callsAtRate(rig.callers, BURST, RATE, HOLD_MS);
      const window = await rig.app.window();
      const burstCpuMs = window.cpuUserMs + window.cpuSystemMs - idleCpuPerMs * (performance.now() - burstStarted);
      const burst = window.answers;
      const reached = { ...rig.callers.reached };
      await rig.close();
      const f = figures.get(app)!;
      f.cpuMsPerCall.push(burstCpuMs / BURST);
      f.idleCpuMsPerS.push(idleCpuPerMs * 1000);
      f.single.push(median(single));
      f.burst.push({ p50: percentile(burst, 50), p95: percentile(burst, 95), p99: percentile(burst, 99) });
      console.log(`run ${run + 1} ${app}: one at a time ${median(single).toFixed(2)} ms (${single.length} calls); burst p50/p95/p99 ${percentile(burst, 50).toFixed(2)}/${percentile(burst, 95).toFixed(2)}/${percentile(burst, 99).toFixed(2)} ms (${burst.length} answers); ${(burstCpuMs / BURST).toFixed(2)} CPU ms/call (idle ${(idleCpuPerMs * 1000).toFixed(1)} ms/s taken off); of ${SINGLE + BURST} callers ${reached.menu} heard the menu, ${reached.bridge} reached a bridge`);
    }
  }
} finally {
  redis.stop();
}

const rows: Array<{ metric: string; value: number; unit: string }> = [];
for (const app of apps) {
  const f = figures.get(app)!;
  const single = median(f.single);
  const p99 = median(f.burst.map((b) => b.p99));
  rows.push(
    { metric: `${app}: StasisStart→answer, one at a time (median)`, value: single, unit: 'ms' },
    { metric: `${app}: StasisStart→answer, ${BURST} at ${RATE}/s, p50`, value: median(f.burst.map((b) => b.p50)), unit: 'ms' },
    { metric: `${app}: StasisStart→answer, ${BURST} at ${RATE}/s, p95`, value: median(f.burst.map((b) => b.p95)), unit: 'ms' },
    { metric: `${app}: StasisStart→answer, ${BURST} at ${RATE}/s, p99`, value: p99, unit: 'ms' },
    { metric: `${app}: burst p99 − one-at-a-time median (target ≤ 30 ms for the service)`, value: p99 - single, unit: 'ms' },
  );
}
const cpuOf = (r: Runner): number => (figures.has(r) ? median(figures.get(r)!.cpuMsPerCall) : Number.NaN);
for (const app of apps) rows.push({ metric: `${app}: CPU per call in the burst`, value: cpuOf(app), unit: 'ms' });
// The whole call (queue, agent, bridge, ticket events) against the floors' IVR-only call,
// and the service on the floors' own path (menu, key, transfer prompt, hang up): the same call.
rows.push(
  { metric: 'service CPU per whole call / bare ari-client app (target ≤ 1.5×)', value: cpuOf('service') / cpuOf('ari-client'), unit: '×' },
  { metric: 'service CPU per whole call / raw HTTP + WebSocket app', value: cpuOf('service') / cpuOf('raw'), unit: '×' },
  { metric: "service CPU per call on the floors' path / bare ari-client app (target ≤ 1.5×)", value: cpuOf('service-ivr') / cpuOf('ari-client'), unit: '×' },
  { metric: "service CPU per call on the floors' path / raw HTTP + WebSocket app", value: cpuOf('service-ivr') / cpuOf('raw'), unit: '×' },
);
console.log(`call burst: ${RUNS} runs, medians; ${pinning}`);
console.table(rows.map((r) => ({ metric: r.metric, value: `${r.value.toFixed(2)} ${r.unit}` })));
for (const r of rows) reportFigure('call-burst', r.metric, r.value, r.unit);
writeBenchJson('call-burst', { runs: RUNS, burst: BURST, rate: RATE, pinning, figures: Object.fromEntries(figures), rows });
