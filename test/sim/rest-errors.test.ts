/**
 * REST answers Asterisk gives for bad requests (s5) and for missing or conflicting
 * recordings (s4): status codes and bodies, byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAriSimulator, type AriSimulator } from '../../sim/index.js';

let sim: AriSimulator;
const auth = { authorization: `Basic ${Buffer.from('ari:ari').toString('base64')}` };

async function call(method: string, path: string, headers: Record<string, string> = auth) {
  const res = await fetch(`${sim.url}/ari${path}`, { method, headers });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

beforeAll(async () => {
  sim = await startAriSimulator({ username: 'ari', password: 'ari', speed: 20 });
});
afterAll(async () => {
  await sim.close();
});

describe('REST errors as Asterisk answers them', () => {
  it('originate failures (s5)', async () => {
    expect(await call('POST', '/channels?endpoint=PJSIP%2Fnosuchendpoint&app=hotline')).toEqual({ status: 500, body: { error: 'Allocation failed' } });
    expect(await call('POST', '/channels?endpoint=FOO%2Fbar&app=hotline')).toEqual({ status: 500, body: { error: 'Allocation failed' } });
    expect(await call('POST', '/channels?endpoint=nosuchthing&app=hotline')).toEqual({ status: 400, body: { message: 'Invalid endpoint specified' } });
    expect(await call('POST', '/channels?endpoint=Local%2F12345%40incoming')).toEqual({ status: 400, body: { message: 'Application or extension must be specified' } });
    expect(await call('POST', '/channels?app=hotline')).toEqual({ status: 400, body: { message: 'Endpoint must be specified' } });
    expect(await call('GET', '/channels/no-such-channel')).toEqual({ status: 404, body: { message: 'Channel not found' } });
    expect(await call('DELETE', '/channels/no-such-channel')).toEqual({ status: 404, body: { message: 'Channel not found' } });
    expect(await call('POST', '/channels/no-such-channel/play?media=sound%3Ahello-world')).toEqual({ status: 404, body: { message: 'Channel not found' } });
    expect(await call('POST', '/bridges/no-such-bridge/addChannel?channel=x')).toEqual({ status: 404, body: { message: 'Bridge not found' } });
    expect(await call('GET', '/asterisk/info', {})).toEqual({ status: 401, body: { message: 'Authentication required' } });
    expect(await call('GET', '/asterisk/info', { authorization: `Basic ${Buffer.from('ari:nope').toString('base64')}` })).toEqual({
      status: 401, body: { message: 'Authentication required' },
    });
    expect((await fetch(`${sim.url}/ari/api-docs/resources.json`)).status).toBe(401);
  });

  it('recordings and playbacks that do not exist (s4, s6)', async () => {
    expect(await call('POST', '/recordings/live/no-such-recording/stop')).toEqual({ status: 404, body: { message: 'Recording not found' } });
    expect(await call('GET', '/recordings/stored/no-such-recording')).toEqual({ status: 404, body: { message: 'Recording not found' } });
    expect(await call('GET', '/playbacks/nope')).toEqual({ status: 404, body: { message: 'Playback not found' } });
  });

  it('a live recording name in use with ifExists=fail is a 409 (s4)', async () => {
    const ws = new (await import('ws')).default(`${sim.url.replace('http', 'ws')}/ari/events?app=hotline&api_key=ari:ari`);
    await new Promise((r) => ws.once('open', r));
    const ch = sim.placeCall({ from: '1000', dialled: '12345' }) as { id: string };
    expect((await call('POST', `/channels/${ch.id}/answer`)).status).toBe(204);
    const first = await call('POST', `/channels/${ch.id}/record?name=rec-1&format=wav&ifExists=overwrite`);
    expect(first).toMatchObject({ status: 201, body: { name: 'rec-1', format: 'wav', target_uri: `channel:${ch.id}` } });
    expect(await call('POST', `/channels/${ch.id}/record?name=rec-1&format=wav&ifExists=fail`)).toEqual({
      status: 409, body: { message: "Recording 'rec-1' already exists and can not be overwritten" },
    });
    expect((await call('POST', '/recordings/live/rec-1/stop')).status).toBe(204);
    expect((await call('POST', `/channels/${ch.id}/redirect?endpoint=Local%2F600%40incoming`))).toEqual({
      status: 422, body: { message: "Endpoint technology 'Local' does not match channel technology 'PJSIP'" },
    });
    expect((await call('POST', `/channels/${ch.id}/play?media=bogus`)).status).toBe(400);
    expect((await call('POST', `/channels/${ch.id}/record?name=x&format=wav&maxDurationSeconds=abc`)).status).toBe(400);
    ws.close();
  });
});
