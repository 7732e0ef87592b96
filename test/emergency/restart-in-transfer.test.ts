/**
 * The service killed (SIGKILL) while a caller talks to the emergency centre they were put
 * through to from the menu, and a new process on the same Redis and simulator: the menu is
 * not played into the call, the bridge with the centre stays as it was, and the call ends
 * as a transfer, once, when either side hangs up (the other leg hung up with it).
 */
import { describe, expect, it, vi } from 'vitest';
import { useAcdRestart, type AcdRestart } from '../acd/support/acd-restart.js';
import type { ServiceProcess } from '../calls/support/service-process.js';

const start = useAcdRestart('restart-in-transfer');
const CENTRE = 'PJSIP/110@carrier';

async function putThrough(t: Awaited<ReturnType<typeof start>>, from: string) {
  t.sim.setEndpointBehaviour(CENTRE, { kind: 'answer', afterMs: 200 });
  const channelId = t.sim.placeCall({ from, dialled: '12345' }).id;
  await vi.waitFor(() => expect(t.heard(channelId)).toContain('main-menu'), { timeout: 15_000, interval: 20 });
  t.sim.pressDigits(channelId, '9');
  const callId = await vi.waitFor(async () => {
    const record = await t.stored(channelId);
    expect(record?.position).toMatchObject({ node: 'emergency-key', stage: 'action' });
    return record!.callId;
  }, { timeout: 15_000, interval: 20 });
  const bridge = () => t.sim.bridges().find((b) => b.id === `emg-${callId}`) as { channels: string[] } | undefined;
  await vi.waitFor(() => expect(bridge()?.channels).toHaveLength(2), { timeout: 15_000, interval: 20 });
  const centre = bridge()!.channels.find((id) => id !== channelId)!;
  return { channelId, callId, centre, bridge };
}

/** A service whose agent a1 talks to a caller of the queue, in the call's bridge; 110 answers when dialled. */
async function agentTalking(t: AcdRestart, from: string): Promise<{ first: ServiceProcess; channelId: string; callId: string }> {
  t.sim.setEndpointBehaviour(CENTRE, { kind: 'answer', afterMs: 200 });
  await t.agent('a1', 'agent1', { kind: 'answer', afterMs: 100 });
  const first = await t.service();
  const { channelId, callId } = await t.callToQueue(from);
  await vi.waitFor(() => expect(t.bridge(callId)?.channels).toHaveLength(2), { timeout: 15_000, interval: 20 });
  return { first, channelId, callId };
}

describe('a service killed while a caller talks to an emergency centre', () => {
  it('keeps the caller with the centre: no menu, the bridge as it was; the centre hanging up ends the call, transferred, once', async () => {
    const t = await start();
    const first = await t.service();
    const { channelId, callId, centre, bridge } = await putThrough(t, '13912340011');
    const members = [...bridge()!.channels].sort();
    // Events a SIGKILL would catch before the outbox stored them are not what this counts.
    await t.delivered(callId, 'call.emergency');
    await first.kill();
    const heardBefore = t.heard(channelId).length;
    const askedBefore = t.asked(channelId).length;
    const second = await t.service();
    await second.logged(/the emergency transfer is taken over where it was/);
    expect(t.heard(channelId).length).toBe(heardBefore);
    expect(t.asked(channelId).slice(askedBefore).filter((r) => r.endsWith('play') || r.endsWith('moh'))).toEqual([]);
    expect([...bridge()!.channels].sort()).toEqual(members);

    t.sim.hangupFromCaller(centre);
    await vi.waitFor(() => expect(t.sim.channels().map((c) => c.id)).not.toContain(channelId), { timeout: 10_000, interval: 20 });
    for (const events of await t.ticketsOf(callId)) {
      const types = events.map((m) => m.type);
      expect(types.filter((x) => x === 'call.started')).toHaveLength(1);
      expect(types.filter((x) => x === 'call.emergency')).toHaveLength(1);
      expect(events.filter((m) => m.type === 'call.ended').map((m) => m.body.data)).toEqual([expect.objectContaining({ outcome: 'transferred' })]);
    }
    expect(bridge()).toBeUndefined();
  }, 120_000);

  it('the caller hanging up after the restart hangs the centre up; transferred, once', async () => {
    const t = await start();
    const first = await t.service();
    const { channelId, callId, centre } = await putThrough(t, '13912340012');
    await first.kill();
    const second = await t.service();
    await second.logged(/the emergency transfer is taken over where it was/);
    t.sim.hangupFromCaller(channelId);
    await vi.waitFor(() => expect(t.sim.channels().map((c) => c.id)).not.toContain(centre), { timeout: 10_000, interval: 20 });
    for (const events of await t.ticketsOf(callId)) {
      expect(events.filter((m) => m.type === 'call.ended').map((m) => m.body.data)).toEqual([expect.objectContaining({ outcome: 'transferred', endedBy: 'caller' })]);
    }
  }, 120_000);

  it('three-way (an agent brought 110 into the talk): after the restart the agent leaving keeps caller and 110 together; 110 hanging up ends it, transferred, once', async () => {
    const t = await start();
    const { first, channelId, callId } = await agentTalking(t, '13912340013');
    await vi.waitFor(async () => expect(await t.talkRecord(callId)).toMatchObject({ agentId: 'a1' }), { timeout: 15_000, interval: 20 });
    const agentLeg = (await t.talkRecord(callId)).agentChannel!;
    const put = await t.post(first, '/acd/agents/a1/emergency-transfer', { route: 'emergency-linkage', mode: 'three-way' });
    expect(put).toMatchObject({ status: 200, body: { outcome: 'answered' } });
    await vi.waitFor(() => expect(t.bridge(callId)?.channels).toHaveLength(3), { timeout: 10_000, interval: 20 });
    const members = [...t.bridge(callId)!.channels].sort();
    const centre = members.find((id) => id !== channelId && id !== agentLeg)!;
    await t.delivered(callId, 'call.emergency');

    await first.kill();
    const askedBefore = t.asked(channelId).length;
    const second = await t.service();
    await second.logged(/the ACD takes the call over where it was/);
    expect(t.asked(channelId).slice(askedBefore)).toEqual([]);
    expect([...t.bridge(callId)!.channels].sort()).toEqual(members);

    // The agent leaves: caller and 110 stay together, the agent goes to wrap-up.
    t.sim.hangupFromCaller(agentLeg);
    await t.untilAgent('a1', 'wrap-up');
    await vi.waitFor(() => expect([...(t.bridge(callId)?.channels ?? [])].sort()).toEqual([channelId, centre].sort()), { timeout: 10_000, interval: 20 });
    // 110 hangs up: the caller is hung up, the call ends transferred.
    t.sim.hangupFromCaller(centre);
    await vi.waitFor(() => expect(t.sim.channels().map((c) => c.id)).not.toContain(channelId), { timeout: 10_000, interval: 20 });
    for (const events of await t.ticketsOf(callId)) {
      const types = events.map((m) => m.type);
      expect(types.filter((x) => x === 'call.started')).toHaveLength(1);
      expect(types.filter((x) => x === 'call.emergency')).toHaveLength(1);
      expect(events.filter((m) => m.type === 'call.ended').map((m) => m.body.data)).toEqual([expect.objectContaining({ outcome: 'transferred' })]);
    }
    await vi.waitFor(async () => expect(await t.figures()).toMatchObject({ answered: 1, handled: 1 }), { timeout: 5000, interval: 50 });
  }, 120_000);

  it('blind (the agent left as 110 answered): after the restart caller and 110 stay together; 110 hanging up ends it, transferred, once', async () => {
    const t = await start();
    const { first, channelId, callId } = await agentTalking(t, '13912340014');
    const put = await t.post(first, '/acd/agents/a1/emergency-transfer', { route: 'emergency-linkage', mode: 'blind' });
    expect(put).toMatchObject({ status: 200, body: { outcome: 'answered' } });
    await t.untilAgent('a1', 'wrap-up');
    await vi.waitFor(() => expect(t.bridge(callId)?.channels.some((id) => id.startsWith(`emg-${callId}-`))).toBe(true), { timeout: 10_000, interval: 20 });
    await vi.waitFor(() => expect(t.bridge(callId)?.channels).toHaveLength(2), { timeout: 10_000, interval: 20 });
    const centre = t.bridge(callId)!.channels.find((id) => id !== channelId)!;

    await first.kill();
    const askedBefore = t.asked(channelId).length;
    const second = await t.service();
    await second.logged(/the emergency transfer is taken over where it was/);
    expect(t.asked(channelId).slice(askedBefore).filter((r) => r.endsWith('play') || r.endsWith('moh'))).toEqual([]);
    expect([...t.bridge(callId)!.channels].sort()).toEqual([channelId, centre].sort());
    t.sim.hangupFromCaller(centre);
    await vi.waitFor(() => expect(t.sim.channels().map((c) => c.id)).not.toContain(channelId), { timeout: 10_000, interval: 20 });
    for (const events of await t.ticketsOf(callId)) {
      expect(events.filter((m) => m.type === 'call.started')).toHaveLength(1);
      expect(events.filter((m) => m.type === 'call.ended').map((m) => m.body.data)).toEqual([expect.objectContaining({ outcome: 'transferred' })]);
    }
    await vi.waitFor(async () => expect(await t.figures()).toMatchObject({ answered: 1, handled: 1 }), { timeout: 5000, interval: 50 });
  }, 120_000);
});
