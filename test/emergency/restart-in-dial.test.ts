/**
 * The service killed (SIGKILL) while the emergency key's transfer rings at 110 (the leg
 * placed, not answered), and a new process on the same Redis and simulator: the ringing leg
 * is heard on, never dialled a second time and never hung up. 110 answering puts the caller
 * through (the call ends transferred, once); 110 refusing gives what any failed transfer
 * gets: the caller hears what to dial and waits for an agent at top priority.
 */
import { describe, expect, it, vi } from 'vitest';
import { useAcdRestart, type AcdRestart } from '../acd/support/acd-restart.js';

const start = useAcdRestart('restart-in-dial');
const CENTRE = 'PJSIP/110@carrier';

/** A slower clock and the longest ring a route allows: 110 rings on through the restart (24 s). */
const ringsThrough = {
  speed: 5,
  editConfig: (raw: Record<string, any>) => {
    raw.emergency.routes['emergency-linkage'].targets = [{ endpoint: CENTRE, ringTimeoutSeconds: 120 }];
  },
};

/** A caller presses the emergency key at the main menu; resolves once the leg toward 110 rings. */
async function ringingAt110(t: AcdRestart, from: string): Promise<{ channelId: string; callId: string; leg: string }> {
  t.sim.setEndpointBehaviour(CENTRE, { kind: 'ring' });
  const channelId = t.sim.placeCall({ from, dialled: '12345' }).id;
  await vi.waitFor(() => expect(t.heard(channelId)).toContain('main-menu'), { timeout: 30_000, interval: 20 });
  t.sim.pressDigits(channelId, '9');
  const callId = await vi.waitFor(async () => {
    const record = await t.stored(channelId);
    expect(record?.position).toMatchObject({ node: 'emergency-key', stage: 'action' });
    return record!.callId;
  }, { timeout: 15_000, interval: 20 });
  const leg = `emg-${callId}-1`;
  await vi.waitFor(() => expect(t.sim.channels().find((c) => c.id === leg)).toBeDefined(), { timeout: 15_000, interval: 20 });
  return { channelId, callId, leg };
}

async function ringbackAgain(t: AcdRestart, channelId: string, askedBefore: number): Promise<void> {
  await vi.waitFor(() => expect(t.asked(channelId).slice(askedBefore)).toContain('POST ring'), { timeout: 30_000, interval: 20 });
}

const dialsTo110 = (t: AcdRestart): number => t.sim.requests().filter((r) => r.method === 'POST' && r.path === '/channels' && r.query.endpoint === CENTRE).length;

describe('a service killed while the emergency transfer rings at 110', () => {
  it('110 answering after the restart: the caller is put through on that leg, dialled once; transferred, once', async () => {
    const t = await start(undefined, ringsThrough);
    const first = await t.service();
    const { channelId, callId, leg } = await ringingAt110(t, '13912340021');
    await first.kill();
    const askedBefore = t.asked(channelId).length;
    const second = await t.service();
    // Never silence: ringback again (the dead process's could have followed its prompt).
    await ringbackAgain(t, channelId, askedBefore);
    expect(t.sim.channels().map((c) => c.id)).toContain(leg);

    t.sim.answerChannel(leg);
    const bridge = () => t.sim.bridges().find((b) => b.id === `emg-${callId}`) as { channels: string[] } | undefined;
    await vi.waitFor(() => expect([...(bridge()?.channels ?? [])].sort()).toEqual([channelId, leg].sort()), { timeout: 15_000, interval: 20 });
    expect(dialsTo110(t)).toBe(1);
    expect(t.heard(channelId).filter((p) => p.startsWith('transferring'))).toHaveLength(1);
    expect(t.heard(channelId)).not.toContain('emergency-failed');

    t.sim.hangupFromCaller(leg);
    await vi.waitFor(() => expect(t.sim.channels().map((c) => c.id)).not.toContain(channelId), { timeout: 15_000, interval: 20 });
    for (const events of await t.ticketsOf(callId)) {
      expect(events.filter((m) => m.type === 'call.started')).toHaveLength(1);
      expect(events.filter((m) => m.type === 'call.emergency').map((m) => m.body.data)).toEqual([expect.objectContaining({ outcome: 'answered', target: CENTRE })]);
      expect(events.filter((m) => m.type === 'call.ended').map((m) => m.body.data)).toEqual([expect.objectContaining({ outcome: 'transferred' })]);
    }
    expect(dialsTo110(t)).toBe(1);
    expect(second.count(/the emergency dial is taken over while the centre rings/)).toBe(1);
  }, 180_000);

  it('110 refusing after the restart: the caller hears what to dial and waits for an agent at top priority; dialled once', async () => {
    const t = await start(undefined, ringsThrough);
    const first = await t.service();
    const { channelId, callId, leg } = await ringingAt110(t, '13912340022');
    await first.kill();
    const askedBefore = t.asked(channelId).length;
    const second = await t.service();
    await ringbackAgain(t, channelId, askedBefore);
    expect(t.sim.channels().map((c) => c.id)).toContain(leg);

    t.sim.rejectChannel(leg, 'busy');
    await vi.waitFor(() => expect(t.heard(channelId)).toContain('emergency-failed'), { timeout: 30_000, interval: 20 });
    await vi.waitFor(async () => expect(await t.queueEntry(callId)).toMatchObject({ state: 'waiting', priority: '10' }), { timeout: 30_000, interval: 20 });
    expect(dialsTo110(t)).toBe(1);
    expect(t.sim.channels().map((c) => c.id)).toContain(channelId);

    t.sim.hangupFromCaller(channelId);
    for (const events of await t.ticketsOf(callId)) {
      expect(events.filter((m) => m.type === 'call.started')).toHaveLength(1);
      expect(events.filter((m) => m.type === 'call.emergency').map((m) => m.body.data)).toEqual([expect.objectContaining({ outcome: 'failed', attempts: [expect.objectContaining({ target: CENTRE, outcome: 'busy' })] })]);
      expect(events.filter((m) => m.type === 'call.ended')).toHaveLength(1);
    }
    expect(dialsTo110(t)).toBe(1);
    expect(second.count(/the emergency dial is taken over while the centre rings/)).toBe(1);
  }, 180_000);
});
