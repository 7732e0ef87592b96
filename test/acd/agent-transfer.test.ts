/**
 * An agent's blind transfer of the caller, through the real service, the simulator and
 * Redis: to another queue (the caller waits again with music, a second agent answers, the
 * first is in wrap-up), to a named ready agent (their phone rings, they answer), to an
 * agent who is not ready (409, nothing moved), to an agent who does not answer (the caller
 * waits in the queue they were answered from and another agent answers), the caller hanging
 * up while the named agent's phone rings (abandoned, the agent ready again), and the refusal
 * when the agent is not on a call. The statistics count the call once.
 */
import { describe, expect, it, vi } from 'vitest';
import { NO_ANSWER_REASON } from '../../src/acd/index.js';
import { eventually, type Harness } from '../support/service-harness.js';
import { callIdOf, callToQueue, eventsOf, simChannel, talkBridge, untilAgent } from './support/acd-calls.js';
import { agentAt, offerLegs, stateOf, useAcdScenarios } from './support/acd-scenarios.js';

const start = useAcdScenarios();
const SUPERVISOR = { name: 'duty-desk', role: 'supervisor' as const, token: 'supervisor-token-5f2e9c1a' };
const AGENT = { name: 'a1001', role: 'agent' as const, token: 'agent-token-a1001-7c3d' };
const answers = { kind: 'answer', afterMs: 100 } as const;

/** a1001 talks to a caller of the general queue. */
async function talking(h: Harness): Promise<{ channelId: string; callId: string; agentLeg: string }> {
  await agentAt(h, 'a1001', '1001', answers);
  const channelId = await callToQueue(h);
  const callId = callIdOf(h, channelId);
  await untilAgent(h, 'a1001', 'on-call');
  await eventually(() => talkBridge(h, callId)?.channels.length === 2, 5000, 'caller and agent bridged');
  return { channelId, callId, agentLeg: talkBridge(h, callId)!.channels.find((c) => c !== channelId)! };
}

function transfer(h: Harness, agentId: string, body: unknown, token = AGENT.token): Promise<Response> {
  return fetch(`${h.service.url}/acd/agents/${agentId}/transfer`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** The agent talking to the caller now (their leg in the call's bridge with the caller). */
async function untilTalkingWith(h: Harness, callId: string, channelId: string, agentId: string): Promise<string> {
  await untilAgent(h, agentId, 'on-call');
  await eventually(() => talkBridge(h, callId)?.channels.length === 2 && talkBridge(h, callId)!.channels.includes(channelId), 5000, `caller and ${agentId} bridged`);
  return talkBridge(h, callId)!.channels.find((c) => c !== channelId)!;
}

async function figures(h: Harness) {
  await h.service.acd!.stats.refresh();
  return h.service.acd!.stats.snapshot()!;
}

describe('an agent’s transfer', () => {
  it('to a queue: the agent goes to wrap-up, the caller waits again with music and a second agent answers; the call counts once', async () => {
    const h = await start(undefined, { apiTokens: [AGENT] });
    const { channelId, callId, agentLeg } = await talking(h);
    await agentAt(h, 'm1002', '1002', answers, { 'market-regulation': 5 });
    const music = vi.spyOn(h.ari, 'startMoh');

    const res = await transfer(h, 'a1001', { queue: 'market' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ outcome: 'queued', callId, queue: 'market', agentId: null });

    await eventually(() => simChannel(h, agentLeg) === undefined, 5000, 'the first agent’s leg hung up');
    await untilAgent(h, 'a1001', 'wrap-up');
    await eventually(() => music.mock.calls.some(([channel]) => channel === channelId), 5000, 'the caller hearing the hold music again');
    const secondLeg = await untilTalkingWith(h, callId, channelId, 'm1002');
    expect(secondLeg).not.toBe(agentLeg);
    expect(simChannel(h, channelId)).toBeDefined();

    expect(eventsOf(h, callId, 'call.transferred').map((e) => e.data)).toEqual([{ target: 'queue:market', kind: 'queue', by: 'a1001', fromAgent: 'a1001' }]);
    expect(eventsOf(h, callId, 'call.queued').map((e) => e.data.queue)).toEqual(['general', 'market']);
    expect(eventsOf(h, callId, 'call.agent-answered').map((e) => [e.data.queue, e.data.agentId])).toEqual([
      ['general', 'a1001'],
      ['market', 'm1002'],
    ]);

    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('completed');
    await untilAgent(h, 'm1002', 'wrap-up');
    const queue = h.record(callId)!.queue!;
    expect(queue).toMatchObject({ queue: 'market', agentId: 'm1002', result: 'answered', endedBy: 'caller', transfers: [{ fromAgent: 'a1001', to: 'queue:market', by: 'a1001' }] });
    expect(queue.transfers![0]!.talkMs).toBeGreaterThanOrEqual(0);

    // One call, offered and answered once (in the queue it came to); the second wait added nothing.
    await vi.waitFor(async () => expect((await figures(h)).queues.market!.ahtSeconds, 'the second handling counted').not.toBeNull(), { timeout: 5000 });
    const after = await figures(h);
    expect(after.queues.general).toMatchObject({ offered: 1, answered: 1, abandoned: 0 });
    expect(after.queues.market).toMatchObject({ offered: 0, answered: 0, abandoned: 0 });
    expect(after.queues.general!.ahtSeconds).not.toBeNull();
  });

  it('to a ready agent: their phone rings for the caller and they answer', async () => {
    const h = await start(undefined, { apiTokens: [SUPERVISOR] });
    const { channelId, callId, agentLeg } = await talking(h);
    await agentAt(h, 'b1002', '1002', answers);

    const res = await transfer(h, 'a1001', { agent: 'b1002' }, SUPERVISOR.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ outcome: 'ringing', callId, queue: 'general', agentId: 'b1002' });

    await untilTalkingWith(h, callId, channelId, 'b1002');
    expect(simChannel(h, agentLeg)).toBeUndefined();
    await untilAgent(h, 'a1001', 'wrap-up');
    expect(eventsOf(h, callId, 'call.transferred').map((e) => e.data)).toEqual([{ target: 'agent:b1002', kind: 'agent', by: 'supervisor:duty-desk', fromAgent: 'a1001' }]);
    expect(eventsOf(h, callId, 'call.offered').map((e) => e.data.agentId)).toEqual(['a1001', 'b1002']);
    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('completed');
    expect(h.record(callId)!.queue).toMatchObject({ agentId: 'b1002', offeredTo: ['b1002'], transfers: [{ fromAgent: 'a1001', to: 'agent:b1002', by: 'supervisor:duty-desk' }] });
  });

  it('to an agent who is not ready, logged out or unknown: refused at once, and the caller stays with the agent', async () => {
    const h = await start(undefined, { apiTokens: [AGENT] });
    const { channelId, callId, agentLeg } = await talking(h);
    await agentAt(h, 'b1002', '1002', answers);
    await h.service.acd!.desk.pause('b1002', Object.keys(h.config.acd!.notReadyReasons)[0]!);
    await agentAt(h, 'c1003', '1003', answers);
    await h.service.acd!.desk.logout('c1003');

    for (const [target, status, code] of [
      ['b1002', 409, 'acd:transfer-target-not-ready'],
      ['c1003', 409, 'acd:transfer-target-not-ready'],
      ['a1001', 409, 'acd:transfer-target-not-ready'],
      ['nobody', 404, 'acd:no-such-agent'],
    ] as const) {
      const res = await transfer(h, 'a1001', { agent: target });
      expect(res.status, target).toBe(status);
      expect(await res.json()).toMatchObject({ error_id: code });
    }
    const unknownQueue = await transfer(h, 'a1001', { queue: 'no-such-queue' });
    expect(unknownQueue.status).toBe(400);
    expect(await unknownQueue.json()).toMatchObject({ error_id: 'acd:unknown-queue' });

    expect(talkBridge(h, callId)!.channels.sort()).toEqual([agentLeg, channelId].sort());
    expect(await stateOf(h, 'a1001')).toMatchObject({ kind: 'on-call', callId });
    expect(await stateOf(h, 'b1002')).toMatchObject({ kind: 'not-ready' });
    expect(eventsOf(h, callId, 'call.transferred')).toEqual([]);
    expect(await h.service.acd!.core.calls.state(callId)).toBeNull();
  });

  it('to an agent who does not answer: the caller waits in the queue they were answered from, and another agent answers', async () => {
    const h = await start((c) => Object.assign(c.acd!.queues.general!, { wrapUpSeconds: 60 }), { apiTokens: [AGENT] });
    const { channelId, callId } = await talking(h);
    await agentAt(h, 'b1002', '1002', { kind: 'ring' });

    const res = await transfer(h, 'a1001', { agent: 'b1002' });
    expect(await res.json()).toMatchObject({ outcome: 'ringing', queue: 'general', agentId: 'b1002' });
    await untilAgent(h, 'b1002', 'not-ready', 10_000);
    expect(await stateOf(h, 'b1002')).toMatchObject({ reason: NO_ANSWER_REASON });
    await vi.waitFor(async () => expect((await h.service.acd!.core.calls.state(callId))?.state, 'the caller waiting in the queue').toBe('waiting'), { timeout: 5000 });
    expect(simChannel(h, channelId)).toBeDefined();

    await agentAt(h, 'c1003', '1003', answers);
    await untilTalkingWith(h, callId, channelId, 'c1003');
    expect(await stateOf(h, 'a1001')).toMatchObject({ kind: 'wrap-up' });
    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('completed');
    expect(h.record(callId)!.queue).toMatchObject({ queue: 'general', agentId: 'c1003', offeredTo: ['b1002', 'c1003'] });
  });

  it('the caller hanging up while the named agent’s phone rings: abandoned, the phone stops and the agent is ready again', async () => {
    const h = await start((c) => Object.assign(c.acd!.queues.general!, { ringTimeoutSeconds: 300 }), { apiTokens: [AGENT] });
    const { channelId, callId } = await talking(h);
    await agentAt(h, 'b1002', '1002', { kind: 'ring' });

    expect((await transfer(h, 'a1001', { agent: 'b1002' })).status).toBe(200);
    await eventually(() => offerLegs(h, callId).length === 1, 5000, 'the named agent’s phone ringing');
    expect(await stateOf(h, 'b1002')).toMatchObject({ kind: 'ringing', callId });

    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('abandoned');
    await untilAgent(h, 'b1002', 'ready');
    await eventually(() => offerLegs(h, callId).length === 0, 5000, 'the ringing phone hung up');
    expect(h.record(callId)!.queue).toMatchObject({ result: 'abandoned', transfers: [{ to: 'agent:b1002' }] });
    expect(await h.service.acd!.core.calls.state(callId)).toBeNull();
    // Answered once, not abandoned: the hang-up came after the call's answer.
    expect((await figures(h)).queues.general).toMatchObject({ offered: 1, answered: 1, abandoned: 0 });
  });

  it('refused when the agent is not on a call, and an agent may transfer only their own call', async () => {
    const h = await start(undefined, { apiTokens: [AGENT] });
    await agentAt(h, 'a1001', '1001', answers);
    const idle = await transfer(h, 'a1001', { queue: 'market' });
    expect(idle.status).toBe(409);
    expect(await idle.json()).toMatchObject({ error_id: 'acd:agent-not-on-call' });
    expect((await transfer(h, 'b1002', { queue: 'market' })).status).toBe(403);
    expect((await transfer(h, 'a1001', { queue: 'market', agent: 'b1002' })).status).toBe(400);
  });
});
