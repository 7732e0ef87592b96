/**
 * Agents' SIP endpoints (traces s11, s12): registration seen through an endpoint
 * subscription, originates refused while no softphone is registered, the causes and Dial
 * statuses of each SIP rejection, a ringing phone that times out, the caller id an offer
 * shows, events doubled by an endpoint subscription, and ring/MOH requests that emit nothing.
 */
import { describe, expect, it } from 'vitest';
import { useSimWithEvents } from './support/sim-with-events.js';
import { ARI_AUTH, ariCaller } from './support/ari-http.js';

const t = useSimWithEvents();
const ari = ariCaller(() => t.sim.url);
const offer = (id: string, o: { timeout?: number } = {}) =>
  ari('POST', `/channels?endpoint=PJSIP%2Fagent1&app=hotline&appArgs=agent%2Cc-1&callerId=13912345678&timeout=${o.timeout ?? 20}&channelId=${id}`,
    { variables: { HOTLINE_CALL_ID: 'c-1' } });
const about = (id: string) => t.ev.frames.filter((f) => (f.channel as { id?: string } | undefined)?.id === id || (f.peer as { id?: string } | undefined)?.id === id);
const subscribe = () => ari('POST', '/applications/hotline/subscription?eventSource=endpoint%3APJSIP%2Fagent1');

describe('registration', () => {
  it('is announced to an app subscribed to the endpoint, and read by endpoints.get', async () => {
    expect((await subscribe()).body).toMatchObject({ endpoint_ids: ['PJSIP/agent1'] });
    expect((await ari('GET', '/endpoints/PJSIP/agent1')).body).toMatchObject({ state: 'offline' });
    t.sim.registerEndpoint('agent1');
    await t.ev.next('ContactStatusChange');
    expect(t.ev.frames.map((f) => f.type)).toEqual(['EndpointStateChange', 'PeerStatusChange', 'ContactStatusChange']);
    expect(t.ev.frames[1]).toMatchObject({ endpoint: { resource: 'agent1', state: 'online' }, peer: { peer_status: 'Reachable' } });
    expect(t.ev.frames[2]).toMatchObject({ contact_info: { aor: 'agent1', contact_status: 'NonQualified', uri: 'sip:agent1@127.0.0.1:5062' } });
    expect((await ari('GET', '/endpoints/PJSIP/agent1')).body).toMatchObject({ state: 'online' });
    t.sim.unregisterEndpoint('agent1');
    await t.ev.next('ContactStatusChange', (e) => (e.contact_info as { contact_status: string }).contact_status === 'Removed');
    expect(t.ev.frames.slice(3).map((f) => [f.type, (f.endpoint as { state: string }).state])).toEqual([
      ['EndpointStateChange', 'offline'], ['PeerStatusChange', 'offline'], ['ContactStatusChange', 'offline'],
    ]);
  });

  it('is not announced to an app that did not subscribe', async () => {
    t.sim.registerEndpoint('agent1');
    t.sim.placeCall({ from: '1000', dialled: '12345' });
    await t.ev.next('StasisStart');
    expect(t.ev.frames.map((f) => f.type)).toEqual(['StasisStart']);
  });

  it('an endpoint never registered, or logged out, cannot be offered a call: 500 and no event', async () => {
    expect(await offer('x1')).toEqual({ status: 500, body: { error: 'Allocation failed' } });
    t.sim.registerEndpoint('agent1');
    t.sim.unregisterEndpoint('agent1');
    expect(await offer('x2')).toEqual({ status: 500, body: { error: 'Allocation failed' } });
    expect(t.sim.events()).toEqual([]);
  });

  it('the control API over HTTP registers and logs out, refusing unknown endpoints', async () => {
    const post = (path: string, body: unknown = {}) => fetch(`${t.sim.url}/sim${path}`, {
      method: 'POST', headers: { ...ARI_AUTH, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    expect((await post('/endpoints/agent1/register', { phone: { kind: 'reject', status: 603, afterMs: 10 } })).status).toBe(204);
    expect((await offer('h1')).status).toBe(200);
    expect(await t.ev.next('ChannelDestroyed')).toMatchObject({ cause: 21 });
    expect((await post('/endpoints/agent1/unregister')).status).toBe(204);
    expect((await offer('h2')).status).toBe(500);
    expect((await post('/endpoints/nosuch/register')).status).toBe(404);
    expect((await post('/endpoints/agent1/register', { phone: { kind: 'reject', status: 487, afterMs: 1 } })).status).toBe(400);
  });
});

describe('offers to a registered agent', () => {
  it.each([
    [486, 17, 'User busy', 'BUSY'],
    [603, 21, 'Call Rejected', 'NOANSWER'],
    [480, 19, 'User alerting, no answer', 'NOANSWER'],
  ] as const)('a %i rejection: cause %i (%s), Dial %s, never StasisStart', async (status, cause, causeTxt, dialstatus) => {
    t.sim.registerEndpoint('agent1', { phone: { kind: 'reject', status, afterMs: 30 } });
    expect((await offer('o1')).status).toBe(200);
    expect(await t.ev.next('ChannelDestroyed')).toMatchObject({ cause, cause_txt: causeTxt, tech_cause: status });
    expect(about('o1').map((f) => f.type)).toEqual(['Dial', 'ChannelHangupRequest', 'Dial', 'ChannelDestroyed']);
    expect(about('o1').find((f) => f.type === 'ChannelHangupRequest')).toMatchObject({ cause, tech_cause: status });
    expect(about('o1')[2]).toMatchObject({ dialstatus });
  });

  it('a phone that rings out: Ringing, then only ChannelDestroyed 19 at the timeout (no final Dial)', async () => {
    t.sim.registerEndpoint('agent1', { phone: { kind: 'ring' } });
    await offer('o2', { timeout: 1 });
    await t.ev.next('ChannelDestroyed');
    expect(about('o2').map((f) => [f.type, f.dialstatus])).toEqual([
      ['Dial', ''], ['ChannelStateChange', undefined], ['Dial', 'RINGING'], ['ChannelDestroyed', undefined],
    ]);
  });

  it('an answered offer enters the app with its args; the caller id keeps the endpoint name; variables are readable', async () => {
    t.sim.registerEndpoint('agent1', { phone: { kind: 'answer', ringingAfterMs: 10, afterMs: 100 } });
    const res = await offer('o3');
    expect(res.body).toMatchObject({ caller: { name: 'Agent One', number: '13912345678' }, connected: { name: '', number: '13912345678' } });
    const start = await t.ev.next('StasisStart');
    expect(start.args).toEqual(['agent', 'c-1']);
    expect(about('o3').map((f) => [f.type, f.dialstatus ?? f.variable])).toEqual([
      ['Dial', ''], ['ChannelStateChange', undefined], ['Dial', 'RINGING'], ['ChannelStateChange', undefined],
      ['Dial', 'ANSWER'], ['ChannelVarset', 'STASISSTATUS'], ['StasisStart', undefined],
    ]);
    expect((await ari('GET', '/channels/o3/variable?variable=HOTLINE_CALL_ID')).body).toEqual({ value: 'c-1' });
  });

  it('with the endpoint subscribed, every event of the channel arrives twice, set-up events once', async () => {
    t.sim.registerEndpoint('agent1', { phone: { kind: 'reject', status: 486, afterMs: 30 } });
    await subscribe();
    await offer('o4');
    await t.ev.next('EndpointStateChange', (e) => (e.endpoint as { channel_ids: string[] }).channel_ids.length === 0);
    expect(t.ev.frames.map((f) => f.type)).toEqual([
      'EndpointStateChange', 'ChannelCreated', 'ChannelDialplan', 'ChannelCallerId', 'ChannelConnectedLine', 'ChannelVarset',
      'Dial', 'Dial', 'ChannelHangupRequest', 'ChannelHangupRequest', 'Dial', 'Dial', 'ChannelDestroyed', 'ChannelDestroyed',
      'EndpointStateChange',
    ]);
    expect(t.ev.frames[0]).toMatchObject({ endpoint: { state: 'online', channel_ids: ['o4'] } });
    expect(t.ev.frames[1]).toMatchObject({ channel: { caller: { number: '2001' } } });
  });
});

describe('ring and music on hold on a channel', () => {
  it('answer 204 and send no event, even for an unknown class or with nothing playing', async () => {
    const ch = t.sim.placeCall({ from: '1000', dialled: '12345' }) as { id: string };
    await ari('POST', `/channels/${ch.id}/answer`);
    await t.ev.next('ChannelStateChange');
    const before = t.ev.frames.length;
    for (const [method, path] of [
      ['DELETE', '/moh'], ['POST', '/moh?mohClass=nosuchclass'], ['POST', '/moh'], ['DELETE', '/moh'], ['POST', '/ring'], ['DELETE', '/ring'],
    ] as const) {
      expect((await ari(method, `/channels/${ch.id}${path}`)).status).toBe(204);
    }
    // A user event sent after them arrives first of anything after the answer: they sent nothing.
    await ari('POST', '/events/user/marker?application=hotline');
    await t.ev.next('ChannelUserevent');
    expect(t.ev.frames.slice(before).map((f) => f.type)).toEqual(['ChannelUserevent']);
  });
});
