/**
 * A restarted instance takes over a talk whose caller hangs up while it does (what the soak
 * met after each service kill: callers whose talk was long enough hung up as soon as the new
 * process came): the hang-up is heard before any wait of the new process holds the call, and
 * the talk's bridge cannot be made whole (`bridges.addChannel`: Channel not found). The agent
 * must not stay on a call that is over: their leg is hung up, they go to wrap-up, the talk
 * record is removed. The scene is the state a dead process leaves, in a real simulator and Redis.
 * The agent hanging up in that moment instead (a three-way with 110: the unit stays with the
 * caller): the talk is taken over without the agent, the bridge's members as they are now, so
 * the wait ends the agent's part as at any hang-up of theirs (wrap-up) and the unit is kept.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAriSimulator } from '../../sim/index.js';
import { acdKeys, type AgentStateChanged } from '../../src/acd/index.js';
import type { AcdCore } from '../../src/acd/acd-core.js';
import { takeOver, type TakeOverHost } from '../../src/acd/engine/call-resume.js';
import { talkRecordFields } from '../../src/acd/engine/talk-records.js';
import { createAriPort, type AriPort } from '../../src/ari/index.js';
import type { CallContext } from '../../src/calls/index.js';
import { useTestRedis } from '../support/test-redis.js';
import { T0, agent, testAcd } from './support.js';

const redis = useTestRedis();
const silent = pino({ level: 'silent' });
const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

async function scene() {
  const sim = await startAriSimulator({ port: 0, username: 'u', password: 'p', speed: 20 });
  closing.push(() => sim.close());
  const ari: AriPort = await createAriPort({ url: sim.url, username: 'u', password: 'p', app: 'hotline', requestTimeoutMs: 3000, reconnectMaxDelayMs: 1000, log: silent });
  closing.push(() => ari.close());
  const acd = testAcd(redis, undefined, { skills: ['general'], queues: { general: { skill: 'general', wrapUpSeconds: 30 } } });
  const keys = acdKeys(acd.prefix);
  const core = { config: acd.config, redis, keys, agents: acd.store, calls: acd.calls, router: acd.router } as unknown as AcdCore;
  const changes: AgentStateChanged[] = [];
  const host: TakeOverHost = {
    ari,
    core,
    waitingCall: () => {
      throw new Error('no wait is made for a caller who is gone');
    },
    ringing: () => undefined,
    changed: (e) => changes.push(e),
    now: () => T0 + 60_000,
  };
  return { sim, ari, acd, keys, host, changes };
}

describe('a talk taken over after a restart while its caller hangs up', () => {
  it('lets the agent go: their leg hung up, wrap-up, the talk record removed', async () => {
    const { sim, ari, acd, keys, host } = await scene();
    const callId = randomUUID();
    // The agent talks on call `callId` (as the dead process left them), their leg alone in the call's bridge.
    await acd.store.login(agent('a1', { general: 5 }), T0);
    await acd.store.apply('a1', { type: 'offer', callId, queue: 'general' }, T0 + 1000);
    await acd.store.apply('a1', { type: 'answer', callId }, T0 + 2000);
    sim.setEndpointBehaviour('PJSIP/a1', { kind: 'answer', afterMs: 10 });
    const agentLeg = `offer-${callId}-1`;
    await ari.originate({ endpoint: 'PJSIP/a1', channelId: agentLeg, appArgs: `role:agent,${callId},a1` });
    await vi.waitFor(() => expect(sim.channels().find((c) => c.id === agentLeg)?.state).toBe('Up'), { timeout: 10_000, interval: 20 });
    await ari.createBridge({ bridgeId: `call-${callId}`, type: 'mixing', name: `call-${callId}` });
    await ari.addToBridge(`call-${callId}`, [agentLeg]);
    // The caller's channel: hung up just now, heard by the new process before it held the call.
    const callerChannel = `caller-${callId}`;
    await redis.hset(keys.talk(callId), talkRecordFields({ callId, callerChannel, agentChannel: agentLeg, app: ari.app, agentId: 'a1', queue: 'general', answeredAt: T0 + 2000 }));
    const call = { callId, channelId: callerChannel, adopted: undefined, log: silent } as unknown as CallContext;

    await expect(takeOver(host, call, { queue: 'general', skill: 'general', priority: 5, line: '', reason: 'menu' } as never)).rejects.toThrow();

    expect((await acd.store.get('a1'))?.state).toMatchObject({ kind: 'wrap-up', callId });
    expect(await redis.hgetall(keys.talk(callId))).toEqual({});
    await vi.waitFor(() => expect(sim.channels().map((c) => c.id)).not.toContain(agentLeg), { timeout: 10_000, interval: 20 });
    expect(sim.bridges().map((b) => b.id)).not.toContain(`call-${callId}`);
  }, 60_000);

  it('the agent hanging up during the take-over: the wait gets the talk without the agent, caller and unit as members', async () => {
    const { sim, ari, acd, keys, host } = await scene();
    const callId = randomUUID();
    await acd.store.login(agent('a1', { general: 5 }), T0);
    await acd.store.apply('a1', { type: 'offer', callId, queue: 'general' }, T0 + 1000);
    await acd.store.apply('a1', { type: 'answer', callId }, T0 + 2000);
    for (const who of ['a1', 'caller', 'unit']) sim.setEndpointBehaviour(`PJSIP/${who}`, { kind: 'answer', afterMs: 10 });
    const [agentLeg, callerChannel, unitLeg] = [`offer-${callId}-1`, `caller-${callId}`, `emg-${callId}-1`];
    await ari.originate({ endpoint: 'PJSIP/a1', channelId: agentLeg, appArgs: `role:agent,${callId},a1` });
    await ari.originate({ endpoint: 'PJSIP/caller', channelId: callerChannel, appArgs: 'role:test' });
    await ari.originate({ endpoint: 'PJSIP/unit', channelId: unitLeg, appArgs: 'role:test' });
    await vi.waitFor(() => expect([agentLeg, callerChannel, unitLeg].map((id) => sim.channels().find((c) => c.id === id)?.state)).toEqual(['Up', 'Up', 'Up']), { timeout: 10_000, interval: 20 });
    await ari.createBridge({ bridgeId: `call-${callId}`, type: 'mixing', name: `call-${callId}` });
    await ari.addToBridge(`call-${callId}`, [callerChannel, unitLeg]);
    await redis.hset(keys.talk(callId), talkRecordFields({ callId, callerChannel, agentChannel: agentLeg, app: ari.app, agentId: 'a1', queue: 'general', answeredAt: T0 + 2000 }));
    // The take-over's read finds the agent's leg; it hangs up right after, before the bridge is made whole.
    let asked = false;
    const racing = new Proxy(ari, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (name !== 'getChannel' || typeof value !== 'function') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        return async (id: string) => {
          const answer = await (value as (id: string) => Promise<unknown>).call(target, id);
          if (id === agentLeg && !asked) {
            asked = true;
            sim.hangupFromCaller(agentLeg);
            await vi.waitFor(() => expect(sim.channels().map((c) => c.id)).not.toContain(agentLeg), { timeout: 10_000, interval: 20 });
          }
          return answer;
        };
      },
    });
    const made: Array<{ talking?: { agentThere: boolean } }> = [];
    const adopted: Array<readonly string[]> = [];
    const call = { callId, channelId: callerChannel, adopted: undefined, log: silent } as unknown as CallContext;
    const waiting = await takeOver(
      {
        ...host,
        ari: racing,
        adoptLeg: (_id, members) => (adopted.push(members), undefined),
        waitingCall: (_request, _queue, _at, resumed) => (made.push(resumed), {} as never),
      },
      call,
      { queue: 'general', skill: 'general', priority: 5, line: '', reason: 'menu' } as never,
    );

    expect(waiting).toBeDefined();
    expect(asked).toBe(true);
    expect(made.map((r) => r.talking?.agentThere)).toEqual([false]);
    expect([...adopted[0]!].sort()).toEqual([callerChannel, unitLeg].sort());
    expect([...(sim.bridges().find((b) => b.id === `call-${callId}`)?.channels as Iterable<string>)].sort()).toEqual([callerChannel, unitLeg].sort());
  }, 60_000);
});
