/**
 * An instance that dies between its pick and the originate (or with a hand-off unsettled)
 * leaves the pair reserved in Redis with no leg anywhere: the agent "ringing", the call
 * "offered". Any instance's sweep frees both once the offer is older than any ring can be:
 * the agent ready, the call back at the head of its queue. The pick here is the real pick
 * script's (what the dead instance ran); the sweep runs on the clock the test gives it.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { acdKeys, type AgentStateChanged } from '../../src/acd/index.js';
import { AgentSweeper } from '../../src/acd/engine/agent-sweeper.js';
import { useTestRedis } from '../support/test-redis.js';
import { T0, agent, testAcd } from './support.js';

const redis = useTestRedis();
const RING_SECONDS = 20;
/** The sweep's limit: the longest ring timeout and 30 s of slack. */
const RING_LIMIT_MS = (RING_SECONDS + 30) * 1000;

function scene() {
  const acd = testAcd(redis, undefined, { skills: ['general'], queues: { general: { skill: 'general', ringTimeoutSeconds: RING_SECONDS } } });
  const changes: AgentStateChanged[] = [];
  let now = T0;
  let hears = true;
  const sweeper = new AgentSweeper(
    { redis, keys: acdKeys(acd.prefix), config: acd.config, agents: acd.store, calls: acd.calls, now: () => now, changed: (e) => changes.push(e), log: pino({ level: 'silent' }), hearsAsterisk: () => hears },
    60_000,
  );
  return { ...acd, changes, sweeper, at: (ms: number) => (now = ms), hearing: (yes: boolean) => (hears = yes) };
}

describe('an offer picked by an instance that died before ringing the agent', () => {
  it('is released by a sweep once older than any ring: the agent ready, the call first in line again', async () => {
    const t = scene();
    await t.store.login(agent('a1', { general: 5 }), T0);
    await t.calls.enqueue({ callId: 'first', queue: 'general', priority: 5, enqueuedAt: T0 + 100, app: 'hotline-node-gone' });
    await t.calls.enqueue({ callId: 'second', queue: 'general', priority: 5, enqueuedAt: T0 + 200, app: 'hotline-node-gone' });
    const picked = await t.router.pick('general', T0 + 1000);
    expect(picked).toMatchObject({ callId: 'first', agentId: 'a1' });
    // No originate: the instance is gone. Within the ring limit the reservation stands.
    t.at(T0 + 1000 + RING_LIMIT_MS - 1);
    await t.sweeper.sweep();
    expect((await t.store.get('a1'))?.state).toMatchObject({ kind: 'ringing', callId: 'first' });
    expect(await t.calls.state('first')).toMatchObject({ state: 'offered', agentId: 'a1' });

    t.at(T0 + 1000 + RING_LIMIT_MS + 1);
    await t.sweeper.sweep();
    expect((await t.store.get('a1'))?.state).toMatchObject({ kind: 'ready' });
    expect(t.changes.map((c) => [c.agentId, c.to])).toEqual([['a1', 'ready']]);
    expect(await t.calls.state('first')).toMatchObject({ state: 'waiting' });
    // Back at the head: offered again before the call that came after it.
    expect(await t.router.pick('general', T0 + 1000 + RING_LIMIT_MS + 2)).toMatchObject({ callId: 'first', agentId: 'a1' });
  });

  it('is left to the reconcile while this instance does not hear Asterisk (its event socket down), and released once it does', async () => {
    const t = scene();
    await t.store.login(agent('a1', { general: 5 }), T0);
    await t.calls.enqueue({ callId: 'first', queue: 'general', priority: 5, enqueuedAt: T0 + 100, app: 'hotline' });
    await t.router.pick('general', T0 + 1000);
    t.at(T0 + 1000 + RING_LIMIT_MS + 1);
    // The leg may have rung out unheard: only the reconcile after the reconnect can tell a miss.
    t.hearing(false);
    await t.sweeper.sweep();
    expect((await t.store.get('a1'))?.state).toMatchObject({ kind: 'ringing', callId: 'first' });
    expect(await t.calls.state('first')).toMatchObject({ state: 'offered', agentId: 'a1' });
    expect(t.changes).toEqual([]);
    t.hearing(true);
    await t.sweeper.sweep();
    expect((await t.store.get('a1'))?.state).toMatchObject({ kind: 'ready' });
    expect(await t.calls.state('first')).toMatchObject({ state: 'waiting' });
  });

  it('leaves an offer that moved meanwhile to whoever moved it: a second sweep changes nothing', async () => {
    const t = scene();
    await t.store.login(agent('a1', { general: 5 }), T0);
    await t.calls.enqueue({ callId: 'only', queue: 'general', priority: 5, enqueuedAt: T0 + 100, app: 'hotline-node-gone' });
    const picked = (await t.router.pick('general', T0 + 1000))!;
    t.at(T0 + 1000 + RING_LIMIT_MS + 1);
    // Another instance released it first.
    await t.calls.requeue('only', picked.offerChannel);
    await t.sweeper.sweep();
    expect((await t.store.get('a1'))?.state).toMatchObject({ kind: 'ready' });
    expect(await t.calls.state('only')).toMatchObject({ state: 'waiting' });
    const before = t.changes.length;
    await t.sweeper.sweep();
    expect(t.changes).toHaveLength(before);
  });
});
