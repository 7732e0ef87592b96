/**
 * The bridge's readiness, answered from memory: not ready while a sink's consumer group
 * cannot be made (with the reason), ready again once it can.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrmBridge } from '../../src/crm-bridge/index.js';
import { crmKeys } from '../../src/crm-bridge/keys.js';
import type { ReferenceBackend } from '../../sim/ticket-backend/server.js';
import { bridgeConfig, makeBridge, newBus, redisUrl, startBackend, uniquePrefix } from './harness.js';

describe('readiness', () => {
  let backend: ReferenceBackend;
  let bridge: CrmBridge | undefined;
  afterEach(async () => {
    await bridge?.stop();
    await backend?.close();
  });

  it('says which sink cannot get its consumer group, and becomes ready once it can', async () => {
    backend = await startBackend();
    const prefix = uniquePrefix();
    const redis = new Redis(redisUrl());
    try {
      // Something else sits where the city outbox stream belongs.
      await redis.set(crmKeys(prefix).outbox('city-tickets'), 'not a stream');
      bridge = makeBridge(bridgeConfig(backend), newBus(), prefix);
      expect(bridge.readiness()).toEqual({ ok: false, reason: 'ticket bridge not started' });
      await bridge.start();
      await expect.poll(() => bridge!.readiness().reason ?? '', { timeout: 10_000 }).toContain('sink city-tickets: its consumer group cannot be created (WRONGTYPE');
      expect(bridge.readiness().ok).toBe(false);
      expect(bridge.readiness().reason).not.toContain('provincial-platform');

      await redis.del(crmKeys(prefix).outbox('city-tickets'));
      await expect.poll(() => bridge!.readiness(), { timeout: 10_000 }).toEqual({ ok: true });
    } finally {
      redis.disconnect();
    }
  });
});
