/**
 * The live figures' history over the run's Redis: two instances sampling the same minutes
 * leave one sample per minute, samples older than the retention go, and the history route
 * validates `hours`, answers supervisors only, and gives each sample its arrivals.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { AcdConfigSchema } from '../../src/acd/index.js';
import { HistorySampler, HistoryStore, liveSnapshot, NO_AGENTS, NO_COUNTS, statsKeys, type AcdStats, type LiveSnapshot } from '../../src/acd/stats/index.js';
import { ApiAuth } from '../../src/http/auth.js';
import { acdStatsHistoryRoutes } from '../../src/http/routes/acd-stats-history.js';
import { buildHttpServer } from '../../src/http/server.js';
import { createTestLogger } from '../support/test-logger.js';
import { useTestRedis } from '../support/test-redis.js';

const redis = useTestRedis();
const log = createTestLogger();
const MINUTE = 60_000;
const HOUR = 3_600_000;
// A minute's start; the samples below are read a few seconds into their minutes.
const T = Math.floor(Date.now() / MINUTE) * MINUTE - 30 * MINUTE;

/** The live figures at `at` with `offered` calls so far and `waiting` waiting in general. */
function figuresAt(at: number, offered: number, waiting = 0): LiveSnapshot {
  const general = { counters: { ...NO_COUNTS, offered }, waiting: { count: waiting, oldestEnqueuedAt: waiting > 0 ? at - 5000 : null }, agents: { ...NO_AGENTS, ready: 2 }, serviceLevel: { seconds: 20, targetPercent: 90 } };
  return liveSnapshot({ at, queues: { general }, centreAgents: { ...NO_AGENTS, ready: 2 }, callbacksPending: 0 });
}

function store(prefix: string, retentionMs = 24 * HOUR): HistoryStore {
  return new HistoryStore({ redis, keys: statsKeys(prefix), retentionMs });
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('history sampler', () => {
  it('two instances sampling the same minutes leave one sample per minute, the first offered', async () => {
    const prefix = `test:history:${randomUUID()}:`;
    let now = T + 2000;
    let aFigures = figuresAt(T + 1000, 3);
    let bFigures = figuresAt(T + 1500, 3, 1);
    const a = new HistorySampler({ store: store(prefix), snapshot: () => aFigures, log, now: () => now });
    const b = new HistorySampler({ store: store(prefix), snapshot: () => bFigures, log, now: () => now });

    expect(await a.sample()).toBe(true);
    expect(await b.sample()).toBe(false);
    // Looking again within the minute stores nothing more, on either instance.
    now = T + 40_000;
    aFigures = figuresAt(T + 39_000, 4);
    bFigures = figuresAt(T + 39_500, 4);
    expect(await a.sample()).toBe(false);
    expect(await b.sample()).toBe(false);
    // The next minute: B is first this time.
    now = T + MINUTE + 3000;
    bFigures = figuresAt(T + MINUTE + 2000, 6, 2);
    aFigures = figuresAt(T + MINUTE + 2500, 6, 2);
    expect(await b.sample()).toBe(true);
    expect(await a.sample()).toBe(false);

    const kept = await store(prefix).read(T - HOUR, T + HOUR);
    expect(kept.map((s) => [s.at, s.readAt])).toEqual([
      [T, T + 1000],
      [T + MINUTE, T + MINUTE + 2000],
    ]);
    expect(kept[1]!.queues.general).toMatchObject({ waiting: 2, offered: 6, agents: { ready: 2 } });
    expect(await redis.zcard(statsKeys(prefix).history())).toBe(2);
  });

  it('offers no stale figures: a minute whose figures were not read stays empty', async () => {
    const prefix = `test:history:${randomUUID()}:`;
    const sampler = new HistorySampler({ store: store(prefix), snapshot: () => figuresAt(T, 1), log, now: () => T + 11_000 });
    expect(await sampler.sample()).toBe(false);
    expect(await redis.exists(statsKeys(prefix).history())).toBe(0);
  });

  it('drops the samples older than the retention, and the key goes when nobody samples', async () => {
    const prefix = `test:history:${randomUUID()}:`;
    const history = store(prefix, 2 * HOUR);
    for (const minutesAgo of [300, 250, 181, 180, 60]) {
      const at = T - minutesAgo * MINUTE;
      await new HistorySampler({ store: history, snapshot: () => figuresAt(at + 1000, 1), log, now: () => at + 2000 }).sample();
    }
    // Each store trims to two hours before the sample it stores: the last one, 60 minutes ago, keeps 180 (just two hours older) and itself.
    expect((await history.read(0, T + HOUR)).map((s) => (T - s.at) / MINUTE)).toEqual([180, 60]);
    const ttl = await redis.pttl(statsKeys(prefix).history());
    expect(ttl).toBeGreaterThan(2 * HOUR);
    expect(ttl).toBeLessThanOrEqual(3 * HOUR);
  });
});

describe('GET /acd/stats/history', () => {
  const SUPERVISOR = 'history-supervisor-token-01';
  const AGENT = 'history-agent-token-000001';

  async function serve(prefix: string): Promise<string> {
    const config = AcdConfigSchema.parse({ skills: ['general'], queues: { general: { skill: 'general' } }, statsHistory: { retentionHours: 6 } });
    const history = store(prefix, config.statsHistory.retentionHours * HOUR);
    const auth = new ApiAuth([{ name: 'wall', role: 'supervisor', token: SUPERVISOR }, { name: 'seat', role: 'agent', token: AGENT }], log);
    const stats = { history } as Pick<AcdStats, 'history'>;
    app = await buildHttpServer({ log, plugins: [acdStatsHistoryRoutes({ stats, auth, now: () => T + 10 * MINUTE })] });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  }

  const get = (base: string, query: string, token = SUPERVISOR) => fetch(`${base}/acd/stats/history${query}`, { headers: { authorization: `Bearer ${token}` } });

  it('answers the last N hours with each sample\'s arrivals; a new day starts the count again', async () => {
    const prefix = `test:history:${randomUUID()}:`;
    const history = store(prefix);
    const offered: Array<[number, number]> = [[-200, 50], [-3, 10], [-2, 14], [-1, 2]];
    for (const [minutes, count] of offered) await history.add({ ...figuresAt(T + minutes * MINUTE + 1000, count), at: T + minutes * MINUTE, readAt: T + minutes * MINUTE + 1000 } as never);
    const base = await serve(prefix);

    const res = await get(base, '?hours=1');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { slotSeconds: number; samples: Array<{ at: number; queues: Record<string, { arrivals: number | null; offered: number }>; centre: { arrivals: number | null } }> };
    expect(body.slotSeconds).toBe(60);
    // The sample 200 minutes ago is outside the hour asked for.
    expect(body.samples.map((s) => (s.at - T) / MINUTE)).toEqual([-3, -2, -1]);
    expect(body.samples.map((s) => s.queues.general!.arrivals)).toEqual([null, 4, 2]);
    expect(body.samples.map((s) => s.centre.arrivals)).toEqual([null, 4, 2]);
    expect((await (await get(base, '?hours=6')).json() as { samples: unknown[] }).samples).toHaveLength(4);
    // Four hours when not asked.
    expect((await (await get(base, '')).json() as { samples: unknown[] }).samples).toHaveLength(4);
  });

  it('refuses an hours outside 1 … the retention, or not a whole number (400), and agents (403)', async () => {
    const base = await serve(`test:history:${randomUUID()}:`);
    for (const query of ['?hours=0', '?hours=7', '?hours=1.5', '?hours=abc', '?hours=-2']) {
      const res = await get(base, query);
      expect(res.status, query).toBe(400);
      expect(await res.json()).toMatchObject({ error_id: 'invalid-request' });
    }
    expect((await get(base, '?hours=6')).status).toBe(200);
    expect((await get(base, '?hours=1', AGENT)).status).toBe(403);
    expect((await fetch(`${base}/acd/stats/history`)).status).toBe(401);
  });
});
