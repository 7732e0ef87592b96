/**
 * Snoop channels as a supervisor uses them (trace s14): res_ari's errors, a snoop that is
 * not yet in its app refused by bridges.addChannel, listen (spy both) and whisper
 * (whisper out) bridges, the supervisor moved between bridges by addChannel alone, barge
 * into the call's bridge (softmix with three), and snoops that leave no ChannelDestroyed.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../sim/index.js';
import { useSimWithEvents } from './support/sim-with-events.js';
import { ariCaller } from './support/ari-http.js';

// The simulator's time moves only when a test moves it: what reaches it before the snoop's
// StasisStart does so on every machine.
let clock: ManualClock;
const t = useSimWithEvents(() => ({ clock: (clock = new ManualClock()) }));
const ari = ariCaller(() => t.sim.url);
const idOf = (e: Record<string, unknown>) => (e.channel as { id?: string } | undefined)?.id;
const started = (id: string) => {
  clock.advance(1000);
  return t.ev.next('StasisStart', (e) => idOf(e) === id);
};
const sim = () => t.sim;
const of = (id: string) => t.ev.frames.filter((f) => (f.channel as { id?: string } | undefined)?.id === id).map((f) => f.type);

/** A citizen and an agent in MAIN, a supervisor in the app. */
async function call(): Promise<{ citizen: string; agent: string; supervisor: string }> {
  const citizen = (t.sim.placeCall({ from: '1000', dialled: '12345' }) as { id: string }).id;
  await ari('POST', `/channels/${citizen}/answer`);
  clock.advance(10);
  for (const [id, role] of [['agent', 'agent'], ['supervisor', 'supervisor']]) {
    await ari('POST', `/channels?endpoint=Local%2Fagent-echo%40ari-helper&app=hotline&appArgs=${role}&channelId=${id}`);
    await started(id!);
  }
  await ari('POST', '/bridges?type=mixing&bridgeId=main');
  await ari('POST', `/bridges/main/addChannel?channel=${citizen},agent`);
  return { citizen, agent: 'agent', supervisor: 'supervisor' };
}

describe('snoopChannel', () => {
  it("answers res_ari's errors, checked in its order", async () => {
    const { agent } = await call();
    expect(await ari('POST', '/channels/no-such-channel/snoop?spy=both&app=hotline')).toEqual({ status: 404, body: { message: 'Provided channel was not found' } });
    expect(await ari('POST', `/channels/${agent}/snoop?spy=sideways&app=hotline`)).toEqual({ status: 400, body: { message: 'Invalid direction specified for spy' } });
    expect(await ari('POST', `/channels/${agent}/snoop?spy=both&whisper=up&app=hotline`)).toEqual({ status: 400, body: { message: 'Invalid direction specified for whisper' } });
    expect(await ari('POST', `/channels/${agent}/snoop?spy=both`)).toEqual({ status: 400, body: { message: 'Application name is required' } });
    expect((await ari('POST', '/channels/no-such-channel/snoop?spy=sideways')).status).toBe(400);
    // The dialplan half of the agent's Local channel exists but is not in the app.
    expect(await ari('POST', `/bridges/main/addChannel?channel=${agent};2`)).toEqual({ status: 422, body: { message: 'Channel not in Stasis application' } });
  });

  it('a snoop added to a bridge before its StasisStart is refused with 422, after it with 204', async () => {
    const { agent } = await call();
    await ari('POST', '/bridges?type=mixing&bridgeId=listen');
    const snoop = await ari('POST', `/channels/${agent}/snoop?spy=both&whisper=none&app=hotline&appArgs=listen&snoopId=s1`);
    const early = await ari('POST', '/bridges/listen/addChannel?channel=s1');
    expect(snoop).toMatchObject({ status: 200, body: { id: 's1', name: expect.stringMatching(new RegExp(`^Snoop/${agent}-[0-9a-f]{8}$`)) } });
    expect(early).toEqual({ status: 422, body: { message: 'Channel not in Stasis application' } });
    expect((await started('s1')).args).toEqual(['listen']);
    expect((await ari('POST', '/bridges/listen/addChannel?channel=s1')).status).toBe(204);
  });

  it('listen, whisper, barge: the supervisor moves with addChannel alone; snoops end with no ChannelDestroyed', async () => {
    const { agent, supervisor } = await call();
    await ari('POST', `/channels/${agent}/snoop?spy=both&whisper=none&app=hotline&appArgs=listen&snoopId=listen-snoop`);
    await started('listen-snoop');
    await ari('POST', '/bridges?type=mixing&bridgeId=listen');
    expect((await ari('POST', `/bridges/listen/addChannel?channel=listen-snoop,${supervisor}`)).status).toBe(204);

    await ari('DELETE', '/channels/listen-snoop');
    await ari('POST', `/channels/${agent}/snoop?spy=both&whisper=out&app=hotline&appArgs=whisper&snoopId=whisper-snoop`);
    await started('whisper-snoop');
    await ari('POST', '/bridges?type=mixing&bridgeId=whisper');
    await ari('POST', `/bridges/whisper/addChannel?channel=whisper-snoop,${supervisor}`);
    const moved = t.ev.frames.filter((f) => idOf(f as Record<string, unknown>) === supervisor && String(f.type).includes('Bridge'));
    expect(moved.map((f) => [f.type, (f.bridge as { id: string }).id])).toEqual([
      ['ChannelEnteredBridge', 'listen'], ['ChannelLeftBridge', 'listen'], ['ChannelEnteredBridge', 'whisper'],
    ]);

    await ari('POST', '/bridges/whisper/removeChannel?channel=whisper-snoop');
    await ari('DELETE', '/channels/whisper-snoop');
    await ari('POST', `/bridges/main/addChannel?channel=${supervisor}`);
    const main = (await ari('GET', '/bridges/main')).body as { technology: string; channels: string[] };
    expect(main.technology).toBe('softmix');
    expect(main.channels).toHaveLength(3);
    expect(t.ev.frames.filter((f) => f.type === 'ChannelVarset' && f.variable === 'BRIDGEPEER' && idOf(f as Record<string, unknown>) === supervisor).at(-1)?.value)
      .toMatch(/^PJSIP\/carrier-[0-9a-f]{8},Local\/agent-echo@ari-helper-[0-9a-f]{8};1$/);
    expect(of('listen-snoop').slice(-4)).toEqual(['ChannelHangupRequest', 'ChannelVarset', 'ChannelLeftBridge', 'StasisEnd']);
    expect(of('whisper-snoop').slice(-2)).toEqual(['ChannelHangupRequest', 'StasisEnd']);
    expect(sim().events().filter((e) => e.event.type === 'ChannelDestroyed' && String(idOf(e.event)).endsWith('-snoop'))).toEqual([]);

    await ari('DELETE', `/channels/${supervisor}`);
    expect(((await ari('GET', '/bridges/main')).body as { technology: string }).technology).toBe('simple_bridge');
  });
});
