/**
 * Ticket bridge throughput: the ceiling of domain events delivered end to end (bus →
 * Redis outbox → signed POST → reference ticket backend) on this machine, with one sink
 * and with two, and how fast the outbox alone stores events. Medians over several runs;
 * it measures, it never asserts.
 *
 *   npx tsx bench/crm-bridge-throughput.ts       (BENCH_RUNS=5 BENCH_EVENTS=20000 to change)
 *
 * Uses a private redis-server when one is on the PATH, else REDIS_URL. The reference
 * backend runs in a process of its own (bench/support/crm-bridge-backend.ts), as a real
 * one runs on another machine; BENCH_BACKEND=inline runs it in this process instead, so
 * both sides share one event loop (the figure the first measurements were taken with).
 * BENCH_SINK=lean puts a bare receiver there instead of the reference backend, whose
 * fastify and full schema check cost more CPU per event than the bridge itself (the CPU rows
 * show each process's share).
 * BENCH_ONLY=store|1|2 runs one of the three cases (for profiling with --cpu-prof);
 * BENCH_SINK_OPTIONS (JSON) sets the sinks' concurrency and pipelining.
 */
import { Redis } from 'ioredis';
import pino from 'pino';
import { z } from 'zod';
import { Registry } from 'prom-client';
import { DomainEventBus, type DomainEventPayloads, type DomainEventType } from '../src/calls/index.js';
import { createCrmBridge } from '../src/crm-bridge/index.js';
import { startReferenceBackend } from '../sim/ticket-backend/server.js';
import { startPrivateRedis } from './support/private-redis.js';
import { processSinkSide, type SinkSide } from './support/backend-process.js';
import { median, reportFigure } from './support/stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? (process.env.BENCH_QUICK === '1' ? 1 : 3));
const EVENTS = Number(process.env.BENCH_EVENTS ?? (process.env.BENCH_QUICK === '1' ? 2000 : 10_000));
const SECRETS = { CRM_CITY_SECRET: 'bench-city', CRM_PROVINCE_SECRET: 'bench-province' };
const INLINE = process.env.BENCH_BACKEND === 'inline';
const LEAN = process.env.BENCH_SINK === 'lean' && !INLINE;
const SINK = LEAN ? 'a lean receiver' : 'the reference backend';
/** Figures of the other set-ups carry it, so var/bench/run.json never mixes them up. */
const TAG = LEAN ? ' [lean receiver]' : INLINE ? ' [backend inline]' : '';
const ONLY = process.env.BENCH_ONLY;
/** Sink settings other than the defaults, e.g. BENCH_SINK_OPTIONS='{"concurrency":64,"pipelining":1}'. */
const SINK_OPTIONS = z.object({ concurrency: z.number().optional(), pipelining: z.number().optional() }).strict().parse(JSON.parse(process.env.BENCH_SINK_OPTIONS ?? '{}'));
const log = pino({ level: 'silent' });

/** One call's events, numbered 1, 2, 3 … as its CallSession numbers them. */
function callPublisher(bus: DomainEventBus, callId: string) {
  let sequence = 0;
  return <T extends DomainEventType>(type: T, data: DomainEventPayloads[T]) => bus.publish(type, callId, data, ++sequence);
}

function publishCalls(bus: DomainEventBus, calls: number): Promise<void> {
  return new Promise((resolve) => {
    let call = 0;
    const burst = () => {
      // 50 calls (500 events) per turn of the event loop: the bus is synchronous, delivery is not.
      for (let i = 0; i < 50 && call < calls; i++, call++) {
        const id = `bench-${call}`;
        const publish = callPublisher(bus, id);
        publish('call.started', { channelId: id, caller: '13812345678', callerName: '', dialled: '12345', line: 'main' });
        publish('call.answered', { channelId: id });
        publish('call.ivr-choice', { node: 'main', input: '2', outcome: 'matched', next: 'queue' });
        publish('call.queued', { queue: 'general', skill: 'general', priority: 0 });
        publish('call.offered', { queue: 'general', agentId: 'a1' });
        publish('call.agent-answered', { queue: 'general', agentId: 'a1', waitedMs: 1000 });
        publish('call.transferred', { target: 'a2', kind: 'agent', by: 'a1' });
        publish('call.emergency', { route: 'emergency-linkage', target: 'PJSIP/110@carrier', outcome: 'answered', label: '110', entry: 'menu', attempts: [{ target: 'PJSIP/110@carrier', outcome: 'answered', cause: null }], answeredAfterMs: 3200, startedAt: new Date().toISOString() });
        publish('call.recorded', { recordingName: id, recordingId: id, durationSeconds: 60, sha256: 'ab'.repeat(32), sm3: 'cd'.repeat(32), sizeBytes: 960_044, retainUntil: '2029-12-02T00:00:00.000Z' });
        publish('call.ended', { channelId: id, outcome: 'completed', endedBy: 'caller', hangupCause: 16, hangupCauseText: null, durationMs: 60_000 });
      }
      if (call < calls) setImmediate(burst);
      else resolve();
    };
    burst();
  });
}

async function inlineSinkSide(): Promise<SinkSide> {
  const backend = await startReferenceBackend({ sinks: { 'city-tickets': SECRETS.CRM_CITY_SECRET, 'provincial-platform': SECRETS.CRM_PROVINCE_SECRET }, lookupSecret: 'x' });
  return {
    url: backend.url,
    counts: async () => ({ 'city-tickets': backend.recorder('city-tickets').messages.length, 'provincial-platform': backend.recorder('provincial-platform').messages.length }),
    cpuMs: async () => 0,
    close: () => backend.close(),
  };
}

/** Redis's CPU so far, in ms (INFO cpu). */
async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? 0);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

interface RunResult {
  seconds: number;
  /** CPU per event, in µs, of this process (the bus, the outbox writer and the deliverers), the backend's and Redis's. */
  cpu: { bridge: number; backend: number; redis: number };
}

/** One run: seconds from the first publish until every sink holds every event (or, with deliver=false, until all are in Redis). */
async function run(redisUrl: string, redisInfo: Redis, side: SinkSide, sinkCount: 1 | 2, deliver: boolean, calls: number): Promise<RunResult> {
  const sinks = [
    { name: 'city-tickets', url: `${side.url}/sinks/city-tickets/events`, secretEnv: 'CRM_CITY_SECRET', ...SINK_OPTIONS },
    { name: 'provincial-platform', url: `${side.url}/sinks/provincial-platform/events`, secretEnv: 'CRM_PROVINCE_SECRET', ...SINK_OPTIONS },
  ].slice(0, sinkCount);
  const before = await side.counts();
  const bus = new DomainEventBus(log);
  const bridge = createCrmBridge({
    config: { sinks, readAhead: 5000 },
    redisUrl,
    keyPrefix: `bench-${Math.random().toString(36).slice(2)}:`,
    bus,
    log,
    secrets: SECRETS,
    registry: new Registry(),
  });
  if (deliver) await bridge.start();
  const cpuBefore = { bridge: process.cpuUsage(), backend: await side.cpuMs(), redis: await redisCpuMs(redisInfo) };
  const started = performance.now();
  await publishCalls(bus, calls);
  const done = deliver
    ? async () => {
        const now = await side.counts();
        return sinks.every((s) => (now[s.name] ?? 0) - (before[s.name] ?? 0) >= calls * 10);
      }
    : async () => (await bridge.stats()).buffered === 0;
  // A bridge that stores or delivers nothing must end the run, not hang it.
  const deadline = performance.now() + 60_000;
  while (!(await done())) {
    if (performance.now() > deadline) throw new Error(`events not ${deliver ? 'delivered' : 'stored'} within 60 s (${sinkCount} sink(s))`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpuBefore.bridge);
  const events = calls * 10;
  const cpu = {
    bridge: (used.user + used.system) / events,
    backend: ((await side.cpuMs()) - cpuBefore.backend) * 1000 / events,
    redis: ((await redisCpuMs(redisInfo)) - cpuBefore.redis) * 1000 / events,
  };
  await bridge.stop();
  return { seconds, cpu };
}

async function main(): Promise<void> {
  const redis = await startPrivateRedis();
  const redisInfo = new Redis(redis.url);
  const side = INLINE ? await inlineSinkSide() : await processSinkSide(SECRETS);
  const events = Math.ceil(EVENTS / 10) * 10;
  const rows: Array<{ metric: string; median: number; unit: string; runs: number[] }> = [];
  try {
    for (const [only, label, short, sinkCount, deliver] of [
      ['store', 'outbox store (no delivery)', 'store', 2, false],
      ['1', 'delivered, 1 sink (target ≥ 5,000)', '1 sink', 1, true],
      ['2', 'delivered, 2 sinks (each event to both)', '2 sinks', 2, true],
    ] as const) {
      if (ONLY && ONLY !== only) continue;
      // A first, smaller run warms the JIT and opens the connections; it is not counted.
      await run(redis.url, redisInfo, side, sinkCount, deliver, Math.max(100, Math.ceil(EVENTS / 50)));
      const results: RunResult[] = [];
      for (let i = 0; i < RUNS; i++) results.push(await run(redis.url, redisInfo, side, sinkCount, deliver, Math.ceil(EVENTS / 10)));
      const rates = results.map((r) => events / r.seconds);
      rows.push({ metric: label, median: median(rates), unit: 'events/s', runs: rates });
      // Where the CPU goes: what a faster bridge still pays, and what the backend and Redis cost beside it.
      for (const part of ['bridge', 'backend', 'redis'] as const) {
        if (part === 'backend' && (INLINE || !deliver)) continue;
        const values = results.map((r) => r.cpu[part]);
        rows.push({ metric: `CPU per event, ${short}: ${part === 'bridge' ? 'bridge process (bus, outbox, deliverers)' : part === 'backend' ? 'backend process' : 'redis-server'}`, median: median(values), unit: 'µs', runs: values });
      }
    }
  } finally {
    redisInfo.disconnect();
    await side.close();
    redis.stop();
  }
  const one = rows.find((r) => r.metric.startsWith('delivered, 1'))?.median;
  const two = rows.find((r) => r.metric.startsWith('delivered, 2'))?.median;
  if (one !== undefined && two !== undefined) rows.push({ metric: 'ratio 2 sinks / 1 sink', median: two / one, unit: '×', runs: [] });
  if (two !== undefined) rows.push({ metric: 'headroom over 1,000 events/s (2 sinks)', median: two / 1000, unit: '×', runs: [] });

  console.log(`crm-bridge throughput: ${events} events per run, ${RUNS} runs, medians; ${SINK} ${INLINE ? 'in this process' : 'in its own process'}; sink options ${JSON.stringify(SINK_OPTIONS)}`);
  console.table(rows.map((r) => ({ metric: r.metric, median: `${r.median.toFixed(r.unit === '×' ? 2 : 0)} ${r.unit}`, runs: r.runs.map((v) => v.toFixed(0)).join(' ') })));
  console.log('CPU per event: process CPU time over the run divided by the events (2 sinks: each event counted once, delivered twice).');
  // One line per figure for bench/run.ts.
  for (const r of rows) reportFigure('crm-bridge-throughput', `${r.metric}${TAG}`, r.median, r.unit);
}

await main();
