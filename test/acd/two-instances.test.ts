/**
 * Two service instances (two Redis connections) routing one queue at once: 50 agents, 500
 * calls. No agent may ever hold two calls, no call may reach two agents, and every call is
 * picked exactly once.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { T0, agent, testAcd, type TestAcd } from './support.js';

const AGENTS = 50;
const CALLS = 500;
/** Concurrent pick-and-release loops per instance: 2 × 10 = 20 agents busy at most, fewer than there are. */
const LANES = 10;

const connections = [0, 1].map(() => new Redis(inject('redisUrl'), { maxRetriesPerRequest: null }));
afterAll(async () => {
  await Promise.all(connections.map((c) => c.quit()));
});

describe('two instances picking concurrently', () => {
  it(`never gives an agent two calls nor a call two agents, and picks each of ${CALLS} calls once`, async () => {
    const prefix = `acd-two-${randomUUID()}:`;
    const instances = connections.map((redis) => testAcd(redis, prefix));
    const first = instances[0]!;
    for (let i = 0; i < AGENTS; i++) await first.store.login(agent(`agent-${i}`, { general: 5 + (i % 5) }), T0 + (i % 7));
    await Promise.all(
      Array.from({ length: CALLS }, (_, i) =>
        instances[i % 2]!.calls.enqueue({ callId: `call-${i}`, queue: 'general', priority: i % 3 === 0 ? 9 : 5, enqueuedAt: T0 + i }),
      ),
    );

    const holding = new Map<string, string>();
    const picksOf = new Map<string, string[]>();
    const doubleBooked: string[] = [];
    let clock = T0 + CALLS;

    // Pick, then answer and hang up (no wrap-up in this test's release) so the agent is ready again.
    const lane = async (acd: TestAcd, instance: number): Promise<void> => {
      for (;;) {
        const pick = await acd.router.pick('general', ++clock);
        if (!pick) return;
        if (holding.has(pick.agentId)) doubleBooked.push(`${pick.agentId}: ${holding.get(pick.agentId)} and ${pick.callId}`);
        holding.set(pick.agentId, pick.callId);
        picksOf.set(pick.callId, [...(picksOf.get(pick.callId) ?? []), `${pick.agentId}@${instance}`]);
        await acd.store.apply(pick.agentId, { type: 'answer', callId: pick.callId }, ++clock);
        await acd.calls.answered(pick.callId);
        holding.delete(pick.agentId);
        await acd.store.apply(pick.agentId, { type: 'hang-up', callId: pick.callId, wrapUpSeconds: 0 }, ++clock);
      }
    };
    await Promise.all(instances.flatMap((acd, n) => Array.from({ length: LANES }, () => lane(acd, n))));

    expect(doubleBooked).toEqual([]);
    expect([...picksOf.values()].filter((agents) => agents.length !== 1)).toEqual([]);
    expect(picksOf.size).toBe(CALLS);
    const byInstance = [0, 1].map((n) => [...picksOf.values()].filter((a) => a[0]!.endsWith(`@${n}`)).length);
    expect(Math.min(...byInstance), `picks per instance ${byInstance}`).toBeGreaterThan(0);
    expect(await first.calls.waitingIds('general')).toEqual([]);
    expect(await first.store.countByState()).toEqual({ offline: 0, ready: AGENTS, 'not-ready': 0, ringing: 0, 'on-call': 0, 'wrap-up': 0 });
  });
});
