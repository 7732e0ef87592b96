/**
 * A deliverer whose read of the pending list fails right after it takes the lease must read
 * that list again before anything new: a call's earlier messages, read by a previous holder
 * and never settled, must not be overtaken by its later ones.
 */
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { CrmBridgeConfigSchema } from '../../src/crm-bridge/config-schema.js';
import type { CrmBridge } from '../../src/crm-bridge/index.js';
import { crmKeys, DELIVERY_GROUP } from '../../src/crm-bridge/keys.js';
import { createCrmBridgeMetrics } from '../../src/crm-bridge/metrics.js';
import { installScripts } from '../../src/crm-bridge/redis-scripts.js';
import { SinkDelivery } from '../../src/crm-bridge/sink-delivery.js';
import type { ReferenceBackend } from '../../sim/ticket-backend/server.js';
import { SECRETS, bridgeConfig, makeBridge, newBus, publishWholeCall, redisUrl, startBackend, uniquePrefix, waitFor } from './harness.js';
import { createTestLogger } from '../support/test-logger.js';

/** A reader connection whose first read of the pending list (id 0, no BLOCK) fails, as a dropped connection would. */
function readerFailingFirstPendingRead(): { reader: Redis; failures: () => number } {
  const reader = new Redis(redisUrl(), { lazyConnect: true });
  const real = reader.xreadgroup.bind(reader) as (...args: unknown[]) => Promise<unknown>;
  let failed = 0;
  (reader as unknown as { xreadgroup: (...args: unknown[]) => Promise<unknown> }).xreadgroup = (...args: unknown[]) => {
    const pendingRead = args.at(-1) === '0' && !args.includes('BLOCK');
    if (pendingRead && failed === 0) {
      failed++;
      return Promise.reject(new Error('Connection is closed.'));
    }
    return real(...args);
  };
  return { reader, failures: () => failed };
}

describe('outbound: a failed pending read right after taking the lease', () => {
  let backend: ReferenceBackend;
  const bridges: CrmBridge[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
    for (const b of bridges.splice(0)) await b.stop();
    await backend?.close();
  });

  it("delivers the call's pending messages before its newer ones", async () => {
    backend = await startBackend();
    const prefix = uniquePrefix();
    const keys = crmKeys(prefix);
    const config = bridgeConfig(backend);

    // First holder: reads the call's first three messages, cannot deliver them (sink down), stops.
    backend.fault('city-tickets').set('down');
    const busA = newBus();
    const first = makeBridge(config, busA, prefix, { instanceId: 'node-a' });
    bridges.push(first);
    await first.start();
    const earlier = publishWholeCall(busA, 'call-p', undefined, [0, 3]);
    const redis = new Redis(redisUrl());
    cleanups.push(() => void redis.disconnect());
    await waitFor('three messages read and pending', async () => ((await redis.xpending(keys.outbox('city-tickets'), DELIVERY_GROUP)) as [number])[0] === 3);
    await first.stop();
    bridges.splice(0);

    // The call goes on: its next two messages are stored (a bridge that only writes), unread.
    const busB = newBus();
    bridges.push(makeBridge(config, busB, prefix, { instanceId: 'node-b' }));
    const later = publishWholeCall(busB, 'call-p', undefined, [3, 5]);
    await waitFor('five messages in the outbox', async () => (await redis.xlen(keys.outbox('city-tickets'))) === 5);
    backend.fault('city-tickets').recover();

    // The next holder's first pending read fails.
    const { reader, failures } = readerFailingFirstPendingRead();
    const commands = installScripts(new Redis(redisUrl()));
    const sink = CrmBridgeConfigSchema.parse(config).sinks[0]!;
    const view = { sinks: () => [], sampled: () => null, sampleAgeSeconds: () => 0, stuckSeconds: () => 0 };
    const delivery = new SinkDelivery({
      redis: commands,
      reader,
      sink,
      secret: SECRETS.CRM_CITY_SECRET,
      keys,
      metrics: createCrmBridgeMetrics(view, new Registry()),
      log: createTestLogger(),
      owner: 'node-c',
      leaseMs: 1000,
      readAhead: 100,
      onRead: () => undefined,
      onGroupLost: () => undefined,
    });
    cleanups.push(async () => {
      await delivery.stop();
      commands.disconnect();
    });
    delivery.start();

    const city = backend.recorder('city-tickets');
    await waitFor('the call in the city sink', () => city.ofCall('call-p').length === 5);
    expect(failures()).toBe(1);
    expect(city.ofCall('call-p').map((m) => m.eventId)).toEqual([...earlier, ...later]);
    expect(city.ofCall('call-p').map((m) => m.sequence)).toEqual([1, 2, 3, 4, 5]);
  });
});
