import { describe, expect, it } from 'vitest';
import { useTestRedis } from '../support/test-redis.js';
import { T0, agent, testAcd } from './support.js';

const redis = useTestRedis();

describe('agents in Redis', () => {
  it('logs an agent in with its profile and returns the event to publish', async () => {
    const { store } = testAcd(redis);
    const event = await store.login(agent('1001', { general: 7, enterprise: 3 }), T0);
    expect(event).toEqual({
      agentId: '1001',
      from: 'offline',
      to: 'ready',
      reason: null,
      callId: null,
      queue: null,
      version: 1,
      at: new Date(T0).toISOString(),
      state: { kind: 'ready', since: T0, idleSince: T0 },
    });
    expect(await store.get('1001')).toEqual({
      id: '1001',
      displayName: 'Agent 1001',
      endpoint: 'PJSIP/1001',
      kind: 'regular',
      skills: { general: 7, enterprise: 3 },
      state: { kind: 'ready', since: T0, idleSince: T0 },
      version: 1,
      misses: 0,
    });
    expect(await store.get('nobody')).toBeNull();
  });

  it('refuses a second login, an unknown skill or reason, a bad endpoint, and an unknown agent', async () => {
    const { store } = testAcd(redis);
    await store.login(agent('1001', { general: 5 }), T0, 'lunch');
    await expect(store.login(agent('1001', { general: 5 }), T0)).rejects.toMatchObject({ code: 'acd:already-logged-in', status: 409 });
    await expect(store.login(agent('1002', { tax: 5 }), T0)).rejects.toMatchObject({ code: 'acd:unknown-skill', status: 400 });
    await expect(store.login(agent('1002', { general: 5 }), T0, 'smoking')).rejects.toMatchObject({ code: 'acd:unknown-reason' });
    await expect(store.login({ ...agent('1002', { general: 5 }), endpoint: '1002' }, T0)).rejects.toThrow(/dialable endpoint/);
    // A dial string out is not a seat: the agent's calls would ring an outside number.
    await expect(store.login({ ...agent('1002', { general: 5 }), endpoint: 'PJSIP/13912345678@carrier' }, T0)).rejects.toThrow(/dialable endpoint/);
    await expect(store.pause('1001', 'smoking', T0)).rejects.toMatchObject({ code: 'acd:unknown-reason' });
    await expect(store.logout('nobody', T0)).rejects.toMatchObject({ code: 'acd:no-such-agent', status: 404 });
  });

  it('refuses to log out an agent on a call, with 409 acd:agent-busy, and logs out after wrap-up', async () => {
    const { store, calls, router } = testAcd(redis);
    await store.login(agent('1001', { general: 5 }), T0);
    await calls.enqueue({ callId: 'c1', queue: 'general', priority: 5, enqueuedAt: T0 });
    await router.pick('general', T0 + 1);
    await store.apply('1001', { type: 'answer', callId: 'c1' }, T0 + 2);
    await expect(store.logout('1001', T0 + 3)).rejects.toMatchObject({ code: 'acd:agent-busy', status: 409 });
    const wrap = await store.apply('1001', { type: 'hang-up', callId: 'c1', wrapUpSeconds: 30 }, T0 + 4);
    expect(wrap).toMatchObject({ from: 'on-call', to: 'wrap-up', callId: 'c1', queue: 'general' });
    expect(await store.logout('1001', T0 + 5)).toMatchObject({ from: 'wrap-up', to: 'offline' });
    expect(await store.countByState()).toEqual({ offline: 1, ready: 0, 'not-ready': 0, ringing: 0, 'on-call': 0, 'wrap-up': 0 });
    // Logged out, the agent is offered nothing; back in, it is.
    await calls.enqueue({ callId: 'c2', queue: 'general', priority: 5, enqueuedAt: T0 + 6 });
    expect(await router.pick('general', T0 + 7)).toBeNull();
    await store.login(agent('1001', { general: 5 }), T0 + 8);
    expect(await router.pick('general', T0 + 9)).toMatchObject({ callId: 'c2', agentId: '1001' });
  });

  it('offers nothing to a paused agent and counts agents by state', async () => {
    const { store, calls, router } = testAcd(redis);
    await store.login(agent('a', { general: 5 }), T0);
    await store.login(agent('b', { general: 5 }), T0);
    await store.pause('a', 'lunch', T0 + 1);
    await store.pause('b', 'lunch', T0 + 1);
    await calls.enqueue({ callId: 'c1', queue: 'general', priority: 5, enqueuedAt: T0 + 2 });
    expect(await router.pick('general', T0 + 3)).toBeNull();
    expect(await store.countByState()).toMatchObject({ ready: 0, 'not-ready': 2 });
    expect(await store.apply('b', { type: 'set-ready' }, T0 + 4)).toMatchObject({ from: 'not-ready', to: 'ready' });
    expect(await router.pick('general', T0 + 5)).toMatchObject({ agentId: 'b' });
    expect(await store.countByState()).toMatchObject({ ready: 0, 'not-ready': 1, ringing: 1 });
  });

  it('stores one of two concurrent changes of one agent and decides the other again from it', async () => {
    const { store } = testAcd(redis);
    await store.login(agent('a', { general: 5 }), T0);
    const results = await Promise.allSettled([store.pause('a', 'lunch', T0 + 1), store.apply('a', { type: 'set-ready' }, T0 + 1)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const versions = results.map((r) => (r as PromiseFulfilledResult<{ version: number }>).value.version).sort();
    expect(versions).toEqual([2, 3]);
    expect((await store.get('a'))!.version).toBe(3);
  });
});
