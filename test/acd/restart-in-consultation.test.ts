/**
 * The service killed (SIGKILL) while an agent consults a unit (a route of the emergency
 * linkage) with the caller on hold, and a new process on the same Redis and simulator: the
 * caller stays out of the call's bridge with music, agent and unit go on talking, and the
 * consultation's API still works — the held caller joins, the unit is let go — with the
 * call ending once, completed, its consultation receipt published once.
 */
import { describe, expect, it, vi } from 'vitest';
import { useAcdRestart, type AcdRestart } from './support/acd-restart.js';
import type { ServiceProcess } from '../calls/support/service-process.js';

const start = useAcdRestart('restart-in-consultation');
const UNIT = 'PJSIP/96345@carrier';

/** Agent a1 talks to a caller, then consults the utilities line with the caller on hold. */
async function consulting(t: AcdRestart, from: string): Promise<{ first: ServiceProcess; channelId: string; callId: string; agentLeg: string; unit: string }> {
  t.sim.setEndpointBehaviour(UNIT, { kind: 'answer', afterMs: 200 });
  await t.agent('a1', 'agent1', { kind: 'answer', afterMs: 100 });
  const first = await t.service();
  const { channelId, callId } = await t.callToQueue(from);
  await vi.waitFor(async () => expect(await t.talkRecord(callId)).toMatchObject({ agentId: 'a1' }), { timeout: 15_000, interval: 20 });
  await vi.waitFor(() => expect(t.bridge(callId)?.channels).toHaveLength(2), { timeout: 15_000, interval: 20 });
  const agentLeg = (await t.talkRecord(callId)).agentChannel!;
  const consulted = await t.post(first, '/acd/agents/a1/consultation', { route: 'utilities-96345', callerOnHold: true });
  expect(consulted).toMatchObject({ status: 200, body: { outcome: 'answered' } });
  await vi.waitFor(() => expect(t.bridge(callId)?.channels).toHaveLength(2), { timeout: 10_000, interval: 20 });
  const unit = t.bridge(callId)!.channels.find((id) => id !== agentLeg)!;
  expect(unit.startsWith(`emg-${callId}-c`)).toBe(true);
  expect(t.asked(channelId)).toContain('POST moh');
  // Events a SIGKILL would catch before the outbox stored them are not what this counts.
  await t.delivered(callId, 'call.emergency');
  return { first, channelId, callId, agentLeg, unit };
}

/** After the restart: caller still outside with music, agent and unit still together. */
async function stillOnHold(t: AcdRestart, second: ServiceProcess, c: { channelId: string; callId: string; agentLeg: string; unit: string }, askedBefore: number): Promise<void> {
  await second.logged(/the ACD takes the call over where it was/);
  await second.logged(/the caller stays on hold while the agent consults/);
  expect([...t.bridge(c.callId)!.channels].sort()).toEqual([c.agentLeg, c.unit].sort());
  expect(t.asked(c.channelId).slice(askedBefore)).not.toContain('DELETE moh');
  expect(t.sim.channels().map((x) => x.id)).toContain(c.channelId);
}

async function endsCompletedOnce(t: AcdRestart, callId: string): Promise<void> {
  for (const events of await t.ticketsOf(callId)) {
    expect(events.filter((m) => m.type === 'call.started')).toHaveLength(1);
    expect(events.filter((m) => m.type === 'call.emergency').map((m) => m.body.data)).toEqual([expect.objectContaining({ entry: 'consultation', outcome: 'answered' })]);
    expect(events.filter((m) => m.type === 'call.ended').map((m) => m.body.data)).toEqual([expect.objectContaining({ outcome: 'completed' })]);
  }
}

describe('a service killed while an agent consults a unit, the caller on hold', () => {
  it('the caller stays on hold; after the restart the caller joins, the unit is let go, and the call ends completed, once', async () => {
    const t = await start();
    const c = await consulting(t, '13912340031');
    await c.first.kill();
    const askedBefore = t.asked(c.channelId).length;
    const second = await t.service();
    await stillOnHold(t, second, c, askedBefore);

    expect(await t.post(second, '/acd/agents/a1/consultation/join', {})).toMatchObject({ status: 204 });
    await vi.waitFor(() => expect([...(t.bridge(c.callId)?.channels ?? [])].sort()).toEqual([c.channelId, c.agentLeg, c.unit].sort()), { timeout: 10_000, interval: 20 });
    expect(t.asked(c.channelId).slice(askedBefore)).toContain('DELETE moh');

    expect(await t.post(second, '/acd/agents/a1/consultation', undefined, 'DELETE')).toMatchObject({ status: 204 });
    await vi.waitFor(() => expect(t.sim.channels().map((x) => x.id)).not.toContain(c.unit), { timeout: 10_000, interval: 20 });
    await vi.waitFor(() => expect([...(t.bridge(c.callId)?.channels ?? [])].sort()).toEqual([c.channelId, c.agentLeg].sort()), { timeout: 10_000, interval: 20 });

    t.sim.hangupFromCaller(c.channelId);
    await t.untilAgent('a1', 'wrap-up');
    await endsCompletedOnce(t, c.callId);
  }, 180_000);

  it('after the restart the unit let go brings the held caller back to the agent; completed, once', async () => {
    const t = await start();
    const c = await consulting(t, '13912340032');
    await c.first.kill();
    const askedBefore = t.asked(c.channelId).length;
    const second = await t.service();
    await stillOnHold(t, second, c, askedBefore);

    expect(await t.post(second, '/acd/agents/a1/consultation', undefined, 'DELETE')).toMatchObject({ status: 204 });
    await vi.waitFor(() => expect([...(t.bridge(c.callId)?.channels ?? [])].sort()).toEqual([c.channelId, c.agentLeg].sort()), { timeout: 10_000, interval: 20 });
    expect(t.sim.channels().map((x) => x.id)).not.toContain(c.unit);
    expect(t.asked(c.channelId).slice(askedBefore)).toContain('DELETE moh');

    t.sim.hangupFromCaller(c.agentLeg);
    await t.untilAgent('a1', 'wrap-up');
    await vi.waitFor(() => expect(t.sim.channels().map((x) => x.id)).not.toContain(c.channelId), { timeout: 10_000, interval: 20 });
    await endsCompletedOnce(t, c.callId);
  }, 180_000);

  it('a consultation still ringing at the kill: the unit leg is hung up, the held caller is back with the agent, who can consult again', async () => {
    // A slower clock and the longest ring a route allows: the unit rings on through the restart (24 s).
    const t = await start(undefined, { speed: 5, editConfig: (raw) => (raw.emergency.routes['utilities-96345'].targets = [{ endpoint: UNIT, ringTimeoutSeconds: 120 }]) });
    t.sim.setEndpointBehaviour(UNIT, { kind: 'ring' });
    await t.agent('a1', 'agent1', { kind: 'answer', afterMs: 100 });
    const first = await t.service();
    const { channelId, callId } = await t.callToQueue('13912340033');
    await vi.waitFor(async () => expect(await t.talkRecord(callId)).toMatchObject({ agentId: 'a1' }), { timeout: 15_000, interval: 20 });
    await vi.waitFor(() => expect(t.bridge(callId)?.channels).toHaveLength(2), { timeout: 15_000, interval: 20 });
    const agentLeg = (await t.talkRecord(callId)).agentChannel!;
    // The request waits for the unit to answer: it is left unanswered by the kill.
    void t.post(first, '/acd/agents/a1/consultation', { route: 'utilities-96345', callerOnHold: true }).catch(() => undefined);
    const ringing = `emg-${callId}-c1`;
    await vi.waitFor(() => expect(t.sim.channels().map((c) => c.id)).toContain(ringing), { timeout: 15_000, interval: 20 });
    await vi.waitFor(() => expect(t.bridge(callId)?.channels).toEqual([agentLeg]), { timeout: 15_000, interval: 20 });
    await first.kill();

    const second = await t.service();
    await second.logged(/the ACD takes the call over where it was/);
    await vi.waitFor(() => expect(t.sim.channels().map((c) => c.id)).not.toContain(ringing), { timeout: 15_000, interval: 20 });
    await vi.waitFor(() => expect([...(t.bridge(callId)?.channels ?? [])].sort()).toEqual([channelId, agentLeg].sort()), { timeout: 15_000, interval: 20 });

    t.sim.setEndpointBehaviour(UNIT, { kind: 'answer', afterMs: 200 });
    expect(await t.post(second, '/acd/agents/a1/consultation', { route: 'utilities-96345', callerOnHold: false })).toMatchObject({ status: 200, body: { outcome: 'answered' } });
    await vi.waitFor(() => expect(t.bridge(callId)?.channels).toHaveLength(3), { timeout: 10_000, interval: 20 });
    t.sim.hangupFromCaller(channelId);
    await t.untilAgent('a1', 'wrap-up');
    for (const events of await t.ticketsOf(callId)) {
      expect(events.filter((m) => m.type === 'call.ended').map((m) => m.body.data)).toEqual([expect.objectContaining({ outcome: 'completed' })]);
    }
  }, 180_000);
});
