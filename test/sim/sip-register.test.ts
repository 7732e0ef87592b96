/**
 * Softphones registering over the simulator's `/ws` (SIP over WebSocket): digest challenge
 * then acceptance with the password derived from the SIP secret, a wrong password refused,
 * and the endpoint online while registered (s11's events), offline after an unregister or
 * when the WebSocket closes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { sipPassword } from '../../src/acd/sip-credentials.js';
import { useSimWithEvents } from './support/sim-with-events.js';
import { ariCaller } from './support/ari-http.js';
import { Softphone } from './support/softphone.js';

const SECRET = 'a-test-secret-of-at-least-thirty-two-chars';
const t = useSimWithEvents(() => ({ sipSecret: SECRET }));
const ari = ariCaller(() => t.sim.url);
const phones: Softphone[] = [];
afterEach(async () => {
  for (const p of phones.splice(0)) await p.stop();
});

const phone = async (endpoint: string, password: string) => {
  const p = new Softphone({ server: t.sim.sipUrl, endpoint, password });
  phones.push(p);
  await p.start();
  return p;
};
const contactStatus = (status: string) => (e: Record<string, unknown>) => (e.contact_info as { contact_status: string }).contact_status === status;

describe('REGISTER over /ws', () => {
  it('is challenged, then accepted with the derived password: the endpoint goes online', async () => {
    await ari('POST', '/applications/hotline/subscription?eventSource=endpoint%3APJSIP%2F1001');
    const p = await phone('1001', sipPassword('1001', SECRET));
    expect(t.sim.sipPassword('1001')).toBe(sipPassword('1001', SECRET));
    expect(await p.register()).toBe(200);
    await t.ev.next('ContactStatusChange');
    expect(t.ev.frames.map((f) => f.type)).toEqual(['EndpointStateChange', 'PeerStatusChange', 'ContactStatusChange']);
    expect(t.ev.frames[0]).toMatchObject({ endpoint: { resource: '1001', state: 'online' } });
    expect(t.ev.frames[2]).toMatchObject({ contact_info: { aor: '1001', contact_status: 'NonQualified' } });
    expect((await ari('GET', '/endpoints/PJSIP/1001')).body).toMatchObject({ state: 'online' });
    await p.unregister();
    await t.ev.next('ContactStatusChange', contactStatus('Removed'));
    expect((await ari('GET', '/endpoints/PJSIP/1001')).body).toMatchObject({ state: 'offline' });
  });

  it('a wrong password is refused and the endpoint stays offline', async () => {
    const p = await phone('1002', 'not-the-password');
    expect(await p.register()).toBe(401);
    expect(p.registered).toBe(false);
    expect((await ari('GET', '/endpoints/PJSIP/1002')).body).toMatchObject({ state: 'offline' });
  });

  it('another endpoint\'s password, or an endpoint with a fixed contact, is refused', async () => {
    const p = await phone('1002', sipPassword('1001', SECRET));
    expect(await p.register()).toBe(401);
    const trunk = await phone('carrier', sipPassword('carrier', SECRET));
    expect(await trunk.register()).toBe(401);
  });

  it('a closed WebSocket removes the contact: originates fail again', async () => {
    await ari('POST', '/applications/hotline/subscription?eventSource=endpoint%3APJSIP%2F1003');
    const p = await phone('1003', sipPassword('1003', SECRET));
    expect(await p.register()).toBe(200);
    await t.ev.next('ContactStatusChange', contactStatus('NonQualified'));
    phones.splice(phones.indexOf(p), 1);
    await p.stop();
    await t.ev.next('ContactStatusChange', contactStatus('Removed'));
    expect((await ari('POST', '/channels?endpoint=PJSIP%2F1003&app=hotline')).status).toBe(500);
  });

  it('refuses an upgrade without the sip subprotocol, and drops garbage without closing', async () => {
    const plain = new WebSocket(t.sim.sipUrl);
    const refused = await new Promise<string>((resolve) => {
      plain.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      plain.on('open', () => resolve('open'));
      plain.on('error', () => resolve('error'));
    });
    expect(refused).toBe('400');
    const ws = new WebSocket(t.sim.sipUrl, 'sip');
    await new Promise((r) => ws.on('open', r));
    const answers: string[] = [];
    ws.on('message', (d) => answers.push(String(d)));
    ws.send('NOT SIP AT ALL\r\n\r\n');
    ws.send(`OPTIONS sip:sim.invalid SIP/2.0\r\nVia: SIP/2.0/WS x.invalid;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:sim.invalid>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`);
    await expect.poll(() => answers.length).toBe(1);
    expect(answers[0]).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    ws.close();
  });
});
