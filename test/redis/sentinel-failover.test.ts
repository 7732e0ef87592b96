/**
 * Redis behind Sentinel, with real processes (a master, a replica, three Sentinels): the
 * service's client finds the master through the Sentinels, and when the master dies it
 * follows the promoted replica by itself; commands fail fast meanwhile (nobody waits on
 * Redis) and succeed again on the new master.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedis } from '../../src/redis/connection.js';
import { sentinelGroup, type SentinelGroup } from '../support/redis-sentinel-group.js';

let group: SentinelGroup;
const clients: Array<{ quit(): Promise<unknown>; disconnect(): void }> = [];

beforeAll(async () => {
  group = await sentinelGroup();
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await group?.close();
});

it('finds the master through the Sentinels and follows a failover', { timeout: 60_000 }, async () => {
  const redis = createRedis({ url: group.url, keyPrefix: 'test:' });
  clients.push(redis);
  await redis.set('test:before', '1');
  const firstMaster = await group.masterPort();
  expect(Number((await redis.info('server')).match(/tcp_port:(\d+)/)?.[1])).toBe(firstMaster);

  // Writes keep coming while the master dies: some fail fast, none hangs, and they resume on the new master.
  let written = 0;
  let failed = 0;
  let writing = true;
  const writer = (async () => {
    while (writing) {
      try {
        await redis.incr('test:counter');
        written++;
      } catch {
        failed++;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  })();
  await expect.poll(() => written, { timeout: 5000 }).toBeGreaterThan(10);
  const { from, to } = await group.failover();
  expect(to).not.toBe(from);
  const writtenAtFailover = written;
  await expect.poll(() => written, { timeout: 20_000 }).toBeGreaterThan(writtenAtFailover + 10);
  writing = false;
  await writer;
  expect(Number((await redis.info('server')).match(/tcp_port:(\d+)/)?.[1])).toBe(to);
  expect(await redis.get('test:before')).toBe('1');
  expect(failed).toBeGreaterThan(0);
});
