/**
 * The agent desk over the real Redis: each change is stored, returned and handed to the
 * engine's `changed`, at the injected clock; the roster lists logged-in agents only; an
 * endpoint held by another logged-in agent is refused; wrap-up extensions are bounded.
 */
import { describe, expect, it } from 'vitest';
import { AgentDesk, MAX_WRAP_UP_EXTENSION_SECONDS } from '../../src/acd/agent-desk.js';
import type { AgentStateChanged } from '../../src/acd/index.js';
import { acdKeys } from '../../src/acd/index.js';
import { useTestRedis } from '../support/test-redis.js';
import { T0, agent, testAcd } from './support.js';

const redis = useTestRedis();

function deskFor() {
  const acd = testAcd(redis);
  const events: AgentStateChanged[] = [];
  const clock = { now: T0 };
  const desk = new AgentDesk({ store: acd.store, redis, keys: acdKeys(acd.prefix), changed: (e) => events.push(e), now: () => clock.now });
  return { ...acd, desk, events, clock };
}

/** Rings the agent for a call and has it answered: the engine's part, done by hand. */
async function onCall(store: ReturnType<typeof testAcd>['store'], agentId: string, callId: string, at: number) {
  await store.apply(agentId, { type: 'offer', callId, queue: 'general' }, at);
  await store.apply(agentId, { type: 'answer', callId }, at);
}

describe('AgentDesk', () => {
  it('logs in, pauses, gets ready and logs out, each change returned and told to the engine at the desk clock', async () => {
    const { desk, events, clock } = deskFor();
    const login = await desk.login(agent('1001', { general: 5 }), 'lunch');
    expect(login).toMatchObject({ agentId: '1001', from: 'offline', to: 'not-ready', reason: 'lunch', at: new Date(T0).toISOString() });
    clock.now = T0 + 60_000;
    expect(await desk.setReady('1001')).toMatchObject({ from: 'not-ready', to: 'ready', at: new Date(T0 + 60_000).toISOString() });
    expect(await desk.pause('1001', 'lunch')).toMatchObject({ from: 'ready', to: 'not-ready', reason: 'lunch' });
    expect(await desk.logout('1001')).toMatchObject({ from: 'not-ready', to: 'offline' });
    expect(events.map((e) => `${e.from}>${e.to}`)).toEqual(['offline>not-ready', 'not-ready>ready', 'ready>not-ready', 'not-ready>offline']);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4]);
    expect((await desk.get('1001'))?.state).toEqual({ kind: 'offline', since: T0 + 60_000 });
    expect(await desk.get('nobody')).toBeNull();
  });

  it('ends and extends a wrap-up, bounded per request, and refuses them outside a wrap-up', async () => {
    const { desk, store, clock } = deskFor();
    await desk.login(agent('1001', { general: 5 }));
    await expect(desk.endWrapUp('1001')).rejects.toMatchObject({ code: 'acd:agent-not-in-wrap-up', status: 409 });
    await onCall(store, '1001', 'call-1', T0);
    await store.apply('1001', { type: 'hang-up', callId: 'call-1', wrapUpSeconds: 30 }, T0 + 1000);
    const extended = await desk.extendWrapUp('1001', 120);
    expect(extended.state).toMatchObject({ kind: 'wrap-up', until: T0 + 1000 + 30_000 + 120_000 });
    await expect(desk.extendWrapUp('1001', MAX_WRAP_UP_EXTENSION_SECONDS + 1)).rejects.toMatchObject({ code: 'acd:bad-wrap-up-extension', status: 400 });
    await expect(desk.extendWrapUp('1001', 0)).rejects.toMatchObject({ status: 400 });
    clock.now = T0 + 5000;
    expect(await desk.endWrapUp('1001')).toMatchObject({ from: 'wrap-up', to: 'ready', state: { kind: 'ready', since: T0 + 5000, idleSince: T0 + 5000 } });
  });

  it('refuses what the state forbids with the ACD codes, and tells the engine nothing then', async () => {
    const { desk, store, events } = deskFor();
    await expect(desk.setReady('ghost')).rejects.toMatchObject({ code: 'acd:no-such-agent', status: 404 });
    await desk.login(agent('1001', { general: 5 }));
    await expect(desk.login(agent('1001', { general: 5 }))).rejects.toMatchObject({ code: 'acd:already-logged-in', status: 409 });
    await onCall(store, '1001', 'call-1', T0);
    const told = events.length;
    await expect(desk.logout('1001')).rejects.toMatchObject({ code: 'acd:agent-busy', status: 409 });
    await expect(desk.pause('1001', 'lunch')).rejects.toMatchObject({ code: 'acd:agent-busy', status: 409 });
    await expect(desk.pause('1001', 'smoking')).rejects.toMatchObject({ code: 'acd:unknown-reason', status: 400 });
    expect(events.length).toBe(told);
  });

  it('lists the logged-in agents in one read, by id, without those logged out', async () => {
    const { desk } = deskFor();
    expect(await desk.list()).toEqual([]);
    for (const id of ['1003', '1001', '1002']) await desk.login(agent(id, { general: 5 }));
    await desk.logout('1002');
    const listed = await desk.list();
    expect(listed.map((a) => [a.id, a.state.kind, a.endpoint])).toEqual([
      ['1001', 'ready', 'PJSIP/1001'],
      ['1003', 'ready', 'PJSIP/1003'],
    ]);
    expect(listed[0]).toEqual(await desk.get('1001'));
  });

  it("refuses a login on an endpoint another logged-in agent holds, and takes it once that agent is gone", async () => {
    const { desk } = deskFor();
    await desk.login(agent('1001', { general: 5 }));
    const onSeat1001 = { ...agent('li.na', { general: 5 }), endpoint: 'PJSIP/1001' };
    await expect(desk.login(onSeat1001)).rejects.toMatchObject({ code: 'acd:endpoint-in-use', status: 409 });
    await desk.logout('1001');
    expect(await desk.login(onSeat1001)).toMatchObject({ agentId: 'li.na', to: 'ready' });
  });
});
