/**
 * The control API: originate outcomes, caller actions, WebSocket drops, outages, raw
 * frames, recordings on disk, and validation of the `/sim` HTTP API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, startAriSimulator, type AriSimulator } from '../../sim/index.js';
import { EVENT_TYPES } from '../../sim/swagger/events-doc.js';
import { openEvents, type EventsClient } from './support/events-client.js';

let sim: AriSimulator;
let ev: EventsClient;
const auth = { authorization: `Basic ${Buffer.from('ari:ari').toString('base64')}` };
const post = async (path: string) => (await fetch(`${sim.url}/ari${path}`, { method: 'POST', headers: auth })).status;

beforeEach(async () => {
  sim = await startAriSimulator({ username: 'ari', password: 'ari', speed: 20 });
  ev = await openEvents(sim.url);
});
afterEach(async () => {
  ev.close();
  await sim.close();
});

const types = (id: string) => ev.frames.filter((f) => (f.channel as { id?: string } | undefined)?.id === id || (f.peer as { id?: string } | undefined)?.id === id).map((f) => f.type);

describe('originate outcomes', () => {
  it('busy: 17/486 and Dial BUSY', async () => {
    sim.setEndpointBehaviour('PJSIP/agent2', { kind: 'busy', afterMs: 100 });
    expect(await post('/channels?endpoint=PJSIP%2Fagent2&app=hotline&channelId=b1')).toBe(200);
    const destroyed = await ev.next('ChannelDestroyed');
    expect(destroyed).toMatchObject({ cause: 17, cause_txt: 'User busy', tech_cause: 486 });
    expect(types('b1')).toEqual(['Dial', 'ChannelHangupRequest', 'Dial', 'ChannelDestroyed']);
    expect(ev.frames.find((f) => f.type === 'Dial' && f.dialstatus === 'BUSY')).toBeDefined();
  });

  it('answer: the channel enters the app with its args', async () => {
    sim.setEndpointBehaviour(/^PJSIP\/agent1$/, { kind: 'answer', afterMs: 200 });
    expect(await post('/channels?endpoint=PJSIP%2Fagent1&app=hotline&appArgs=agent,7&channelId=a1')).toBe(200);
    const start = await ev.next('StasisStart');
    expect(start.args).toEqual(['agent', '7']);
    expect(types('a1')).toEqual(['Dial', 'ChannelStateChange', 'Dial', 'ChannelVarset', 'StasisStart']);
  });

  it('ring, then the test answers or rejects', async () => {
    sim.setEndpointBehaviour(/agent3/, { kind: 'ring' });
    await post('/channels?endpoint=PJSIP%2Fagent3&app=hotline&channelId=r1');
    await post('/channels?endpoint=PJSIP%2Fagent3&app=hotline&channelId=r2');
    await ev.next('Dial', (e) => e.dialstatus === 'RINGING' && (e.peer as { id: string }).id === 'r2');
    sim.answerChannel('r1');
    sim.rejectChannel('r2', 'congestion');
    await ev.next('StasisStart');
    expect(await ev.next('ChannelDestroyed')).toMatchObject({ cause: 34 });
  });

  it('no answer: cause 19 after the originate timeout', async () => {
    sim.registerEndpoint('agent1', { phone: { kind: 'no-answer' } });
    await post('/channels?endpoint=PJSIP%2Fagent1&app=hotline&timeout=2&channelId=n1');
    expect(await ev.next('ChannelDestroyed')).toMatchObject({ cause: 19, cause_txt: 'User alerting, no answer', tech_cause: 480 });
  });
});

describe('caller actions', () => {
  it('DTMF, then a BYE that cuts a playback and leaves the bridge', async () => {
    const ch = sim.placeCall({ from: '13800000000', dialled: '12345' }) as { id: string };
    expect(await post(`/channels/${ch.id}/answer`)).toBe(204);
    sim.pressDigits(ch.id, '9#');
    expect((await ev.next('ChannelDtmfReceived', (e) => e.digit === '#')).duration_ms).toBe(280);
    await post('/bridges?bridgeId=br1&type=mixing');
    await post(`/bridges/br1/addChannel?channel=${ch.id}`);
    await post(`/channels/${ch.id}/play?media=sound:demo-congrats&playbackId=p1`);
    await ev.next('PlaybackStarted');
    sim.hangupFromCaller(ch.id);
    await ev.next('StasisEnd');
    const tail = ev.frames.slice(ev.frames.findIndex((f) => f.type === 'ChannelHangupRequest')).map((f) => f.type);
    expect(tail).toEqual(['ChannelHangupRequest', 'ChannelLeftBridge', 'PlaybackFinished', 'StasisEnd']);
    expect(ev.frames.find((f) => f.type === 'ChannelHangupRequest')!.cause).toBeUndefined();
    expect((ev.frames.find((f) => f.type === 'PlaybackFinished')!.playback as { state: string }).state).toBe('failed');
    expect(await post(`/channels/${ch.id}/answer`)).toBe(404);
  });

  it('records a real wav file, as long as the recording ran', async () => {
    // Its own simulator on a clock the test moves: the recording runs exactly 2.5 s.
    ev.close();
    await sim.close();
    const clock = new ManualClock();
    sim = await startAriSimulator({ username: 'ari', password: 'ari', clock });
    ev = await openEvents(sim.url);
    const ch = sim.placeCall({ from: '1000', dialled: '12345' }) as { id: string };
    await post(`/channels/${ch.id}/answer`);
    expect(await post(`/channels/${ch.id}/record?name=call-1&format=wav`)).toBe(201);
    clock.advance(2500);
    expect(await post('/recordings/live/call-1/stop')).toBe(204);
    const finished = await ev.next('RecordingFinished');
    const wav = readFileSync(join(sim.recordingsDir, 'call-1.wav'));
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
    expect(wav.readUInt32LE(24)).toBe(8000);
    expect(wav.readUInt16LE(34)).toBe(16);
    // 2.5 s of 8 kHz 16-bit mono after the 44-byte header; Asterisk reports whole seconds.
    expect(wav.readUInt32LE(40)).toBe(2500 * 16);
    expect((finished.recording as { duration: number }).duration).toBe(2);
    const file = await fetch(`${sim.url}/ari/recordings/stored/call-1/file`, { headers: auth });
    expect(Buffer.from(await file.arrayBuffer()).equals(wav)).toBe(true);
  });
});

describe('connection faults', () => {
  it('dropWebSockets closes with 1006', async () => {
    sim.dropWebSockets();
    await expect.poll(() => ev.closeCode, { timeout: 5000, interval: 5 }).toBe(1006);
  });

  it('an outage refuses connections, then the port comes back', async () => {
    const ch = sim.placeCall({ from: '1000', dialled: '12345' }) as { id: string };
    await sim.stopListening();
    expect(ev.frames.filter((f) => f.type === 'ChannelHangupRequest' || f.type === 'StasisEnd').map((f) => f.type)).toEqual([
      'ChannelHangupRequest', 'StasisEnd',
    ]);
    await expect(fetch(`${sim.url}/ari/asterisk/info`, { headers: auth })).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    await sim.resumeListening();
    const res = await fetch(`${sim.url}/ari/channels/${ch.id}`, { headers: auth });
    expect(res.status).toBe(404);
  });

  it('emitRaw sends any frame; every emitted type is declared in events.json', async () => {
    sim.emitRaw({ type: 'SomethingNew', x: 1 });
    expect(await ev.next('SomethingNew')).toEqual({ type: 'SomethingNew', x: 1 });
    const ch = sim.placeCall({ from: '1000', dialled: '12345' }) as { id: string };
    sim.hangupFromCaller(ch.id);
    for (const e of sim.events()) if (e.app !== '*') expect(EVENT_TYPES).toContain(e.event.type);
  });
});

describe('/sim control over HTTP', () => {
  it('places a call and refuses bad input with 400', async () => {
    const ok = await fetch(`${sim.url}/sim/calls`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ from: '1000', dialled: '12345' }) });
    expect(ok.status).toBe(200);
    const bad = await fetch(`${sim.url}/sim/calls`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ dialled: '12 345' }) });
    expect(bad.status).toBe(400);
    const noAuth = await fetch(`${sim.url}/sim/channels`);
    expect(noAuth.status).toBe(401);
  });
});
