/**
 * The pieces the ACD gets back in step with Redis by after an outage (src/acd/engine/
 * redis-return.ts): an agent written back on the call it talks on when Redis came back empty
 * (and what its next login and its call's end do), and the writes kept while Redis was away.
 * The whole outage, under load, is test/resilience/redis-outage-*.test.ts.
 */
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { AcdError } from '../../src/acd/index.js';
import { UnstoredChanges } from '../../src/acd/engine/unstored-changes.js';
import { useTestRedis } from '../support/test-redis.js';
import { T0, agent, testAcd } from './support.js';

const redis = useTestRedis();
const silent = pino({ level: 'silent' });
const onCall = { callId: 'c1', queue: 'general', since: T0 };

describe('an agent written back on its call after Redis came back empty', () => {
  it('is on-call with that call again, logged in, without a profile; nothing is written over an agent Redis holds', async () => {
    const { store } = testAcd(redis);
    const event = await store.restoreOnCall('1001', onCall);
    expect(event).toMatchObject({ agentId: '1001', from: 'offline', to: 'on-call', callId: 'c1', queue: 'general' });
    expect(await store.get('1001')).toMatchObject({ state: { kind: 'on-call', callId: 'c1' }, endpoint: '', skills: {}, restored: true });
    expect(await store.countByState()).toMatchObject({ 'on-call': 1 });
    expect(await store.restoreOnCall('1001', { ...onCall, callId: 'c2' })).toBeNull();
    await store.login(agent('1002', { general: 5 }), T0);
    expect(await store.restoreOnCall('1002', onCall)).toBeNull();
    expect((await store.get('1002'))?.state.kind).toBe('ready');
  });

  it('logging in again gives the profile and keeps the call (not ready, not offered); the call ends in wrap-up as usual', async () => {
    const { store } = testAcd(redis);
    await store.restoreOnCall('1001', onCall);
    const login = await store.login(agent('1001', { general: 5 }), T0 + 1000);
    expect(login).toMatchObject({ from: 'on-call', to: 'on-call', callId: 'c1' });
    const after = await store.get('1001');
    expect(after).toMatchObject({ endpoint: 'PJSIP/1001', skills: { general: 5 }, state: { kind: 'on-call', callId: 'c1' } });
    expect(after?.restored).toBeUndefined();
    // Logged in again once is enough: a second login is refused as ever.
    await expect(store.login(agent('1001', { general: 5 }), T0)).rejects.toMatchObject({ code: 'acd:already-logged-in' });
    const hangUp = await store.apply('1001', { type: 'hang-up', callId: 'c1', wrapUpSeconds: 30 }, T0 + 5000);
    expect(hangUp).toMatchObject({ from: 'on-call', to: 'wrap-up' });
  });

  it('not logged in again, it is logged out when its call ends, and may then log in as anyone does', async () => {
    const { store } = testAcd(redis);
    await store.restoreOnCall('1001', onCall);
    expect(await store.apply('1001', { type: 'hang-up', callId: 'c1', wrapUpSeconds: 30 }, T0 + 5000)).toMatchObject({ from: 'on-call', to: 'offline' });
    expect(await store.countByState()).toMatchObject({ 'on-call': 0, offline: 1 });
    expect(await store.login(agent('1001', { general: 5 }), T0 + 6000)).toMatchObject({ from: 'offline', to: 'ready' });
    expect((await store.get('1001'))?.restored).toBeUndefined();
  });
});

describe('writes kept while Redis is away', () => {
  const away = (): Promise<never> => Promise.reject(new Error('Reached the max retries per request limit (which is 1).'));
  const refused = (): Promise<never> => Promise.reject(new AcdError('notOnCall', 'agent is ready; cannot hang-up'));

  it('keeps what Redis did not take and drops refusals', async () => {
    const unstored = new UnstoredChanges(silent);
    const written: string[] = [];
    await unstored.run('agent state', 'c1', away);
    await unstored.run('agent state', 'c2', refused);
    await unstored.run('queue exit', 'c3', async () => written.push('c3 first try'));
    await unstored.run('talk record removal', 'c4', away);
    expect(unstored.list()).toEqual([{ what: 'agent state', callId: 'c1' }, { what: 'talk record removal', callId: 'c4' }]);
    expect(written).toEqual(['c3 first try']);

  });

  it('writes what it kept in order once Redis is back, each deciding again (a refusal is dropped)', async () => {
    const replay = new UnstoredChanges(silent);
    let redisBack = false;
    const order: string[] = [];
    for (const id of ['a', 'b', 'c']) await replay.run('agent state', id, () => (redisBack ? (id === 'b' ? refused() : Promise.resolve(order.push(id))) : away()));
    expect(replay.size).toBe(3);
    redisBack = true;
    expect(await replay.writeAll()).toEqual({ written: 2, refused: 1, outdated: 0, kept: 0 });
    expect(order).toEqual(['a', 'c']);
    expect(replay.size).toBe(0);
  });

  it('keeps the rest, in order, when Redis goes again mid-way, and drops what is outdated', async () => {
    const replay = new UnstoredChanges(silent);
    let up = false;
    const order: string[] = [];
    for (const id of ['a', 'b', 'c', 'd']) await replay.run('queue exit', id, () => (up && id !== 'c' ? Promise.resolve(order.push(id)) : away()));
    up = true;
    expect(await replay.writeAll((change) => change.callId === 'b')).toEqual({ written: 1, refused: 0, outdated: 1, kept: 2 });
    expect(order).toEqual(['a']);
    expect(replay.list().map((c) => c.callId)).toEqual(['c', 'd']);
  });

  it('holds at most its limit, dropping the oldest', async () => {
    const unstored = new UnstoredChanges(silent, 2);
    for (const id of ['a', 'b', 'c']) await unstored.run('agent state', id, away);
    expect(unstored.list().map((c) => c.callId)).toEqual(['b', 'c']);
  });
});
