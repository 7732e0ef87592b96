/**
 * The live statistics over the run's Redis: what the recorder counts is what the reader
 * reads back, with the calls waiting and the agents by state; a day runs from the centre's
 * local midnight; Redis failing costs figures, never a caller, and is counted.
 */
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AcdConfigSchema, acdKeys, type AcdConfigInput } from '../../src/acd/index.js';
import { createAcdStats, StatsReader, StatsRecorder, statsKeys, type AcdStats } from '../../src/acd/stats/index.js';
import { LastGoodSample } from '../../src/shared/last-good-sample.js';
import { createTestLogger } from '../support/test-logger.js';
import { useTestRedis } from '../support/test-redis.js';
import { agent, routingConfig, T0, testAcd } from './support.js';

const redis = useTestRedis();

// T0 is 2025-11-25 00:00 in Shanghai (2025-11-24 16:00 UTC); the scenario runs an hour later.
const AT = T0 + 3_600_000;
const config: AcdConfigInput = {
  ...routingConfig,
  queues: { ...routingConfig.queues, enterprise: { skill: 'enterprise', overflow: { kind: 'queue', queue: 'general' } } },
};

function logLines() {
  const lines: Array<Record<string, unknown>> = [];
  const log = createTestLogger({ stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }, level: 'debug' });
  return { log, lines };
}

let stats: AcdStats | undefined;
afterEach(() => {
  stats?.stop();
  stats = undefined;
});

describe('recorder and reader', () => {
  it('read back today\'s counters, the calls waiting and the agents who could serve each queue', async () => {
    const acd = testAcd(redis, undefined, config);
    const { log } = logLines();
    const recorder = new StatsRecorder({ redis, keys: statsKeys(acd.prefix), config: acd.config, timeZone: 'Asia/Shanghai', log });
    const reader = new StatsReader({ redis, acdKeys: acdKeys(acd.prefix), statsKeys: statsKeys(acd.prefix), config: acd.config, timeZone: 'Asia/Shanghai' });

    // One second before local midnight: yesterday's, not counted today.
    await recorder.queued('general', T0 - 1);
    // general: 4 queued, 1 more overflowed in from enterprise = 5 offered.
    for (let i = 0; i < 4; i++) await recorder.queued('general', AT);
    await recorder.queued('enterprise', AT);
    await recorder.queued('enterprise', AT);
    await recorder.overflowed('enterprise', AT);
    await recorder.queued('general', AT);
    // Waits 12 s and 15 s are within general's 15 s, 15.001 s is not.
    await recorder.answered('general', 12_000, AT);
    await recorder.answered('general', 15_000, AT);
    await recorder.answered('general', 15_001, AT);
    await recorder.abandoned('general', 40_000, AT);
    await recorder.handled('general', 200_000, AT);
    await recorder.handled('general', 100_000, AT);
    await recorder.answered('enterprise', 3_000, AT);

    // Agents: a1 ready (general), a2 not ready (general + enterprise), a3 a guest (leaders),
    // a4 on a call (enterprise), a5 ringing (general).
    await acd.store.login(agent('a1', { general: 5 }), AT);
    await acd.store.login(agent('a2', { general: 3, enterprise: 7 }), AT, 'lunch');
    await acd.store.login(agent('a3', { leaders: 5 }, 'guest'), AT);
    await acd.store.login(agent('a4', { enterprise: 5 }), AT);
    await acd.store.apply('a4', { type: 'offer', callId: 'x4', queue: 'enterprise' }, AT);
    await acd.store.apply('a4', { type: 'answer', callId: 'x4' }, AT);
    await acd.store.login(agent('a5', { general: 6 }), AT);
    await acd.store.apply('a5', { type: 'offer', callId: 'x5', queue: 'general' }, AT);
    await acd.store.login(agent('a6', { general: 9 }), AT);
    await acd.store.logout('a6', AT);

    // Waiting in general: c1 (priority 0) 30 s, c2 (priority 5, first in line) 10 s, c3 asking
    // for the enterprise skill 50 s: the longest wait is c3's, not the first in line's.
    await acd.calls.enqueue({ callId: 'c1', queue: 'general', priority: 0, enqueuedAt: AT - 30_000 });
    await acd.calls.enqueue({ callId: 'c2', queue: 'general', priority: 5, enqueuedAt: AT - 10_000 });
    await acd.calls.enqueue({ callId: 'c3', queue: 'general', skill: 'enterprise', priority: 0, enqueuedAt: AT - 50_000 });
    await acd.calls.enqueue({ callId: 'c4', queue: 'enterprise', priority: 2, enqueuedAt: AT - 5_000 });

    const snapshot = await reader.read(AT, 7);
    expect(snapshot.queues.general).toEqual({
      waiting: 3,
      longestWaitSeconds: 50,
      offered: 5,
      answered: 3,
      abandoned: 1,
      answeredWithinThreshold: 2,
      serviceLevelPercent: 40, // 2 / 5
      asaSeconds: 14, // 42.001 s / 3 = 14.0003 s
      ahtSeconds: 150, // 300 s / 2
      abandonRatePercent: 20, // 1 / 5
      agents: { ready: 1, notReady: 1, ringing: 1, onCall: 0, wrapUp: 0 },
      callbacksPending: null,
      // The queue's own threshold and target, from the config (defaults: 15 s, 80 %).
      serviceLevelSeconds: 15,
      serviceLevelTargetPercent: 80,
    });
    expect(snapshot.queues.enterprise).toMatchObject({
      waiting: 1,
      longestWaitSeconds: 5,
      offered: 2,
      answered: 1,
      answeredWithinThreshold: 1,
      serviceLevelPercent: 50,
      asaSeconds: 3,
      ahtSeconds: null,
      abandonRatePercent: 0,
      agents: { ready: 0, notReady: 1, ringing: 0, onCall: 1, wrapUp: 0 },
    });
    expect(snapshot.queues.leaders).toMatchObject({ waiting: 0, offered: 0, serviceLevelPercent: null, agents: { ready: 1, notReady: 0, ringing: 0, onCall: 0, wrapUp: 0 } });
    expect(snapshot.centre).toEqual({
      waiting: 4,
      longestWaitSeconds: 50,
      offered: 6, // 5 + 2 - 1 overflowed on
      answered: 4,
      abandoned: 1,
      answeredWithinThreshold: 3,
      serviceLevelPercent: 50, // 3 / 6
      asaSeconds: 11.3, // 45.001 s / 4 = 11.25 s
      ahtSeconds: 150,
      abandonRatePercent: 16.7, // 1 / 6
      agents: { ready: 2, notReady: 1, ringing: 1, onCall: 1, wrapUp: 0 },
      callbacksPending: 7,
    });

    // The counters of a local day, kept a few days.
    const key = `${acd.prefix}acd:stats:2025-11-25:general`;
    expect(await redis.hget(key, 'offered')).toBe('5');
    expect(await redis.hget(`${acd.prefix}acd:stats:2025-11-24:general`, 'offered')).toBe('1');
    expect(await redis.ttl(key)).toBeGreaterThan(3 * 24 * 3600);
  });
});

describe('the background figures', () => {
  it('read again after a recording, tell the listeners and serve /metrics from memory', async () => {
    const acd = testAcd(redis, undefined, config);
    const registry = new Registry();
    const { log } = logLines();
    stats = createAcdStats({ redis, keys: acd.prefix, config: acd.config, log, registry, callbacksPending: () => 3, sampleEveryMs: 60_000, notifyDebounceMs: 10 });
    expect(stats.snapshot()).toBeNull();
    await stats.refresh();
    expect(stats.snapshot()!.centre.offered).toBe(0);

    const seen: number[] = [];
    stats.onChange((s) => seen.push(s.queues.general!.offered));
    await stats.recorder.queued('general', Date.now());
    await vi.waitFor(() => expect(seen).toContain(1), { timeout: 5000 });
    expect(stats.snapshot()!.centre.callbacksPending).toBe(3);

    const text = await registry.metrics();
    expect(text).toContain('hotline_acd_calls_offered_today{queue="general"} 1');
    expect(text).toContain('hotline_acd_calls_waiting{queue="enterprise"} 0');
    expect(text).toContain('hotline_acd_callbacks_pending 3');
    expect(text).toContain('hotline_acd_centre_calls_offered_today 1');

    // A call overflowing from enterprise into general: offered to each queue, to the centre once.
    await stats.recorder.queued('enterprise', Date.now());
    await stats.recorder.overflowed('enterprise', Date.now());
    await stats.recorder.queued('general', Date.now());
    await stats.refresh();
    const after = await registry.metrics();
    expect(after).toContain('hotline_acd_calls_offered_today{queue="general"} 2');
    expect(after).toContain('hotline_acd_calls_offered_today{queue="enterprise"} 1');
    expect(after).toContain('hotline_acd_centre_calls_offered_today 2');
    expect(after).toContain('hotline_acd_centre_calls_waiting 0');
    // Nothing answered yet: no ASA, rather than a misleading 0.
    expect(text).not.toMatch(/hotline_acd_asa_seconds\{/);
  });

  it('a recording Redis refuses resolves, is counted, and is logged once per window', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => undefined);
    const registry = new Registry();
    const { log, lines } = logLines();
    stats = createAcdStats({ redis: dead, keys: 'dead:', config: AcdConfigSchema.parse(config), log, registry, sampleEveryMs: 60_000 });
    await stats.recorder.queued('general', Date.now());
    await stats.recorder.answered('general', 1000, Date.now());
    await stats.recorder.abandoned('general', 1000, Date.now());
    expect(await registry.getSingleMetricAsString('hotline_acd_stats_record_failures_total')).toContain('hotline_acd_stats_record_failures_total 3');
    expect(lines.filter((l) => l.msg === 'ACD statistics not recorded in Redis; the figure is lost, the call goes on')).toHaveLength(1);

    await stats.refresh();
    expect(stats.snapshot()).toBeNull();
    expect(lines.filter((l) => String(l.msg).startsWith('ACD live statistics not read'))).toHaveLength(1);
    dead.disconnect();
  });
});

describe('stopping', () => {
  it('takes its metrics off the registry, so the figures can start again on it', async () => {
    const acd = testAcd(redis, undefined, config);
    const registry = new Registry();
    const { log } = logLines();
    const first = createAcdStats({ redis, keys: acd.prefix, config: acd.config, log, registry, sampleEveryMs: 60_000 });
    await first.refresh();
    first.stop();
    expect(await registry.metrics()).not.toContain('hotline_acd_');
    stats = createAcdStats({ redis, keys: acd.prefix, config: acd.config, log, registry, sampleEveryMs: 60_000 });
    await stats.refresh();
    expect(await registry.metrics()).toContain('hotline_acd_calls_offered_today{queue="general"} 0');
  });
});

describe('LastGoodSample', () => {
  it('keeps the last good value through failed and late reads', async () => {
    const { log, lines } = logLines();
    const answers: Array<() => Promise<number>> = [
      async () => 1,
      async () => {
        throw new Error('Redis away');
      },
      () => new Promise<number>(() => undefined),
      async () => 4,
    ];
    let round = 0;
    const sample = new LastGoodSample<number>({ read: () => answers[round++]!(), everyMs: 60_000, timeoutMs: 50, log, what: 'test figures' });
    expect(sample.value()).toBeNull();
    expect(await sample.refresh()).toBe(true);
    expect(await sample.refresh()).toBe(false);
    expect(await sample.refresh()).toBe(false);
    expect(sample.value()).toBe(1);
    expect(sample.failures).toBe(2);
    expect(sample.failingInARow).toBe(2);
    expect(await sample.refresh()).toBe(true);
    expect(sample.value()).toBe(4);
    expect(sample.failingInARow).toBe(0);
    // The first failure of the streak is logged, the second (inside the window) is not.
    expect(lines.filter((l) => l.msg === 'test figures not read; the last sample stays')).toHaveLength(1);
  });

  it('joins a read in flight instead of starting another', async () => {
    const { log } = logLines();
    let reads = 0;
    let release: (n: number) => void = () => undefined;
    const sample = new LastGoodSample<number>({
      read: () => {
        reads++;
        return new Promise<number>((resolve) => (release = resolve));
      },
      everyMs: 60_000,
      log,
      what: 'test figures',
    });
    const first = sample.refresh();
    const second = sample.refresh();
    release(9);
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(reads).toBe(1);
    expect(sample.value()).toBe(9);
  });
});
