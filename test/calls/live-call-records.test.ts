/**
 * A live call record holds the caller's whole number: it lives no longer than its use.
 * Ended: kept a short while (for a late reconcile), then gone by itself. Gone from Asterisk
 * while nobody watched: finished as dropped at the next reconcile, then kept like any ended record.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallRecord } from '../../src/calls/call-record.js';
import { countingLogger } from '../support/test-logger.js';
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

  it('a reconcile finishes the records of calls whose channels Asterisk no longer has, as dropped', async () => {
    const first = await startHarness({ speed: 1 });
    const channel = first.sim.placeCall({ from: '13812345678', dialled: '12345' });
    const index = `${first.keyPrefix}calls:live-index`;
    await vi.waitFor(async () => expect(await first.service.redis.zscore(index, channel.id)).not.toBeNull(), { timeout: 5000, interval: 20 });
    await first.crash();
    // The caller hangs up while no service watches: nobody writes the end.
    first.sim.hangupFromCaller(channel.id);
    await vi.waitFor(() => expect(first.sim.channels().map((c) => c.id)).not.toContain(channel.id), { timeout: 5000, interval: 20 });

    const { log, count } = countingLogger();
    const second = await startHarness({ simulator: first.sim, keyPrefix: first.keyPrefix, log });
    open.push(second, first);
    await vi.waitFor(async () => expect(await second.service.redis.zscore(index, channel.id)).toBeNull(), { timeout: 5000, interval: 20 });
    // Kept as an ended record for the ended-record TTL, like any call's.
    const stored = JSON.parse((await second.service.redis.get(`${first.keyPrefix}calls:live:${channel.id}`))!) as CallRecord;
    expect(stored).toMatchObject({ outcome: 'dropped', endedBy: 'asterisk', phases: { ended: expect.any(String) } });
    expect(await second.service.redis.ttl(`${first.keyPrefix}calls:live:${channel.id}`)).toBeLessThanOrEqual(second.config.calls.endedRecordTtlSeconds);
    // One call.ended, numbered after the call's last event, with the id fixed for this call.
    const ends = second.events.filter((e) => e.type === 'call.ended');
    expect(ends).toEqual([expect.objectContaining({ id: `ended-${stored.callId}`, callId: stored.callId, sequence: stored.lastEventSequence, data: expect.objectContaining({ outcome: 'dropped', endedBy: 'asterisk', channelId: channel.id }) })]);
    expect(stored.endUnseen).toEqual({ lastSeenAt: expect.any(String), foundGoneAt: stored.phases.ended });
    // A later reconcile (after the WebSocket dropped) finds nothing more to end.
    await vi.waitFor(() => expect(count(/reconciled with Asterisk/)).toBe(1), { timeout: 5000, interval: 20 });
    second.sim.dropWebSockets();
    await vi.waitFor(() => expect(count(/reconciled with Asterisk/)).toBe(2), { timeout: 10_000, interval: 20 });
    expect(second.events.filter((e) => e.type === 'call.ended')).toHaveLength(1);
  });
});

