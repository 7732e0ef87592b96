/**
 * Redis behind Sentinel (real master, replica and three Sentinels), a failover under load
 * with the same bridge running throughout. The replica is made to fall behind just before
 * the master dies, so the last events the master acknowledged are not on the replica it
 * hands over to (replication is asynchronous): the marker survived, so only the change of
 * server tells the writer to store its unread events again. One sink is down around the
 * failover, so its backlog sits unread. Every accepted event reaches each sink exactly
 * once, in order, with its call's numbering.
 */
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { CrmBridge } from '../../src/crm-bridge/index.js';
import type { ReferenceBackend } from '../../sim/ticket-backend/server.js';
import { sentinelGroup, type SentinelGroup } from '../support/redis-sentinel-group.js';
import { CallLoad } from './call-load.js';
import { SINKS, bridgeConfig, makeBridge, newBus, startBackend, uniquePrefix } from './harness.js';

let group: SentinelGroup | undefined;
let backend: ReferenceBackend | undefined;
let bridge: CrmBridge | undefined;
afterAll(async () => {
  await bridge?.stop();
  await backend?.close();
  await group?.close();
});

describe('outbound: a Sentinel failover under load', () => {
  it('delivers every accepted event exactly once, in order, across the failover', { timeout: 120_000 }, async () => {
    group = await sentinelGroup();
    backend = await startBackend();
    const registry = new Registry();
    const bus = newBus();
    const config = bridgeConfig(backend, { sink: { retry: { attempts: 100, backoffMs: 20, maxBackoffMs: 100 } }, top: { readAhead: 20 } });
    bridge = makeBridge(config, bus, uniquePrefix(), { redisUrl: group.url, registry });
    await bridge.start();
    const load = new CallLoad(bus);
    await load.run(150);

    // The city sink down: its events stay unread in Redis (and in the writer's memory).
    backend.fault('city-tickets').set('down');
    await load.run(250);
    // The replica falls behind while events keep coming, then the master dies.
    const { from, to } = (await Promise.all([group.failover({ replicaBehindMs: 300 }), load.run(400)]))[0];
    expect(to).not.toBe(from);
    await load.run(500);
    backend.fault('city-tickets').recover();
    await load.run(600);

    const expected = [...load.published.values()].flat();
    for (const sink of SINKS) {
      const recorder = backend.recorder(sink);
      await vi.waitFor(() => expect(expected.filter((id) => !recorder.has(id))).toEqual([]), { timeout: 60_000, interval: 50 });
      const keys = recorder.messages.map((m) => m.eventId);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toHaveLength(expected.length);
      for (const [callId, ids] of load.published) {
        const received = recorder.ofCall(callId);
        expect(received.map((m) => m.eventId)).toEqual(ids);
        expect(received.map((m) => m.sequence)).toEqual(ids.map((_, i) => i + 1));
      }
    }
    // The change of server was seen and the unread events stored again.
    expect(await registry.metrics()).toMatch(/crm_bridge_outbox_stored_again_total [1-9]/);
    await expect.poll(() => bridge!.readiness(), { timeout: 15_000 }).toEqual({ ok: true });
  });
});
