import { afterEach, describe, expect, it } from 'vitest';
import { CallEventMessageSchema } from '../../src/crm-bridge/message-schema.js';
import type { CrmBridge } from '../../src/crm-bridge/index.js';
import type { ReferenceBackend } from '../../sim/ticket-backend/server.js';
import { SINKS, bridgeConfig, makeBridge, newBus, publishWholeCall, startBackend, uniquePrefix, waitFor } from './harness.js';

describe('outbound: one call to two sinks', () => {
  let backend: ReferenceBackend;
  let bridge: CrmBridge;
  afterEach(async () => {
    await bridge?.stop();
    await backend?.close();
  });

  it("delivers every event of a call to both sinks, in the call's order, signed and versioned", async () => {
    backend = await startBackend();
    const bus = newBus();
    bridge = makeBridge(bridgeConfig(backend), bus, uniquePrefix());
    await bridge.start();

    const ids = publishWholeCall(bus, 'call-a', '13812345678');
    const other = publishWholeCall(bus, 'call-b', '13900001111');

    for (const sink of SINKS) {
      const recorder = backend.recorder(sink);
      await waitFor(`${sink} to receive both calls`, () => recorder.messages.length === 20);
      const a = recorder.ofCall('call-a');
      expect(a.map((m) => m.eventId)).toEqual(ids);
      expect(a.map((m) => m.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(a.map((m) => m.type)).toEqual([
        'call.started', 'call.answered', 'call.ivr-choice', 'call.queued', 'call.offered',
        'call.agent-answered', 'call.transferred', 'call.emergency', 'call.recorded', 'call.ended',
      ]);
      expect(recorder.ofCall('call-b').map((m) => m.eventId)).toEqual(other);
      for (const m of recorder.messages) expect(CallEventMessageSchema.safeParse(m.body).success).toBe(true);
      // The sinks are the system of record: the caller's number travels in full.
      expect(a[0]!.body).toMatchObject({ schema: 'hotline.call-event/v1', callId: 'call-a', data: { caller: '13812345678', dialled: '12345' } });
      expect(recorder.duplicates).toBe(0);
      expect(recorder.refused).toEqual([]);
    }
    await waitFor('outboxes to empty', async () => (await bridge.stats()).sinks.every((s) => s.depth === 0));
  });

  it('sends a sink only the event types it asked for', async () => {
    backend = await startBackend();
    const bus = newBus();
    const config = bridgeConfig(backend);
    config.sinks[1] = { ...config.sinks[1]!, events: ['call.started', 'call.ended'] };
    bridge = makeBridge(config, bus, uniquePrefix());
    await bridge.start();
    publishWholeCall(bus, 'call-c');
    await waitFor('city to receive all', () => backend.recorder('city-tickets').messages.length === 10);
    await waitFor('province to receive two', () => backend.recorder('provincial-platform').messages.length === 2);
    expect(backend.recorder('provincial-platform').messages.map((m) => [m.type, m.sequence])).toEqual([
      ['call.started', 1],
      ['call.ended', 10],
    ]);
  });
});
