/**
 * A call that ends while Redis is away: its ended record is stored once Redis takes writes
 * again, and until then a reconcile does not take the call's old live entry for a call gone
 * unseen — else the call would end a second time, `dropped`, at the ticket backend (the soak
 * found this: one call with two call.ended, abandoned and dropped).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallRecord } from '../../src/calls/call-record.js';
import { LiveCallStore } from '../../src/calls/live-call-store.js';
import { createRedis, keyspace } from '../../src/redis/connection.js';
import { redisProcess, redisServerAvailable, type RedisProcess } from '../support/redis-process.js';
import { countingLogger } from '../support/test-logger.js';

let redis: RedisProcess | undefined;
afterEach(async () => {
  await redis?.kill();
});

const record = (channelId: string, ended?: string): CallRecord => ({
  callId: `call-of-${channelId}`,
  channelId,
  caller: { number: '13912345678', name: '' },
  dialled: '12345',
  line: 'main',
  app: 'hotline',
  phases: { entered: '2026-12-03T08:00:00.000Z', ...(ended && { ended }) },
  path: [],
  adopted: false,
  lastEventSequence: ended ? 3 : 1,
  ...(ended && { outcome: 'abandoned', endedBy: 'caller' }),
});

describe.skipIf(!redisServerAvailable())('a call ending while Redis is away', () => {
  it('is stored as ended once Redis is back, and is never found gone unseen meanwhile', async () => {
    redis = await redisProcess({ durable: true });
    const client = createRedis({ url: redis.url, keyPrefix: '', name: 'records' });
    const { log, count } = countingLogger();
    const store = new LiveCallStore(client, keyspace('test:records-away:'), log, { endedTtlSeconds: 300 });
    try {
      store.save(record('ch-a'));
      await vi.waitFor(async () => expect(await store.channelIds()).toEqual(['ch-a']), { timeout: 5000, interval: 20 });

      await redis.kill();
      store.save(record('ch-a', '2026-12-03T08:01:00.000Z'));
      await vi.waitFor(() => expect(count(/could not store live call records/)).toBe(1), { timeout: 15_000, interval: 50 });
      await redis.start();
      // Redis back with the live entry of before: the call is not one that went unseen.
      await vi.waitFor(async () => expect(await client.ping()).toBe('PONG'), { timeout: 10_000, interval: 100 });
      expect(await store.goneUnseen('hotline', () => false)).toEqual([]);

      // The next write Redis takes stores the ended record too.
      store.save(record('ch-b'));
      await vi.waitFor(async () => expect(await store.channelIds()).toEqual(['ch-b']), { timeout: 5000, interval: 20 });
      expect((await store.get('ch-a'))?.phases.ended).toBe('2026-12-03T08:01:00.000Z');
    } finally {
      client.disconnect();
    }
  });
});
