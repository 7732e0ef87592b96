import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrmBridge } from '../../src/crm-bridge/index.js';
import { crmKeys } from '../../src/crm-bridge/keys.js';
import type { ReferenceBackend } from '../../sim/ticket-backend/server.js';
import { SINKS, bridgeConfig, makeBridge, newBus, publishWholeCall, redisUrl, startBackend, uniquePrefix, waitFor } from './harness.js';

describe('outbound: a sink down for a while, with a restart in between', () => {
  let backend: ReferenceBackend;
  const bridges: CrmBridge[] = [];
  afterEach(async () => {
    for (const b of bridges.splice(0)) await b.stop();
    await backend?.close();
  });

  it('delivers every event exactly once by idempotency key, in order per call', async () => {
    backend = await startBackend(500);
    const prefix = uniquePrefix();
    const config = bridgeConfig(backend);

    // First life: the city backend is down; the province stores messages but its answers get lost.
    backend.fault('city-tickets').set('down');
    backend.fault('provincial-platform').set('record-then-fail', 6);
    const bus1 = newBus();
    const first = makeBridge(config, bus1, prefix, { instanceId: 'node-a' });
    bridges.push(first);
    await first.start();
    const before = [...publishWholeCall(bus1, 'call-1'), ...publishWholeCall(bus1, 'call-2', undefined, [0, 5])];
    await waitFor('the city sink to be retried', () => backend.requestCount('city-tickets') >= 12);
    await waitFor('the lost answers to be used up', () => backend.requestCount('provincial-platform') >= 6);
    await first.stop();
    bridges.splice(0);

    // A crashed instance would leave its lease behind: the successor must wait it out, then take over.
    const redis = new Redis(redisUrl());
    // Stopped mid-delivery: messages were read and tried but never acknowledged.
    const [pending] = (await redis.xpending(crmKeys(prefix).outbox('city-tickets'), 'deliver')) as [number];
    expect(pending).toBeGreaterThan(0);
    await redis.set(crmKeys(prefix).lease('city-tickets'), 'node-a', 'PX', 800);
    await redis.quit();

    // Second life: a new process (new bus, new bridge) while the call goes on; the sink comes back.
    const bus2 = newBus();
    const second = makeBridge(config, bus2, prefix, { instanceId: 'node-b' });
    bridges.push(second);
    await second.start();
    const after = publishWholeCall(bus2, 'call-2', undefined, [5, 10]);
    backend.fault('city-tickets').recover();

    const all = [...before, ...after];
    for (const sink of SINKS) {
      const recorder = backend.recorder(sink);
      await waitFor(`${sink} to hold every event`, () => all.every((id) => recorder.has(id)));
      const keys = recorder.messages.map((m) => m.eventId);
      expect(new Set(keys).size).toBe(keys.length);
      expect([...keys].sort()).toEqual([...all].sort());
      expect(recorder.ofCall('call-1').map((m) => m.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(recorder.ofCall('call-2').map((m) => m.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
    // The province's lost answers made the bridge send again: the receiver saw repeats and kept one of each.
    expect(backend.recorder('provincial-platform').duplicates).toBeGreaterThan(0);
    await waitFor('outboxes to empty', async () => (await second.stats()).sinks.every((s) => s.depth === 0 && s.deadLetters === 0));
  });

  it('stores an event once even when the same event reaches the bridge twice', async () => {
    backend = await startBackend();
    const bus = newBus();
    const bridge = makeBridge(bridgeConfig(backend), bus, uniquePrefix());
    bridges.push(bridge);
    await bridge.start();
    const event = bus.publish('call.started', 'call-x', { channelId: 'c', caller: '13800000000', callerName: '', dialled: '12345', line: 'main' }, 1);
    bus.deliver(event);
    bus.publish('call.ended', 'call-x', { channelId: 'c', outcome: 'abandoned', endedBy: 'caller', hangupCause: 16, hangupCauseText: null, durationMs: 10 }, 2);
    await waitFor('both events', () => backend.recorder('city-tickets').messages.length === 2);
    expect(backend.recorder('city-tickets').messages.map((m) => m.sequence)).toEqual([1, 2]);
    expect(backend.recorder('city-tickets').duplicates).toBe(0);
  });
});
