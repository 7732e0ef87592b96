/**
 * A citizen's web page calls 12345 through the simulator's `/ws`: the INVITE from the web
 * callers' endpoint (authenticated, not registered) becomes a channel in the app like a
 * carrier call, answered over ARI with G.711 media both ways, and the browser's digits (SIP
 * INFO and RFC 4733) arrive as ChannelDtmfReceived. Other numbers, and agents not
 * registered on the socket, are refused.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionState } from 'sip.js';
import { useSimWithEvents } from './support/sim-with-events.js';
import { ariCaller } from './support/ari-http.js';
import { eventWithin, Softphone, TEST_DEADLINE, WAIT } from './support/softphone.js';

const t = useSimWithEvents(() => ({ speed: 1 }));
const ari = ariCaller(() => t.sim.url);
const phones: Softphone[] = [];
afterEach(async () => {
  for (const p of phones.splice(0)) await p.stop();
});
const event = (type: string, pred?: (e: Record<string, unknown>) => boolean) => eventWithin(t.ev, type, pred);

async function webCaller(endpoint = 'webcall', password = t.sim.sipPassword(endpoint) ?? ''): Promise<Softphone> {
  const p = new Softphone({ server: t.sim.sipUrl, endpoint, password });
  phones.push(p);
  await p.start();
  return p;
}

describe('a web call to 12345', { timeout: TEST_DEADLINE }, () => {
  it('enters Stasis, is answered over ARI, carries audio both ways, and hears the browser\'s digits', async () => {
    const p = await webCaller();
    const call = p.call('12345');
    const start = await event('StasisStart');
    const id = (start.channel as { id: string }).id;
    expect(start).toMatchObject({
      args: ['12345'],
      channel: { state: 'Ring', caller: { name: 'Web caller', number: 'webcall' }, dialplan: { context: 'from-web', exten: '12345' } },
    });
    expect((await ari('POST', `/channels/${id}/answer`)).status).toBe(204);
    await vi.waitFor(() => expect(call.state).toBe(SessionState.Established), WAIT);
    await vi.waitFor(() => {
      expect(t.sim.softphoneMedia(id).rtpReceived).toBeGreaterThan(10);
      expect(p.media[0]!.peer.counts.rtpReceived).toBeGreaterThan(10);
    }, WAIT);

    await call.info({ requestOptions: { body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: 'Signal=5\r\nDuration=160\r\n' } } });
    expect(await event('ChannelDtmfReceived', (e) => e.digit === '5')).toMatchObject({ duration_ms: 160 });
    expect(call.sessionDescriptionHandler!.sendDtmf('7')).toBe(true);
    expect(await event('ChannelDtmfReceived', (e) => e.digit === '7')).toMatchObject({ duration_ms: 160 });
    expect(t.sim.softphoneMedia(id)).toMatchObject({ dtmfReceived: '7' });

    // The browser's BYE: a hangup request without a cause, then the channel leaves the app and is gone.
    await call.bye();
    await event('StasisEnd');
    expect((await event('ChannelHangupRequest')).cause).toBeUndefined();
    expect(t.sim.channels()).toEqual([]);
  });

  it('a browser cancelling before the answer hangs the channel up', async () => {
    const p = await webCaller();
    const call = p.call('12345');
    await event('StasisStart');
    await call.cancel();
    await event('StasisEnd');
    expect(t.sim.channels()).toEqual([]);
    await vi.waitFor(() => expect(call.state).toBe(SessionState.Terminated), WAIT);
  });

  it('refuses another number (404), a wrong password (401) and an agent not registered (403)', async () => {
    const statuses: number[] = [];
    const attempt = async (p: Softphone, number: string) => {
      const call = p.call(number);
      call.delegate = {};
      await new Promise<void>((resolve) => {
        call.stateChange.addListener((s) => { if (s === SessionState.Terminated) resolve(); });
      });
    };
    const listen = (p: Softphone) => p.ua.transport.onMessage = ((orig) => (m: string) => {
      const status = /^SIP\/2\.0 (\d{3})/.exec(m)?.[1];
      if (status && Number(status) >= 300) statuses.push(Number(status));
      orig?.(m);
    })(p.ua.transport.onMessage);
    const web = await webCaller();
    listen(web);
    await attempt(web, '110');
    const wrong = await webCaller('webcall', 'wrong-password');
    listen(wrong);
    await attempt(wrong, '12345');
    const agent = await webCaller('1001');
    listen(agent);
    await attempt(agent, '12345');
    // Each INVITE is first challenged; the credentials then decide.
    expect(statuses).toEqual([401, 404, 401, 401, 401, 403]);
    expect(t.ev.frames.filter((f) => f.type === 'StasisStart')).toEqual([]);
  });
});
