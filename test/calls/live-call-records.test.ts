/**
 * A live call record holds the caller's whole number: it lives no longer than its use.
 * Ended: kept a short while (for a late reconcile), then gone by itself. Gone from Asterisk
 * while nobody watched: removed at the next reconcile.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../support/service-harness.js';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0).reverse()) await h.close();
});

describe('live call records in Redis', () => {
  it('an ended call keeps its record only for calls.endedRecordTtlSeconds, and leaves the live index', async () => {
    const h = await startHarness();
    open.push(h);
    const key = (id: string): string => `${h.keyPrefix}calls:live:${id}`;
    const index = `${h.keyPrefix}calls:live-index`;
    const channel = h.sim.placeCall({ from: '13812345678', dialled: '12345' });
    await vi.waitFor(async () => expect(await h.service.redis.zscore(index, channel.id)).not.toBeNull(), { timeout: 5000, interval: 20 });
    const liveTtl = await h.service.redis.ttl(key(channel.id));
    expect(liveTtl).toBeGreaterThan(h.config.calls.endedRecordTtlSeconds);

    await h.ended(channel.id);
    await vi.waitFor(
      async () => {
        const ttl = await h.service.redis.ttl(key(channel.id));
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(h.config.calls.endedRecordTtlSeconds);
      },
      { timeout: 5000, interval: 20 },
    );
    expect(await h.service.redis.zscore(index, channel.id)).toBeNull();
  });

  it('a reconcile removes the records of calls whose channels Asterisk no longer has', async () => {
    const first = await startHarness({ speed: 1 });
    const channel = first.sim.placeCall({ from: '13812345678', dialled: '12345' });
    const index = `${first.keyPrefix}calls:live-index`;
    await vi.waitFor(async () => expect(await first.service.redis.zscore(index, channel.id)).not.toBeNull(), { timeout: 5000, interval: 20 });
    await first.crash();
    // The caller hangs up while no service watches: nobody writes the end.
    first.sim.hangupFromCaller(channel.id);
    await vi.waitFor(() => expect(first.sim.channels().map((c) => c.id)).not.toContain(channel.id), { timeout: 5000, interval: 20 });

    const second = await startHarness({ simulator: first.sim, keyPrefix: first.keyPrefix });
    open.push(second, first);
    await vi.waitFor(async () => expect(await second.service.redis.exists(`${first.keyPrefix}calls:live:${channel.id}`)).toBe(0), { timeout: 5000, interval: 20 });
    expect(await second.service.redis.zscore(index, channel.id)).toBeNull();
  });
});
