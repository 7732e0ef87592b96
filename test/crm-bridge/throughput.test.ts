import { afterEach, describe, expect, it } from 'vitest';
import type { CrmBridge } from '../../src/crm-bridge/index.js';
import type { ReferenceBackend } from '../../sim/ticket-backend/server.js';
import { SINKS, bridgeConfig, makeBridge, newBus, publishWholeCall, startBackend, uniquePrefix, waitFor } from './harness.js';

describe('outbound: sustained load', () => {
  let backend: ReferenceBackend;
  let bridge: CrmBridge;
  afterEach(async () => {
    await bridge?.stop();
    await backend?.close();
  });

  // Completeness only; the rate it reaches is the benchmark's business (bench/crm-bridge-throughput.ts).
  it('delivers everything of three seconds at 1,000 events/s to both sinks, in order per call', { timeout: 40_000 }, async () => {
    backend = await startBackend();
    const bus = newBus();
    bridge = makeBridge(bridgeConfig(backend, { sink: { timeoutMs: 5000 } }), bus, uniquePrefix());
    await bridge.start();

    const seconds = 3;
    const ids: string[] = [];
    let call = 0;
    // Every 10 ms, one whole call (10 events): 1,000 events/s.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        ids.push(...publishWholeCall(bus, `load-${call++}`));
        if (call === seconds * 100) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });

    for (const sink of SINKS) {
      const recorder = backend.recorder(sink);
      await waitFor(`${sink} to receive ${ids.length}`, () => recorder.messages.length >= ids.length, 30_000);
      expect(recorder.messages).toHaveLength(ids.length);
      // Each event once by idempotency key; a resend after a slow answer on a busy machine is allowed (and de-duplicated).
      expect(new Set(recorder.messages.map((m) => m.eventId)).size).toBe(ids.length);
      const byCall = new Map<string, number[]>();
      for (const m of recorder.messages) byCall.set(m.callId, [...(byCall.get(m.callId) ?? []), m.sequence]);
      expect(byCall.size).toBe(call);
      for (const sequences of byCall.values()) expect(sequences).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
    await waitFor('outboxes to empty', async () => (await bridge.stats()).sinks.every((s) => s.depth === 0));
  });
});
