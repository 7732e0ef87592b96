/**
 * Supervisors on a live call, against the ARI simulator, the run's Redis and the service's
 * call registry: a citizen and an agent talk in the call's mixing bridge `call-<callId>`
 * with the talk record and the agent on call set up here (as the offering engine leaves
 * them). The supervisor's phone rings first; listen and whisper snoop the agent's channel
 * with the directions Asterisk needs (s14), barge makes the call three-way, and whichever
 * side ends first, nothing of the supervision stays behind.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AcdConfigSchema, AgentStore, acdKeys, type AcdError } from '../../src/acd/index.js';
import { Supervision, SupervisionError, snoopChannelId, supervisionIds, type SupervisionMode } from '../../src/acd/supervision/index.js';
import { startHarness, type Harness } from '../support/service-harness.js';
import { createTestLogger } from '../support/test-logger.js';
import { useTestRedis } from '../support/test-redis.js';

const redis = useTestRedis();
const config = AcdConfigSchema.parse({ skills: ['general'], queues: { general: { skill: 'general' } } });
const SUPERVISOR = 'PJSIP/1002';
const ACTOR = { name: 'zhang-wei', role: 'supervisor' };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.service.calls.registerRole('party', () => undefined);
});
afterAll(async () => {
  await h.close();
});

/** What the supervisions logged, parsed: the audit lines are checked by actor. */
let lines: Array<Record<string, unknown>> = [];
const log = createTestLogger({ stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }, level: 'info' });
const audited = () => lines.filter((l) => l.audit === true).map((l) => ({ action: l.action, actor: l.actor, role: l.role, supervisionId: l.supervisionId, agentId: l.agentId }));

let supervision: Supervision | undefined;
afterEach(async () => {
  await supervision?.close();
  supervision = undefined;
  lines = [];
});

interface LiveCall {
  callId: string;
  agentId: string;
  caller: string;
  agent: string;
  bridge: string;
  prefix: string;
  store: AgentStore;
}

const channelIds = () => h.sim.channels().map((c) => c.id as string);
const bridge = (id: string) => h.sim.bridges().find((b) => b.id === id) as { channels: string[] } | undefined;
const requests = (method: string, pathStart: string) => h.sim.requests().filter((r) => r.method === method && r.path.startsWith(pathStart));
const snoopRequests = (agentChannel: string) => requests('POST', `/channels/${agentChannel}/snoop`);

/** A citizen and an agent talking in `call-<callId>`, the agent on call, the talk record written. */
async function liveCall(): Promise<LiveCall> {
  const prefix = `test:supervision:${randomUUID()}:`;
  const keys = acdKeys(prefix);
  const store = new AgentStore({ redis, keys, config });
  const callId = randomUUID();
  const agentId = `a${callId.slice(0, 8)}`;
  const caller = `citizen-${callId}`;
  const agent = `agent-${callId}`;
  const bridgeId = `call-${callId}`;
  h.sim.registerEndpoint('1001', { phone: { kind: 'answer', afterMs: 0 } });
  await h.ari.originate({ endpoint: 'Local/agent-echo@ari-helper', channelId: caller, appArgs: 'role:party' });
  await h.ari.originate({ endpoint: 'PJSIP/1001', channelId: agent, appArgs: 'role:party' });
  await vi.waitFor(() => expect(h.sim.channels().filter((c) => [caller, agent].includes(c.id as string) && c.state === 'Up')).toHaveLength(2));
  // The channels are in the app once their StasisStart has gone out.
  await vi.waitFor(() => expect(h.sim.events().filter((e) => e.event.type === 'StasisStart' && [caller, agent].includes((e.event as { channel?: { id: string } }).channel?.id ?? ''))).toHaveLength(2));
  await h.ari.createBridge({ bridgeId, type: 'mixing' });
  await h.ari.addToBridge(bridgeId, [caller, agent]);

  await store.login({ id: agentId, displayName: 'Agent', endpoint: 'PJSIP/1001', skills: { general: 5 }, kind: 'regular' }, Date.now());
  await store.apply(agentId, { type: 'offer', callId, queue: 'general' }, Date.now());
  await store.apply(agentId, { type: 'answer', callId }, Date.now());
  await redis.hset(keys.talk(callId), { callerChannel: caller, agentChannel: agent, bridge: bridgeId, app: h.ari.app, agentId, queue: 'general', answeredAt: String(Date.now()) });
  return { callId, agentId, caller, agent, bridge: bridgeId, prefix, store };
}

function supervise(call: LiveCall, o: { checkEveryMs?: number; ringTimeoutSeconds?: number } = {}): Supervision {
  supervision = new Supervision({
    ari: h.ari,
    agents: call.store,
    redis,
    keyPrefix: call.prefix,
    log,
    checkEveryMs: o.checkEveryMs ?? 60_000,
    ringTimeoutSeconds: o.ringTimeoutSeconds ?? 30,
  });
  supervision.attach(h.service.calls);
  return supervision;
}

/** The supervisor's phone rings until the test answers it. */
function supervisorPhoneRings(): void {
  h.sim.registerEndpoint('1002', { phone: { kind: 'ring' } });
}

async function answered(id: string): Promise<void> {
  const { supervisorChannel } = supervisionIds(id);
  await vi.waitFor(() => expect(h.sim.channels().find((c) => c.id === supervisorChannel)?.state).toBe('Ringing'));
  h.sim.answerChannel(supervisorChannel);
}

/** Nothing of the supervision is left in Asterisk nor in Redis; the call goes on or not as it was. */
async function nothingLeft(s: Supervision, id: string): Promise<void> {
  const ids = supervisionIds(id);
  await vi.waitFor(async () => {
    expect(channelIds().filter((c) => c.startsWith(ids.supervisorChannel))).toEqual([]);
    expect(bridge(ids.helperBridge)).toBeUndefined();
    expect(s.runningHere()).toEqual([]);
    expect(await s.list()).toEqual([]);
  });
}

describe.each<[SupervisionMode, string]>([['listen', 'none'], ['whisper', 'out']])('%s', (mode, whisper) => {
  it(`rings the supervisor first, then snoops the agent's channel (spy both, whisper ${whisper}) into a helper bridge`, async () => {
    const call = await liveCall();
    const s = supervise(call);
    supervisorPhoneRings();
    const started = await s.start({ mode, agentId: call.agentId, supervisorEndpoint: SUPERVISOR, actor: ACTOR });
    const ids = supervisionIds(started.id);
    expect(started).toMatchObject({ mode, agentId: call.agentId, callId: call.callId, phase: 'ringing', actor: 'zhang-wei' });

    const originate = requests('POST', '/channels').find((r) => r.query.channelId === ids.supervisorChannel);
    expect(originate?.query).toMatchObject({ endpoint: SUPERVISOR, app: h.ari.app, appArgs: `role:supervisor,${started.id}` });
    expect(await s.list()).toMatchObject([{ id: started.id, phase: 'ringing' }]);
    // Ringing: nothing touches the call yet.
    await vi.waitFor(() => expect(h.sim.channels().find((c) => c.id === ids.supervisorChannel)?.state).toBe('Ringing'));
    expect(snoopRequests(call.agent)).toEqual([]);

    await answered(started.id);
    await vi.waitFor(() => expect(bridge(ids.helperBridge)?.channels.slice().sort()).toEqual([snoopChannelId(started.id, 1), ids.supervisorChannel].sort()));
    expect(snoopRequests(call.agent).map((r) => r.query)).toEqual([
      expect.objectContaining({ spy: 'both', whisper, snoopId: snoopChannelId(started.id, 1), app: h.ari.app, appArgs: `role:snoop,${started.id}` }),
    ]);
    expect(bridge(call.bridge)?.channels.slice().sort()).toEqual([call.caller, call.agent].sort());
    await vi.waitFor(async () => expect(await s.list()).toMatchObject([{ id: started.id, phase: 'active', actor: 'zhang-wei' }]));

    // The supervisor hangs up: snoop and helper bridge go, the call talks on.
    h.sim.hangupFromCaller(ids.supervisorChannel);
    await nothingLeft(s, started.id);
    expect(channelIds().filter((c) => c === snoopChannelId(started.id, 1))).toEqual([]);
    expect(bridge(call.bridge)?.channels.slice().sort()).toEqual([call.caller, call.agent].sort());
  });
});

describe('barge', () => {
  it("puts the supervisor into the call's bridge: three channels; no snoop", async () => {
    const call = await liveCall();
    const s = supervise(call);
    h.sim.registerEndpoint('1002', { phone: { kind: 'answer', afterMs: 0 } });
    const { id } = await s.start({ mode: 'barge', agentId: call.agentId, supervisorEndpoint: SUPERVISOR, actor: ACTOR });
    const ids = supervisionIds(id);
    await vi.waitFor(() => expect(bridge(call.bridge)?.channels.slice().sort()).toEqual([call.caller, call.agent, ids.supervisorChannel].sort()));
    expect(snoopRequests(call.agent)).toEqual([]);
    expect(bridge(ids.helperBridge)).toBeUndefined();
  });

  it('ends when the call ends: the supervisor is not left alone in the bridge', async () => {
    const call = await liveCall();
    const s = supervise(call);
    h.sim.registerEndpoint('1002', { phone: { kind: 'answer', afterMs: 0 } });
    const { id } = await s.start({ mode: 'barge', agentId: call.agentId, supervisorEndpoint: SUPERVISOR, actor: ACTOR });
    await vi.waitFor(() => expect(bridge(call.bridge)?.channels).toHaveLength(3));
    await h.ari.hangup(call.agent);
    await nothingLeft(s, id);
    expect(bridge(call.bridge)?.channels).toEqual([call.caller]);
  });
});

describe('switching modes', () => {
  it('listen → whisper → barge → listen: a new snoop for each direction, the leg moved by addChannel, old snoops gone', async () => {
    const call = await liveCall();
    const s = supervise(call);
    h.sim.registerEndpoint('1002', { phone: { kind: 'answer', afterMs: 0 } });
    const { id } = await s.start({ mode: 'listen', agentId: call.agentId, supervisorEndpoint: SUPERVISOR, actor: ACTOR });
    const ids = supervisionIds(id);
    const inHelper = (n: number) => vi.waitFor(() => expect(bridge(ids.helperBridge)?.channels.slice().sort()).toEqual([snoopChannelId(id, n), ids.supervisorChannel].sort()));
    await inHelper(1);
    await vi.waitFor(() => expect(s.runningHere()).toMatchObject([{ phase: 'active' }]));

    expect(await s.switchMode(id, 'whisper', ACTOR)).toMatchObject({ mode: 'whisper', phase: 'active' });
    await inHelper(2);
    expect(channelIds()).not.toContain(snoopChannelId(id, 1));

    await s.switchMode(id, 'barge', ACTOR);
    await vi.waitFor(() => expect(bridge(call.bridge)?.channels.slice().sort()).toEqual([call.caller, call.agent, ids.supervisorChannel].sort()));
    await vi.waitFor(() => expect(bridge(ids.helperBridge)).toBeUndefined());
    expect(channelIds().filter((c) => c.startsWith(`${ids.supervisorChannel}-snoop`))).toEqual([]);

    await s.switchMode(id, 'listen', ACTOR);
    await inHelper(3);
    expect(bridge(call.bridge)?.channels.slice().sort()).toEqual([call.caller, call.agent].sort());
    expect(snoopRequests(call.agent).map((r) => [r.query.snoopId, r.query.spy, r.query.whisper])).toEqual([
      [snoopChannelId(id, 1), 'both', 'none'],
      [snoopChannelId(id, 2), 'both', 'out'],
      [snoopChannelId(id, 3), 'both', 'none'],
    ]);
    // Leaving the call's bridge on the way out of the barge did not end it.
    expect(s.runningHere()).toMatchObject([{ id, mode: 'listen', phase: 'active' }]);
    expect(await s.list()).toMatchObject([{ id, mode: 'listen' }]);
    expect(audited().map((a) => a.action)).toEqual(['supervision.start', 'supervision.switch', 'supervision.switch', 'supervision.switch']);

    await h.ari.hangup(call.agent);
    await nothingLeft(s, id);
  });

  it('while the supervisor still rings, a switch changes the mode it joins in', async () => {
    const call = await liveCall();
    const s = supervise(call);
    supervisorPhoneRings();
    const { id } = await s.start({ mode: 'listen', agentId: call.agentId, supervisorEndpoint: SUPERVISOR, actor: ACTOR });
    expect(await s.switchMode(id, 'barge', ACTOR)).toMatchObject({ mode: 'barge', phase: 'ringing' });
    await answered(id);
    await vi.waitFor(() => expect(bridge(call.bridge)?.channels).toHaveLength(3));
    expect(snoopRequests(call.agent)).toEqual([]);
  });

  it('an unknown supervision: 404', async () => {
    const call = await liveCall();
    const s = supervise(call);
    await expect(s.switchMode('nope', 'barge', ACTOR)).rejects.toMatchObject({ code: 'acd:no-such-supervision', status: 404 });
  });
});

describe('the end of a supervision', () => {
  it("a listen ends with the agent's channel, and its snoop goes too", async () => {
    const call = await liveCall();
    const s = supervise(call);
    h.sim.registerEndpoint('1002', { phone: { kind: 'answer', afterMs: 0 } });
    const { id } = await s.start({ mode: 'listen', agentId: call.agentId, supervisorEndpoint: SUPERVISOR, actor: ACTOR });
    const ids = supervisionIds(id);
    await vi.waitFor(() => expect(bridge(ids.helperBridge)?.channels).toHaveLength(2));
    await h.ari.hangup(call.agent);
    await nothingLeft(s, id);
    expect(channelIds()).not.toContain(snoopChannelId(id, 1));
  });

  it('a call owned by another instance ends out of sight: its talk record going ends the supervision', async () => {
    const call = await liveCall();
    const s = supervise(call, { checkEveryMs: 50 });
    h.sim.registerEndpoint('1002', { phone: { kind: 'answer', afterMs: 0 } });
    const { id } = await s.start({ mode: 'whisper', agentId: call.agentId, supervisorEndpoint: SUPERVISOR, actor: ACTOR });
    await vi.waitFor(() => expect(bridge(supervisionIds(id).helperBridge)?.channels).toHaveLength(2));
    await redis.del(acdKeys(call.prefix).talk(call.callId));
    await nothingLeft(s, id);
  });

  it('stop() hangs up the supervisor: snoop and helper bridge go, the call talks on', async () => {
    const call = await liveCall();
    const s = supervise(call);
    h.sim.registerEndpoint('1002', { phone: { kind: 'answer', afterMs: 0 } });
    const { id } = await s.start({ mode: 'whisper', agentId: call.agentId, supervisorEndpoint: SUPERVISOR, actor: ACTOR });
    await vi.waitFor(() => expect(bridge(supervisionIds(id).helperBridge)?.channels).toHaveLength(2));
    await s.stop(id, ACTOR);
    await nothingLeft(s, id);
    expect(bridge(call.bridge)?.channels.slice().sort()).toEqual([call.caller, call.agent].sort());
    await expect(s.stop(id, ACTOR)).rejects.toMatchObject({ code: 'acd:no-such-supervision', status: 404 });
    expect(audited()).toEqual([
      { action: 'supervision.start', actor: 'zhang-wei', role: 'supervisor', supervisionId: id, agentId: call.agentId },
      { action: 'supervision.stop', actor: 'zhang-wei', role: 'supervisor', supervisionId: id, agentId: call.agentId },
    ]);
  });

  it('stopped from another instance before its leg existed (the record removed there): the answered leg joins nothing', async () => {
    const call = await liveCall();
    const s = supervise(call);
    supervisorPhoneRings();
    const { id } = await s.start({ mode: 'listen', agentId: call.agentId, supervisorEndpoint: SUPERVISOR, actor: ACTOR });
    // What a stop() elsewhere leaves when its hangup finds no leg yet: the record gone.
    await redis.multi().del(`${call.prefix}acd:supervision:${id}`).srem(`${call.prefix}acd:supervisions`, id).exec();
    await answered(id);
    await nothingLeft(s, id);
    expect(snoopRequests(call.agent)).toEqual([]);
    expect(bridge(call.bridge)?.channels.slice().sort()).toEqual([call.caller, call.agent].sort());
  });

  it('a supervisor who does not answer leaves nothing behind, and the call was never touched', async () => {
    const call = await liveCall();
    const s = supervise(call, { ringTimeoutSeconds: 1 });
    supervisorPhoneRings();
    const { id } = await s.start({ mode: 'listen', agentId: call.agentId, supervisorEndpoint: SUPERVISOR, actor: ACTOR });
    await vi.waitFor(() => expect(channelIds()).toContain(supervisionIds(id).supervisorChannel));
    await nothingLeft(s, id);
    expect(snoopRequests(call.agent)).toEqual([]);
    expect(bridge(call.bridge)?.channels.slice().sort()).toEqual([call.caller, call.agent].sort());
  });
});

describe('refusals', () => {
  it('an agent not on a call: 409 acd:agent-not-on-call, and no phone rings', async () => {
    const call = await liveCall();
    const s = supervise(call);
    await call.store.apply(call.agentId, { type: 'hang-up', callId: call.callId, wrapUpSeconds: 30 }, Date.now());
    const before = requests('POST', '/channels').length;
    const err = (await s.start({ mode: 'listen', agentId: call.agentId, supervisorEndpoint: SUPERVISOR, actor: ACTOR }).catch((e: unknown) => e)) as SupervisionError;
    expect(err).toBeInstanceOf(SupervisionError);
    expect(err).toMatchObject({ code: 'acd:agent-not-on-call', status: 409 });
    expect(requests('POST', '/channels')).toHaveLength(before);
  });

  it('before it hears the registry nothing starts: 503 acd:telephony-unavailable, and no phone rings', async () => {
    const call = await liveCall();
    const before = requests('POST', '/channels').length;
    const detached = new Supervision({ ari: h.ari, agents: call.store, redis, keyPrefix: call.prefix, log });
    await expect(detached.start({ mode: 'listen', agentId: call.agentId, supervisorEndpoint: SUPERVISOR, actor: ACTOR })).rejects.toMatchObject({ code: 'acd:telephony-unavailable', status: 503 });
    expect(requests('POST', '/channels')).toHaveLength(before);
  });

  it('an unknown agent: 404 acd:no-such-agent', async () => {
    const call = await liveCall();
    const s = supervise(call);
    const err = (await s.start({ mode: 'barge', agentId: 'nobody', supervisorEndpoint: SUPERVISOR, actor: ACTOR }).catch((e: unknown) => e)) as AcdError;
    expect(err).toMatchObject({ code: 'acd:no-such-agent', status: 404 });
  });

  it("a supervisor endpoint that cannot be called: 409 acd:supervisor-unreachable, and no record stays", async () => {
    const call = await liveCall();
    const s = supervise(call);
    h.sim.unregisterEndpoint('1002');
    const err = await s.start({ mode: 'listen', agentId: call.agentId, supervisorEndpoint: SUPERVISOR, actor: ACTOR }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'acd:supervisor-unreachable', status: 409 });
    expect(await s.list()).toEqual([]);
    expect(s.runningHere()).toEqual([]);
  });
});
