/**
 * ACD pick: how long one routing pick takes (median, p99) and how many Redis round trips
 * it costs, with 500 agents logged in and 2,000 calls waiting. Each pick is followed,
 * outside the measurement, by freeing its agent and queueing a fresh call, so every pick
 * sees the same crowd. Round trips are counted with MONITOR: commands Redis received from
 * the picking connection itself (commands a script runs inside Redis are not round trips).
 *
 * Two crowds: every waiting call servable at once; and the first 1,000 in line asking for a
 * skill no agent has, which every pick must pass over. Then the first crowd again with two
 * instances picking at once, each on its own connection.
 *
 *   npx tsx bench/acd-pick.ts        (BENCH_PICKS=2000 to change; writes var/bench/acd-pick.json)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { AcdConfigSchema, AgentStore, CallQueue, Router, acdKeys, type AcdConfig } from '../src/acd/index.js';
import { startPrivateRedis } from './support/private-redis.js';
import { median, percentile, reportFigure } from './support/stats.js';

const AGENTS = 500;
const WAITING = 2000;
const PICKS = Number(process.env.BENCH_PICKS ?? (process.env.BENCH_QUICK === '1' ? 300 : 2000));
const config: AcdConfig = AcdConfigSchema.parse({
  skills: ['general', 'enterprise', 'unstaffed'],
  queues: {
    general: { skill: 'general', minLevel: 4, widening: [{ afterSeconds: 30, minLevel: 2 }, { afterSeconds: 60, skill: 'enterprise', minLevel: 6 }] },
  },
});

interface Figures {
  crowd: string;
  picks: number;
  medianMs: number;
  p99Ms: number;
  roundTripsPerPick: number;
}

async function measure(url: string, crowd: 'all servable' | '1,000 unservable ahead', instances: 1 | 2 = 1): Promise<Figures> {
  const pickers = Array.from({ length: instances }, () => new Redis(url));
  const helper = new Redis(url);
  const watcher = new Redis(url);
  const monitor = await watcher.monitor();
  const keys = acdKeys(`bench-${crowd.replace(/\W+/g, '-')}-${instances}:`);
  const store = new AgentStore({ redis: helper, keys, config });
  const calls = new CallQueue(helper, keys, config);
  const routers = pickers.map((picker) => new Router(picker, keys, config));
  const start = Date.now() - 120_000;

  for (let i = 0; i < AGENTS; i++) {
    const skills: Record<string, number> = i % 4 === 0 ? { enterprise: 1 + (i % 9) } : { general: 1 + (i % 9) };
    await store.login({ id: `agent-${i}`, displayName: `Agent ${i}`, endpoint: `PJSIP/${1000 + i}`, skills }, start + (i % 97));
  }
  let next = 0;
  const enqueue = () => calls.enqueue({ callId: `call-${next}`, queue: 'general', priority: next % 10 === 0 ? 9 : 5, enqueuedAt: start + next++ });
  // Calls that only just came in (no widening yet) asking for a skill nobody has, first in line.
  if (crowd === '1,000 unservable ahead') {
    for (let i = 0; i < 1000; i++) await calls.enqueue({ callId: `call-${next++}`, queue: 'general', skill: 'unstaffed', priority: 10, enqueuedAt: Date.now() });
  }
  while (next < WAITING) await enqueue();

  // The first pick loads the script (EVALSHA, NOSCRIPT, EVAL); measure from the second.
  const release = async (callId: string, agentId: string, now: number) => {
    await calls.dequeue(callId);
    await store.apply(agentId, { type: 'caller-gone', callId }, now);
    await enqueue();
  };
  for (const router of routers) {
    const warm = (await router.pick('general', Date.now()))!;
    await release(warm.callId, warm.agentId, Date.now());
  }

  const selves = new Set(pickers.map((picker) => `${picker.stream.localAddress}:${picker.stream.localPort}`));
  let commands = 0;
  let ends = 0;
  let ended: () => void = () => {};
  const end = new Promise<void>((resolve) => (ended = resolve));
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (!selves.has(source)) return;
    if (args[0]?.toLowerCase() === 'echo' && args[1] === 'bench-end') {
      if (++ends === pickers.length) ended();
    } else commands++;
  });
  await new Promise((r) => setTimeout(r, 50));

  // With two instances both pick at once, each from its own connection, as two services would.
  const timings: number[] = [];
  const each = Math.floor(PICKS / instances);
  await Promise.all(
    routers.map(async (router) => {
      for (let i = 0; i < each; i++) {
        const started = performance.now();
        const pick = await router.pick('general', Date.now());
        timings.push(performance.now() - started);
        if (!pick) throw new Error(`pick ${i} found nothing`);
        await release(pick.callId, pick.agentId, Date.now());
      }
    }),
  );
  for (const picker of pickers) await picker.echo('bench-end');
  await end;

  monitor.disconnect();
  watcher.disconnect();
  for (const picker of pickers) picker.disconnect();
  helper.disconnect();
  const picks = each * instances;
  return { crowd: instances === 1 ? crowd : `${crowd}, two instances at once`, picks, medianMs: median(timings), p99Ms: percentile(timings, 99), roundTripsPerPick: commands / picks };
}

const redis = await startPrivateRedis();
try {
  const results: Figures[] = [];
  for (const crowd of ['all servable', '1,000 unservable ahead'] as const) {
    const figures = await measure(redis.url, crowd);
    results.push(figures);
    const tag = crowd === 'all servable' ? '' : ' (1,000 unservable ahead)';
    reportFigure('acd-pick', `pick median${tag}`, figures.medianMs, 'ms');
    reportFigure('acd-pick', `pick p99${tag}`, figures.p99Ms, 'ms');
    reportFigure('acd-pick', `round trips per pick${tag}`, figures.roundTripsPerPick, '');
  }
  const two = await measure(redis.url, 'all servable', 2);
  results.push(two);
  reportFigure('acd-pick', 'pick median (two instances picking at once)', two.medianMs, 'ms');
  reportFigure('acd-pick', 'pick p99 (two instances picking at once)', two.p99Ms, 'ms');
  reportFigure('acd-pick', 'round trips per pick (two instances picking at once; target 1)', two.roundTripsPerPick, '');
  console.log(`ACD pick with ${AGENTS} agents and ${WAITING} waiting calls`);
  console.table(results.map((r) => ({ ...r, medianMs: r.medianMs.toFixed(3), p99Ms: r.p99Ms.toFixed(3) })));
  mkdirSync('var/bench', { recursive: true });
  writeFileSync('var/bench/acd-pick.json', JSON.stringify({ agents: AGENTS, waiting: WAITING, at: new Date().toISOString(), results }, null, 2) + '\n');
} finally {
  redis.stop();
}
