/**
 * The agent desk over the real Redis: each change is stored, returned and handed to the
 * engine's `changed`, at the injected clock; the roster lists logged-in agents only; an
 * endpoint held by another logged-in agent is refused; wrap-up extensions are bounded. The
 * roster, kept beside the ACD's keys, gives who an agent is at login; a seat may differ.
 */
import { describe, expect, it } from 'vitest';
import { AgentDesk, MAX_WRAP_UP_EXTENSION_SECONDS } from '../../src/acd/agent-desk.js';
import type { AgentStateChanged } from '../../src/acd/index.js';
import { acdKeys } from '../../src/acd/index.js';
import { useTestRedis } from '../support/test-redis.js';
import { T0, agent, testAcd } from './support.js';

const redis = useTestRedis();

function deskFor(options: { skills?: boolean } = {}) {
  const acd = testAcd(redis);
  const events: AgentStateChanged[] = [];
  const clock = { now: T0 };
  const skills = options.skills === false ? undefined : acd.config.skills;
  const desk = new AgentDesk({ store: acd.store, redis, keys: acdKeys(acd.prefix), changed: (e) => events.push(e), now: () => clock.now, skills });
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

describe('AgentDesk and the roster', () => {
  const entry = (endpoint: string, skills: Record<string, number>, kind: 'regular' | 'guest' = 'regular') => ({ displayName: `坐席${endpoint}`, endpoint, skills, kind });

  it('keeps the roster beside the ACD keys, lists it by id and logs an agent in as its entry says', async () => {
    const { desk, prefix } = deskFor();
    expect(await desk.rosterEntries()).toEqual([]);
    await desk.putOnRoster('1002', entry('PJSIP/1002', { general: 5 }));
    expect(await desk.putOnRoster('lead.wang', entry('PJSIP/1801', { leaders: 9 }, 'guest'))).toEqual({ id: 'lead.wang', ...entry('PJSIP/1801', { leaders: 9 }, 'guest') });
    expect(await redis.sismember(`${prefix}acd:roster`, 'lead.wang')).toBe(1);
    expect(await redis.hget(`${prefix}acd:roster:lead.wang`, 'kind')).toBe('guest');
    expect((await desk.rosterEntries()).map((a) => a.id)).toEqual(['1002', 'lead.wang']);

    expect(await desk.loginFromRoster('lead.wang', { reason: 'lunch' })).toMatchObject({ agentId: 'lead.wang', to: 'not-ready', reason: 'lunch' });
    expect(await desk.get('lead.wang')).toMatchObject({ displayName: '坐席PJSIP/1801', endpoint: 'PJSIP/1801', kind: 'guest', skills: { leaders: 9 } });
  });

  it('replaces an entry whole on a second put', async () => {
    const { desk } = deskFor();
    await desk.putOnRoster('1001', entry('PJSIP/1001', { general: 5, enterprise: 4 }, 'guest'));
    await desk.putOnRoster('1001', entry('PJSIP/1001', { general: 6 }));
    expect(await desk.onRoster('1001')).toEqual({ id: '1001', ...entry('PJSIP/1001', { general: 6 }) });
  });

  it('puts the agent on another seat for the session only, still refusing a seat another agent holds', async () => {
    const { desk } = deskFor();
    await desk.putOnRoster('1001', entry('PJSIP/1001', { general: 5 }));
    await desk.putOnRoster('1002', entry('PJSIP/1002', { general: 5 }));
    await desk.loginFromRoster('1001', { endpoint: 'PJSIP/2001' });
    expect((await desk.get('1001'))?.endpoint).toBe('PJSIP/2001');
    expect((await desk.onRoster('1001'))?.endpoint).toBe('PJSIP/1001');
    await expect(desk.loginFromRoster('1002', { endpoint: 'PJSIP/2001' })).rejects.toMatchObject({ code: 'acd:endpoint-in-use', status: 409 });
  });

  it('refuses a login without an entry, and entries with skills outside acd.skills or not whole', async () => {
    const { desk, events } = deskFor();
    await expect(desk.loginFromRoster('ghost')).rejects.toMatchObject({ code: 'acd:not-on-roster', status: 404 });
    await expect(desk.putOnRoster('1001', entry('PJSIP/1001', { tax: 5 }))).rejects.toMatchObject({ code: 'acd:unknown-skill', status: 400 });
    await expect(desk.putOnRoster('1001', entry('PJSIP/1001', {}))).rejects.toThrow(/at least one skill/);
    await expect(desk.putOnRoster('1001', entry('tel:1001', { general: 5 }))).rejects.toThrow(/dialable endpoint/);
    expect(await desk.onRoster('1001')).toBeNull();
    expect(events).toEqual([]);
  });

  it('without acd.skills given, refuses an unknown skill at login rather than at put', async () => {
    const { desk } = deskFor({ skills: false });
    await desk.putOnRoster('1001', entry('PJSIP/1001', { tax: 5 }));
    await expect(desk.loginFromRoster('1001')).rejects.toMatchObject({ code: 'acd:unknown-skill' });
    expect(await desk.get('1001')).toBeNull();
  });

  it('takes an agent off the roster only while logged out', async () => {
    const { desk } = deskFor();
    await desk.putOnRoster('1001', entry('PJSIP/1001', { general: 5 }));
    await desk.loginFromRoster('1001');
    await expect(desk.takeOffRoster('1001')).rejects.toMatchObject({ code: 'acd:agent-logged-in', status: 409 });
    await desk.logout('1001');
    await desk.takeOffRoster('1001');
    expect(await desk.onRoster('1001')).toBeNull();
    expect(await desk.rosterEntries()).toEqual([]);
    await expect(desk.takeOffRoster('1001')).rejects.toMatchObject({ code: 'acd:not-on-roster', status: 404 });
    await expect(desk.loginFromRoster('1001')).rejects.toMatchObject({ code: 'acd:not-on-roster' });
  });
});
