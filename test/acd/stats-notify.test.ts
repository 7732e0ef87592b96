/**
 * The figures read after changes: only while a wallboard listens, and at most once per
 * window however many changes come (under load every call changes agents and counters
 * several times). Fake timers drive the windows; Redis is the run's own.
 */
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAcdStats, type AcdStats } from '../../src/acd/stats/index.js';
import { createTestLogger } from '../support/test-logger.js';
import { useTestRedis } from '../support/test-redis.js';
import { routingConfig, testAcd } from './support.js';

const redis = useTestRedis();
const log = createTestLogger();

let stats: AcdStats | undefined;
afterEach(() => {
  vi.useRealTimers();
  stats?.stop();
  stats = undefined;
});

describe('reads after changes', () => {
  it('reads for changes only while someone listens, and at most once per window however many changes come', async () => {
    const acd = testAcd(redis, undefined, routingConfig);
    const own = redis.duplicate();
    stats = createAcdStats({ redis: own, keys: acd.prefix, config: acd.config, log, registry: new Registry(), sampleEveryMs: 60_000, notifyDebounceMs: 10, notifyEveryMs: 1000 });
    await stats.refresh();
    const reads = vi.spyOn(own, 'pipeline');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      // Nobody listens: changes read nothing (the background sample serves /metrics).
      for (let i = 0; i < 5; i++) stats.notify();
      vi.advanceTimersByTime(5000);
      expect(reads).not.toHaveBeenCalled();

      const told: number[] = [];
      let tell: () => void = () => undefined;
      stats.onChange((s) => {
        told.push(s.queues.general!.offered);
        tell();
      });
      const heard = () => new Promise<void>((resolve) => (tell = resolve));
      let next = heard();
      // A recording tells the figures by itself (notify).
      await stats.recorder.queued('general', Date.now());
      vi.advanceTimersByTime(10);
      expect(reads).toHaveBeenCalledTimes(1);
      await next;
      expect(told).toEqual([1]);

      // Twenty changes within the window: one read, when the window ends, sees them all.
      next = heard();
      for (let i = 0; i < 20; i++) await stats.recorder.queued('general', Date.now());
      vi.advanceTimersByTime(900);
      expect(reads).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(100);
      expect(reads).toHaveBeenCalledTimes(2);
      await next;
      expect(told).toEqual([1, 21]);
    } finally {
      vi.useRealTimers();
      stats.stop();
      stats = undefined;
      own.disconnect();
    }
  });
});
