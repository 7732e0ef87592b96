/**
 * Callers the menu treats differently: priority callers, restricted callers (who still
 * reach the emergency key), and what happens when Redis does not answer.
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { HANDED_OFF, harness } from './support/whole-call-harness.js';
import { useTestRedis } from '../support/test-redis.js';

const redis = useTestRedis();


describe('priority callers', () => {
  it('a number added through the store skips the menu and is queued at high priority', async () => {
    const h = harness({ redis });
    await h.services.priorityCallers.add('+86 139-1234-5678');
    const { call, result } = await h.call({ number: '13912345678' });
    await call.playUntil();
    expect(await result).toEqual(HANDED_OFF);
    expect(call.prompts).not.toContain('main-menu');
    expect(h.ports.calls).toEqual([{ port: 'queue', request: { queue: 'general', skill: 'general', priority: 9, line: 'main', reason: 'priority-caller' } }]);
    expect(call.steps[0]).toMatchObject({ node: 'caller-check', outcome: 'priority' });
  });

  it('a number of the config list does too', async () => {
    const h = harness({ redis });
    const { call, result } = await h.call({ number: '13800000001' });
    await call.playUntil();
    await result;
    expect(h.ports.calls[0]?.request).toMatchObject({ priority: 9, reason: 'priority-caller' });
  });
});

describe('restricted callers', () => {
  it('a supervisor flag plays the notice and hangs up; the restriction is logged with its reason', async () => {
    const h = harness({ redis });
    await h.services.restrictions.flag('13912345678', { reason: 'abusive language, 5 calls today', by: 'supervisor-7', minutes: 60 });
    const { call, result } = await h.call();
    await call.playUntil();
    expect(await result).toEqual({ then: 'hangup', outcome: 'completed' });
    expect(call.prompts).toEqual(['restricted-notice', 'emergency-notice', 'goodbye']);
    expect(call.steps[0]).toMatchObject({ node: 'caller-check', outcome: 'restricted:supervisor' });
    const log = await h.services.restrictions.recentLog();
    expect(log[0]).toMatchObject({ action: 'applied', source: 'supervisor', reason: 'abusive language, 5 calls today', by: 'supervisor-7' });
  });

  it('a restricted caller still reaches the emergency key', async () => {
    const h = harness({ redis });
    await h.services.restrictions.flag('13912345678', { reason: 'repeated calls', by: 'supervisor-7', minutes: 60 });
    const { call, result } = await h.call();
    expect(call.nowPlaying).toBe('restricted-notice');
    await call.press('9');
    expect(await result).toEqual(HANDED_OFF);
    expect(h.ports.calls).toEqual([{ port: 'emergency', request: { route: 'emergency-linkage' } }]);
  });

  it('the rule restricts the caller whose call is one too many, and the flag expires by itself', async () => {
    const h = harness({ redis, edit: (raw) => (raw.ivr.restriction.rule = { enabled: true, maxCalls: 2, windowMinutes: 60, restrictMinutes: 30 }) });
    for (let i = 0; i < 2; i += 1) {
      const { call, result } = await h.call({ number: '13700000002' });
      await call.hangup();
      await result;
    }
    const { call, result } = await h.call({ number: '13700000002' });
    await call.playUntil();
    await result;
    expect(call.prompts[0]).toBe('restricted-notice');
    const [active] = await h.services.restrictions.listActive();
    expect(active).toMatchObject({ number: '13700000002', source: 'rule', reason: '3 calls in 60 minutes (more than 2)' });
    const keys = await redis.keys('*restriction:13700000002');
    expect(keys).toHaveLength(1);
    const ttl = await redis.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30 * 60_000);
  });

  it('the emergency key pressed before the first prompt wins over everything', async () => {
    const h = harness({ redis });
    await h.services.restrictions.flag('13912345678', { reason: 'repeated calls', by: 'supervisor-7', minutes: 60 });
    const { FakeCall } = await import('./support/fake-call.js');
    const { createIvrFlowFactory } = await import('../../src/ivr/index.js');
    const call = new FakeCall();
    const flow = createIvrFlowFactory({
      config: h.config, redis, keyspace: (...p) => p.join(':'), log: call.log, ports: h.ports, ticketStatus: h.tickets, services: h.services,
    })(call);
    const result = flow.run(call);
    await call.press('9'); // before the look-ups answered
    expect(await result).toEqual(HANDED_OFF);
    expect(call.played).toEqual([]);
    expect(h.ports.calls).toEqual([{ port: 'emergency', request: { route: 'emergency-linkage' } }]);
  });
});

describe('when Redis does not answer', () => {
  const deadRedis = () => {
    const client = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: () => 50 });
    client.on('error', () => {}); // refused connections are the point of this test
    return client;
  };

  it('look-ups fail open: the caller gets the menu, and the emergency key works', async () => {
    const dead = deadRedis();
    try {
      const h = harness({ redis: dead });
      const { call, result } = await h.call();
      expect(call.steps[0]).toMatchObject({ node: 'caller-check', outcome: 'normal:degraded' });
      await call.playUntil('main-menu');
      await call.press('9');
      expect(await result).toEqual(HANDED_OFF);
      expect(h.ports.calls).toEqual([{ port: 'emergency', request: { route: 'emergency-linkage' } }]);
    } finally {
      dead.disconnect();
    }
  });
});

describe('hand-off failures', () => {
  it('an emergency transfer that fails is tried again', async () => {
    const h = harness({ redis, failEmergency: 1 });
    const { call, result } = await h.call();
    await call.press('9');
    expect(await result).toEqual(HANDED_OFF);
    expect(h.ports.calls.map((c) => c.port)).toEqual(['emergency', 'emergency']);
  });

  it('an emergency transfer that fails twice tells the caller to dial directly, never silence', async () => {
    const h = harness({ redis, failEmergency: 2 });
    const { call, result } = await h.call();
    await call.press('9');
    expect(call.nowPlaying).toBe('emergency-failed');
    await call.playUntil();
    expect(await result).toEqual({ then: 'hangup', outcome: 'failed' });
  });
});

describe('a queue that cannot take the call', () => {
  it('the caller hears the fault prompt and the call ends as failed, recorded as such', async () => {
    const h = harness({ redis });
    h.ports.queue.enqueue = async () => Promise.reject(new Error('ACD unavailable'));
    const { call, result } = await h.call();
    await call.playUntil('main-menu');
    await call.press('0');
    await call.playUntil('system-busy');
    await call.playUntil();
    expect(await result).toEqual({ then: 'hangup', outcome: 'failed' });
    expect(call.steps.slice(-2).map((s) => s.outcome)).toEqual(['queue:general', 'queue:general:failed']);
  });
});
