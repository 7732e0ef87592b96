/**
 * An agent puts the caller through to 110 (the emergency linkage over ARI), through the real
 * service, the simulator and Redis: three-way (the agent stays, then leaves; caller and 110
 * stay connected), blind (the agent leaves as 110 answers), and no target answering (the
 * call goes on with the agent). The receipt is on the call with entry `agent`.
 */
import { describe, expect, it } from 'vitest';
import type { DomainEventOf } from '../../src/calls/index.js';
import { agentProfile, callIdOf, callToQueue, eventsOf, simChannel, talkBridge, untilAgent, useAcdCalls } from '../acd/support/acd-calls.js';
import { eventually, type Harness } from '../support/service-harness.js';

const start = useAcdCalls();
const SUPERVISOR = { name: 'duty-desk', role: 'supervisor' as const, token: 'supervisor-token-5f2e9c1a' };

async function talking(h: Harness): Promise<{ channelId: string; callId: string; agentLeg: string }> {
  h.sim.registerEndpoint('1001', { phone: { kind: 'answer', afterMs: 100 } });
  await h.service.acd!.desk.login({ id: 'a1001', ...agentProfile('1001') });
  const channelId = await callToQueue(h);
  const callId = callIdOf(h, channelId);
  await untilAgent(h, 'a1001', 'on-call');
  await eventually(() => talkBridge(h, callId)?.channels.length === 2, 5000, 'caller and agent bridged');
  return { channelId, callId, agentLeg: talkBridge(h, callId)!.channels.find((c) => c !== channelId)! };
}

const receipts = (h: Harness, callId: string): Array<DomainEventOf<'call.emergency'>['data']> => eventsOf(h, callId, 'call.emergency').map((e) => e.data);

describe('an agent’s emergency transfer', () => {
  it('three-way: 110 joins the call, the agent talks to both, then leaves; caller and 110 stay connected', async () => {
    const h = await start();
    h.sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'answer', afterMs: 200 });
    const { channelId, callId, agentLeg } = await talking(h);
    const result = await h.service.acd!.engine.emergencyTransfer('a1001', 'emergency-linkage', 'three-way');
    expect(result).toMatchObject({ outcome: 'answered', attempts: [{ target: 'PJSIP/110@carrier', outcome: 'answered' }] });
    await eventually(() => talkBridge(h, callId)?.channels.length === 3, 5000, 'three in the call');
    const centre = talkBridge(h, callId)!.channels.find((c) => c !== channelId && c !== agentLeg)!;
    expect(simChannel(h, centre)?.caller.number).toBe('13912345678');
    expect(receipts(h, callId)).toMatchObject([{ route: 'emergency-linkage', outcome: 'answered', entry: 'agent' }]);

    h.sim.hangupFromCaller(agentLeg);
    await untilAgent(h, 'a1001', 'wrap-up');
    await eventually(() => talkBridge(h, callId)?.channels.length === 2, 5000, 'caller and 110 left in the call');
    expect(eventsOf(h, callId, 'call.emergency-agent-left').map((e) => e.data)).toMatchObject([{ route: 'emergency-linkage', mode: 'three-way', agentId: 'a1001' }]);
    expect(eventsOf(h, callId, 'call.emergency-agent-left')[0]!.data.stayedMs).toBeGreaterThanOrEqual(0);
    expect(talkBridge(h, callId)!.channels.sort()).toEqual([channelId, centre].sort());

    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('transferred');
    await eventually(() => simChannel(h, centre) === undefined, 5000, '110 hung up after the caller');
    expect(h.record(callId)!.queue).toMatchObject({ agentId: 'a1001', endedBy: 'agent' });
    // The receipt on the record too, with how long the agent stayed.
    expect(h.record(callId)!.emergency).toMatchObject([{ route: 'emergency-linkage', entry: 'agent', outcome: 'answered', agentStayedMs: expect.any(Number) }]);
  });

  it('blind: the agent leaves as 110 answers; 110 hanging up ends the call', async () => {
    const h = await start();
    h.sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'answer', afterMs: 200 });
    const { channelId, callId, agentLeg } = await talking(h);
    const result = await h.service.acd!.engine.emergencyTransfer('a1001', 'emergency-linkage', 'blind');
    expect(result.outcome).toBe('answered');
    await eventually(() => simChannel(h, agentLeg) === undefined, 5000, 'the agent leg hung up');
    await untilAgent(h, 'a1001', 'wrap-up');
    expect(eventsOf(h, callId, 'call.emergency-agent-left').map((e) => e.data)).toMatchObject([{ mode: 'blind', agentId: 'a1001' }]);
    await eventually(() => talkBridge(h, callId)?.channels.length === 2, 5000, 'caller and 110 in the call');
    const centre = talkBridge(h, callId)!.channels.find((c) => c !== channelId)!;
    h.sim.hangupFromCaller(centre);
    expect((await h.ended(channelId)).data.outcome).toBe('transferred');
  });

  it('no target answering: the attempts say why, and caller and agent go on talking', async () => {
    const h = await start();
    h.sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'busy', afterMs: 100 });
    const { channelId, callId } = await talking(h);
    const result = await h.service.acd!.engine.emergencyTransfer('a1001', 'emergency-linkage', 'three-way');
    expect(result).toMatchObject({ outcome: 'failed', attempts: [{ outcome: 'busy', cause: 17 }] });
    expect(receipts(h, callId)).toMatchObject([{ outcome: 'failed', entry: 'agent' }]);
    expect(talkBridge(h, callId)?.channels).toHaveLength(2);
    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('completed');
  });

  it('a consultation with the caller on hold: the unit talks to the agent, the caller joins, the unit is let go', async () => {
    const h = await start((config) => {
      config.emergency!.routes['water-96345'] = { label: '96345', prompt: 'transferring-96345', targets: [{ endpoint: 'PJSIP/96345@carrier', ringTimeoutSeconds: 10 }] };
    });
    h.sim.setEndpointBehaviour('PJSIP/96345@carrier', { kind: 'answer', afterMs: 200 });
    const { channelId, callId, agentLeg } = await talking(h);
    const acd = h.service.acd!.engine;
    expect(await acd.consult('a1001', 'water-96345', true)).toMatchObject({ outcome: 'answered' });
    const unit = `emg-${callId}-c1`;
    // The caller waits out of the call (music); agent and unit talk.
    await eventually(() => (talkBridge(h, callId)?.channels ?? []).sort().join() === [agentLeg, unit].sort().join(), 5000, 'agent and unit alone in the call');
    expect(receipts(h, callId)).toMatchObject([{ route: 'water-96345', outcome: 'answered', entry: 'consultation' }]);
    await acd.joinConsultation('a1001');
    await eventually(() => talkBridge(h, callId)?.channels.length === 3, 5000, 'the caller joined');
    await acd.endConsultation('a1001');
    await eventually(() => simChannel(h, unit) === undefined, 5000, 'the unit let go');
    await eventually(() => (talkBridge(h, callId)?.channels ?? []).sort().join() === [agentLeg, channelId].sort().join(), 5000, 'caller and agent again');
    await expect(acd.joinConsultation('a1001')).rejects.toMatchObject({ code: 'acd:caller-not-on-hold' });
    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('completed');
  });

  it('the API: 400 for an unknown route, 409 when the agent is not on a call, 401 without a known token; the routes to offer listed', async () => {
    const h = await start(undefined, { apiTokens: [SUPERVISOR] });
    h.sim.registerEndpoint('1001', { phone: { kind: 'answer', afterMs: 100 } });
    await h.service.acd!.desk.login({ id: 'a1001', ...agentProfile('1001') });
    const post = (body: unknown, token = SUPERVISOR.token) =>
      fetch(`${h.service.url}/acd/agents/a1001/emergency-transfer`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const unknown = await post({ route: 'fire-brigade' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error_id: 'acd:unknown-route' });
    const idle = await post({ route: 'emergency-linkage', mode: 'blind' });
    expect(idle.status).toBe(409);
    expect(await idle.json()).toMatchObject({ error_id: 'acd:agent-not-on-call' });
    expect((await post({ route: 'emergency-linkage' }, 'not-a-token')).status).toBe(401);

    // The routes the desk offers are the config's, in its order, with their labels.
    const routes = await fetch(`${h.service.url}/acd/emergency-routes`, { headers: { authorization: `Bearer ${SUPERVISOR.token}` } });
    expect(routes.status).toBe(200);
    const { routes: listed } = (await routes.json()) as { routes: Array<{ route: string; label: string }> };
    expect(listed).toEqual(Object.entries(h.config.emergency!.routes).map(([route, r]) => ({ route, label: r.label })));
    expect(listed[0]).toEqual({ route: 'emergency-linkage', label: '110' });
    expect((await fetch(`${h.service.url}/acd/emergency-routes`)).status).toBe(401);
  });
});
