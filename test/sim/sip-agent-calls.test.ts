/**
 * Originates to a softphone registered over `/ws` are real SIP calls: the INVITE rings the
 * SIP.js client, its answers decide the channel (180 → Ringing, 200 → Up and Stasis with
 * the originate's args, 486 → cause 17, no answer → CANCEL and cause 19), ICE and DTLS-SRTP
 * connect and G.711 RTP flows both ways, and BYE either way ends the call as in s11.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionState } from 'sip.js';
import { sipPassword } from '../../src/acd/sip-credentials.js';
import { useSimWithEvents } from './support/sim-with-events.js';
import { ariCaller } from './support/ari-http.js';
import { eventWithin, Softphone, TEST_DEADLINE, WAIT } from './support/softphone.js';

const SECRET = 'a-test-secret-of-at-least-thirty-two-chars';
// Real time: ICE and DTLS run on the wall clock, and the originate timeout must outlast them.
const t = useSimWithEvents(() => ({ sipSecret: SECRET, speed: 1 }));
const ari = ariCaller(() => t.sim.url);
const phones: Softphone[] = [];
afterEach(async () => {
  for (const p of phones.splice(0)) await p.stop();
});
const event = (type: string, pred?: (e: Record<string, unknown>) => boolean) => eventWithin(t.ev, type, pred);

async function registered(endpoint: string): Promise<Softphone> {
  const p = new Softphone({ server: t.sim.sipUrl, endpoint, password: sipPassword(endpoint, SECRET) });
  phones.push(p);
  await p.start();
  expect(await p.register()).toBe(200);
  return p;
}
const offer = (id: string, timeout = 30) =>
  ari('POST', `/channels?endpoint=PJSIP%2F1001&app=hotline&appArgs=agent%2Cc-1&callerId=Hotline%20%3C12345%3E&timeout=${timeout}&channelId=${id}`);
const about = (id: string) => t.ev.frames.filter((f) => (f.channel as { id?: string } | undefined)?.id === id || (f.peer as { id?: string } | undefined)?.id === id);
const ringing = async (p: Softphone) => {
  await vi.waitFor(() => expect(p.invitations.length).toBeGreaterThan(0), WAIT);
  return p.invitations.at(-1)!;
};

describe('an originate to a registered softphone', { timeout: TEST_DEADLINE }, () => {
  it('rings it, and its answer puts the channel in Stasis with RTP flowing both ways', async () => {
    const p = await registered('1001');
    expect((await offer('a1')).status).toBe(200);
    const inv = await ringing(p);
    expect(inv.remoteIdentity.uri.user).toBe('12345');
    await inv.progress();
    await event('Dial', (e) => e.dialstatus === 'RINGING');
    await inv.accept();
    const start = await event('StasisStart');
    expect(start).toMatchObject({ args: ['agent', 'c-1'], channel: { id: 'a1', state: 'Up' } });
    expect(about('a1').map((f) => f.type).slice(0, 6)).toEqual(['Dial', 'ChannelStateChange', 'Dial', 'ChannelStateChange', 'Dial', 'ChannelVarset']);
    expect(about('a1')[4]).toMatchObject({ dialstatus: 'ANSWER' });
    await vi.waitFor(() => {
      expect(t.sim.softphoneMedia('a1')).toMatchObject({ state: 'connected' });
      const both = { sim: t.sim.softphoneMedia('a1'), phone: p.media[0]!.peer.counts };
      expect(both.sim.rtpReceived, JSON.stringify(both)).toBeGreaterThan(10);
      expect(both.phone.rtpReceived, JSON.stringify(both)).toBeGreaterThan(10);
    }, WAIT);
    expect(t.sim.softphoneMedia('a1')).toMatchObject({ codec: expect.stringMatching(/^(ulaw|alaw)$/) });
    const media = await fetch(`${t.sim.url}/sim/channels/a1/media`, { headers: { authorization: `Basic ${Buffer.from('ari:ari').toString('base64')}` } });
    expect(await media.json()).toMatchObject({ state: 'connected', rtpSent: expect.any(Number) });

    await inv.bye();
    await event('ChannelDestroyed');
    // As a SIP BYE in s11: the request without a cause, the RTP statistics, StasisEnd, cause 16.
    const end = about('a1').filter((f) => f.type !== 'ChannelVarset').slice(-3);
    expect(end.map((f) => f.type)).toEqual(['ChannelHangupRequest', 'StasisEnd', 'ChannelDestroyed']);
    expect(about('a1').some((f) => f.type === 'ChannelVarset' && f.variable === 'RTPAUDIOQOS')).toBe(true);
    expect(end[0]!.cause).toBeUndefined();
    expect(end[2]).toMatchObject({ cause: 16 });
  });

  it('a hangup over ARI sends BYE to the softphone', async () => {
    const p = await registered('1001');
    expect((await offer('a2')).status).toBe(200);
    const inv = await ringing(p);
    let byes = 0;
    inv.delegate = { onBye: () => { byes += 1; } };
    await inv.accept();
    await event('StasisStart');
    expect((await ari('DELETE', '/channels/a2')).status).toBe(204);
    await vi.waitFor(() => expect(byes).toBe(1), WAIT);
    expect(inv.state).toBe(SessionState.Terminated);
  });

  it('486 from the softphone: cause 17, Dial BUSY, no Stasis', async () => {
    const p = await registered('1001');
    expect((await offer('a3')).status).toBe(200);
    const inv = await ringing(p);
    await inv.reject({ statusCode: 486 });
    expect(await event('ChannelDestroyed')).toMatchObject({ cause: 17, tech_cause: 486 });
    // SIP.js sends 180 Ringing on its own as the INVITE arrives.
    expect(about('a3').map((f) => f.type)).toEqual(['Dial', 'ChannelStateChange', 'Dial', 'ChannelHangupRequest', 'Dial', 'ChannelDestroyed']);
    expect(about('a3')[2]).toMatchObject({ dialstatus: 'RINGING' });
    expect(about('a3')[4]).toMatchObject({ dialstatus: 'BUSY' });
  });

  it('no answer before the originate timeout: CANCEL reaches the softphone, cause 19', async () => {
    const p = await registered('1001');
    expect((await offer('a4', 1)).status).toBe(200);
    await ringing(p);
    const inv = p.invitations[0]!;
    expect(await event('ChannelDestroyed')).toMatchObject({ cause: 19 });
    await vi.waitFor(() => expect(inv.state).toBe(SessionState.Terminated), WAIT);
  });
});
