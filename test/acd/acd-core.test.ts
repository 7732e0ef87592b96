import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createAcdCore, type AcdCore } from '../../src/acd/index.js';
import { createTestLogger } from '../support/test-logger.js';
import { T0, agent, routingConfig } from './support.js';

let core: AcdCore | undefined;
afterEach(async () => {
  await core?.stop();
  core = undefined;
});

describe('the ACD core and its metrics', () => {
  it('counts picks by result, times them, and reports agents by state from the background sample', async () => {
    const registry = new Registry();
    core = createAcdCore({
      config: routingConfig,
      redisUrl: inject('redisUrl'),
      keyPrefix: `acd-core-${randomUUID()}:`,
      log: createTestLogger(),
      registry,
      sampleEveryMs: 20,
    });
    core.start();
    await core.agents.login(agent('a1', { general: 6 }), T0);
    await core.agents.login(agent('a2', { general: 6 }), T0);
    await core.calls.enqueue({ callId: 'c1', queue: 'general', priority: 5, enqueuedAt: T0 });
    expect(await core.router.pick('general', T0 + 1)).toMatchObject({ callId: 'c1' });
    expect(await core.router.pick('general', T0 + 2)).toBeNull();

    const text = await registry.metrics();
    expect(text).toContain('hotline_acd_picks_total{queue="general",result="picked"} 1');
    expect(text).toContain('hotline_acd_picks_total{queue="general",result="none"} 1');
    expect(text).toContain('hotline_acd_pick_seconds_count{queue="general"} 2');
    await expect.poll(() => core!.agentCounts()?.ringing, { timeout: 5000 }).toBe(1);
    const sampled = await registry.metrics();
    expect(sampled).toContain('hotline_acd_agents{state="ringing"} 1');
    expect(sampled).toContain('hotline_acd_agents{state="ready"} 1');
  });
});
