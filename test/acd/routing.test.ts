import { describe, expect, it } from 'vitest';
import { applyAgentCommand, type AgentState } from '../../src/acd/index.js';
import { useTestRedis } from '../support/test-redis.js';
import { T0, agent, testAcd } from './support.js';

const redis = useTestRedis();

describe('ACD routing in Redis', () => {
  it('takes the highest priority first, then the longest wait', async () => {
    const { store, calls, router } = testAcd(redis);
    for (const id of ['a1', 'a2', 'a3']) await store.login(agent(id, { general: 5 }), T0);
    await calls.enqueue({ callId: 'late', queue: 'general', priority: 5, enqueuedAt: T0 + 2000 });
    await calls.enqueue({ callId: 'early', queue: 'general', priority: 5, enqueuedAt: T0 + 1000 });
    await calls.enqueue({ callId: 'priority', queue: 'general', priority: 9, enqueuedAt: T0 + 3000 });
    const picked = [];
    for (let i = 0; i < 3; i++) picked.push((await router.pick('general', T0 + 5000))?.callId);
    expect(picked).toEqual(['priority', 'early', 'late']);
    expect(await router.pick('general', T0 + 5000)).toBeNull();
  });

  it('gives the call to the agent idle longest, the higher level on equal idle time, never one below the minimum', async () => {
    const { store, calls, router } = testAcd(redis);
    await store.login(agent('recent', { general: 9 }), T0 + 300);
    await store.login(agent('longest', { general: 5 }), T0);
    await store.login(agent('tied-low', { general: 6 }), T0 + 100);
    await store.login(agent('tied-high', { general: 8 }), T0 + 100);
    await store.login(agent('too-low', { general: 4 }), T0 - 1000);
    for (let i = 0; i < 5; i++) await calls.enqueue({ callId: `c${i}`, queue: 'general', priority: 5, enqueuedAt: T0 + 1000 + i });
    const agents = [];
    for (let i = 0; i < 5; i++) agents.push((await router.pick('general', T0 + 2000))?.agentId ?? null);
    expect(agents).toEqual(['longest', 'tied-high', 'tied-low', 'recent', null]);
  });

  it('widens after a wait: a lower level after 30 s, a second skill after 60 s', async () => {
    const { store, calls, router } = testAcd(redis);
    await store.login(agent('level-3', { general: 3 }), T0);
    await store.login(agent('enterprise-8', { enterprise: 8 }), T0);
    await store.login(agent('enterprise-6', { enterprise: 6 }), T0 - 500);
    await calls.enqueue({ callId: 'c1', queue: 'general', priority: 5, enqueuedAt: T0 });
    await calls.enqueue({ callId: 'c2', queue: 'general', priority: 5, enqueuedAt: T0 + 1 });
    expect(await router.pick('general', T0 + 29_999)).toBeNull();
    expect(await router.pick('general', T0 + 30_000)).toMatchObject({ callId: 'c1', agentId: 'level-3', agentLevel: 3 });
    expect(await router.pick('general', T0 + 59_999)).toBeNull();
    expect(await router.pick('general', T0 + 60_001)).toMatchObject({ callId: 'c2', agentId: 'enterprise-8', agentLevel: 8, skill: 'general' });
  });

  it('passes over a call no agent can take yet for one behind it that one can', async () => {
    const { store, calls, router } = testAcd(redis);
    await store.login(agent('enterprise-9', { enterprise: 9 }), T0);
    await calls.enqueue({ callId: 'general-call', queue: 'general', priority: 5, enqueuedAt: T0 });
    await calls.enqueue({ callId: 'enterprise-call', queue: 'general', skill: 'enterprise', priority: 5, enqueuedAt: T0 + 10 });
    expect(await router.pick('general', T0 + 1000)).toMatchObject({ callId: 'enterprise-call', agentId: 'enterprise-9' });
    expect(await calls.waitingIds('general')).toEqual(['general-call']);
  });

  it('serves a lower priority that waited long enough to be widened before a higher priority that did not', async () => {
    const { store, calls, router } = testAcd(redis);
    await store.login(agent('level-3', { general: 3 }), T0);
    await calls.enqueue({ callId: 'urgent-fresh', queue: 'general', priority: 9, enqueuedAt: T0 + 50_000 });
    await calls.enqueue({ callId: 'patient', queue: 'general', priority: 5, enqueuedAt: T0 });
    await calls.enqueue({ callId: 'patient-later', queue: 'general', priority: 5, enqueuedAt: T0 + 40_000 });
    expect(await router.pick('general', T0 + 60_000)).toMatchObject({ callId: 'patient', priority: 5, enqueuedAt: T0 });
    expect(await calls.waitingIds('general')).toEqual(['urgent-fresh', 'patient-later']);
  });

  it("keeps guest agents to the leaders' queue and regular agents out of it", async () => {
    const { store, calls, router } = testAcd(redis);
    await store.login(agent('mayor', { general: 9, leaders: 9 }, 'guest'), T0 - 10_000);
    await store.login(agent('clerk', { general: 5, leaders: 5 }), T0);
    await calls.enqueue({ callId: 'g', queue: 'general', priority: 5, enqueuedAt: T0 });
    await calls.enqueue({ callId: 'l', queue: 'leaders', priority: 5, enqueuedAt: T0 });
    expect(await router.pick('general', T0 + 1000)).toMatchObject({ callId: 'g', agentId: 'clerk' });
    expect(await router.pick('leaders', T0 + 1000)).toMatchObject({ callId: 'l', agentId: 'mayor' });
  });

  it('marks the agent ringing as the state machine would, and says so in the event', async () => {
    const { store, calls, router } = testAcd(redis);
    const login = await store.login(agent('a1', { general: 7 }), T0);
    await calls.enqueue({ callId: 'c1', queue: 'general', priority: 3, enqueuedAt: T0 + 10, app: 'hotline-a', caller: '13800138000' });
    const pick = (await router.pick('general', T0 + 500))!;
    const ready = login.state;
    const expected = applyAgentCommand(ready, { type: 'offer', callId: 'c1', queue: 'general' }, T0 + 500) as { state: AgentState };
    expect((await store.get('a1'))!.state).toEqual(expected.state);
    expect(pick).toEqual({
      callId: 'c1',
      agentId: 'a1',
      queue: 'general',
      skill: 'general',
      priority: 3,
      enqueuedAt: T0 + 10,
      agentLevel: 7,
      endpoint: 'PJSIP/a1',
      app: 'hotline-a',
      caller: '13800138000',
      kind: 'inbound',
      offerChannel: 'offer-c1-1',
      event: {
        agentId: 'a1',
        from: 'ready',
        to: 'ringing',
        reason: null,
        callId: 'c1',
        queue: 'general',
        version: login.version + 1,
        at: new Date(T0 + 500).toISOString(),
        state: expected.state,
      },
    });
    expect(await store.countByState()).toMatchObject({ ready: 0, ringing: 1 });
  });

  it('puts a call that rang out back at the head of its queue and pauses the agent with no-answer', async () => {
    const { store, calls, router } = testAcd(redis);
    await store.login(agent('sleepy', { general: 5 }), T0);
    await calls.enqueue({ callId: 'first', queue: 'general', priority: 5, enqueuedAt: T0 });
    await calls.enqueue({ callId: 'second', queue: 'general', priority: 5, enqueuedAt: T0 + 1 });
    expect(await router.pick('general', T0 + 100)).toMatchObject({ callId: 'first', agentId: 'sleepy' });
    expect(await calls.requeue('first')).toBe('sleepy');
    const paused = await store.missed('sleepy', 'first', 'general', T0 + 20_100);
    expect(paused).toMatchObject({ from: 'ringing', to: 'not-ready', reason: 'no-answer', callId: null });
    await store.login(agent('awake', { general: 5 }), T0 + 20_200);
    expect(await router.pick('general', T0 + 20_300)).toMatchObject({ callId: 'first', agentId: 'awake' });
    expect(await calls.waitingIds('general')).toEqual(['second']);
    await expect(calls.requeue('second')).rejects.toMatchObject({ code: 'acd:no-such-call' });
  });

  it("pauses only after the queue's misses in a row, and an answer starts the count again", async () => {
    const { store, calls, router } = testAcd(redis);
    await store.login(agent('a1', { enterprise: 5 }), T0);
    const ring = async (callId: string, at: number) => {
      await calls.enqueue({ callId, queue: 'enterprise', priority: 5, enqueuedAt: at });
      expect(await router.pick('enterprise', at + 1)).toMatchObject({ callId, agentId: 'a1' });
    };
    await ring('c1', T0 + 10);
    expect((await store.missed('a1', 'c1', 'enterprise', T0 + 20)).to).toBe('ready');
    await ring('c2', T0 + 30);
    await store.apply('a1', { type: 'answer', callId: 'c2' }, T0 + 40);
    expect((await store.apply('a1', { type: 'hang-up', callId: 'c2', wrapUpSeconds: 0 }, T0 + 50)).to).toBe('ready');
    await ring('c3', T0 + 60);
    expect((await store.missed('a1', 'c3', 'enterprise', T0 + 70)).to).toBe('ready');
    await ring('c4', T0 + 80);
    expect(await store.missed('a1', 'c4', 'enterprise', T0 + 90)).toMatchObject({ to: 'not-ready', reason: 'no-answer' });
  });

  it('takes an abandoning caller out, waiting or offered, and refuses a call queued twice', async () => {
    const { store, calls, router } = testAcd(redis);
    await store.login(agent('a1', { general: 5 }), T0);
    await calls.enqueue({ callId: 'gone', queue: 'general', priority: 5, enqueuedAt: T0 });
    await calls.enqueue({ callId: 'rung', queue: 'general', priority: 5, enqueuedAt: T0 + 1 });
    await expect(calls.enqueue({ callId: 'gone', queue: 'general', priority: 5, enqueuedAt: T0 })).rejects.toMatchObject({ code: 'acd:call-already-queued' });
    expect(await calls.dequeue('gone')).toEqual({ was: 'waiting' });
    expect(await router.pick('general', T0 + 10)).toMatchObject({ callId: 'rung' });
    expect(await calls.dequeue('rung')).toEqual({ was: 'offered', agentId: 'a1', offerChannel: 'offer-rung-1' });
    expect(await calls.dequeue('rung')).toEqual({ was: 'unknown' });
    expect(await store.apply('a1', { type: 'caller-gone', callId: 'rung' }, T0 + 20)).toMatchObject({ to: 'ready' });
    expect(await calls.waitingIds('general')).toEqual([]);
  });

  it('refuses an unknown queue or skill at enqueue and at pick', async () => {
    const { calls, router } = testAcd(redis);
    await expect(calls.enqueue({ callId: 'x', queue: 'nights', priority: 5, enqueuedAt: T0 })).rejects.toMatchObject({ code: 'acd:unknown-queue' });
    await expect(calls.enqueue({ callId: 'x', queue: 'general', skill: 'tax', priority: 5, enqueuedAt: T0 })).rejects.toMatchObject({ code: 'acd:unknown-skill' });
    await expect(router.pick('nights', T0)).rejects.toMatchObject({ code: 'acd:unknown-queue' });
  });
});
