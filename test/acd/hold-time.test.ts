/**
 * The queue's expected wait (src/acd/engine/hold-time.ts): app_queue's moving average, and
 * the read shared by the announcements of one second — one GET per queue and second however
 * many callers wait — while a call answered here is heard at the next announcement.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HoldTimes, nextHoldTime } from '../../src/acd/engine/hold-time.js';
import { useTestRedis } from '../support/test-redis.js';

const redis = useTestRedis();

function holdTimes() {
  const prefix = `hold-${randomUUID()}:`;
  let now = 1_000_000;
  const gets: string[] = [];
  const counted = new Proxy(redis, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (name === 'get' && typeof value === 'function') return (key: string) => (gets.push(key), (value as (k: string) => Promise<string | null>).call(target, key));
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const times = new HoldTimes(counted, (queue) => `${prefix}${queue}`, () => now);
  return { times, gets, advance: (ms: number) => (now += ms), prefix };
}

describe('expected wait of a queue', () => {
  it('moves a quarter of the way towards each answered wait', () => {
    expect(nextHoldTime(null, 60_000)).toBe(60_000);
    expect(nextHoldTime(60_000, 20_000)).toBe(50_000);
  });

  it('serves the announcements of one second with one read per queue', async () => {
    const { times, gets, advance } = holdTimes();
    await times.record('general', 120_000);
    gets.length = 0;
    const heard = await Promise.all(Array.from({ length: 50 }, () => times.expected('general')));
    expect(new Set(heard)).toEqual(new Set([120_000]));
    expect(await times.expected('other')).toBeNull();
    expect(gets).toHaveLength(2);
    advance(1000);
    await times.expected('general');
    expect(gets).toHaveLength(3);
  });

  it('hears a call answered on this instance at the next announcement, and another instance within a second', async () => {
    const { times, advance, prefix } = holdTimes();
    await times.record('general', 60_000);
    expect(await times.expected('general')).toBe(60_000);
    await times.record('general', 20_000);
    expect(await times.expected('general')).toBe(50_000);
    await redis.set(`${prefix}general`, '30000');
    expect(await times.expected('general')).toBe(50_000);
    advance(1000);
    expect(await times.expected('general')).toBe(30_000);
  });
});
