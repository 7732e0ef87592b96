/**
 * One WebSocket per app name (trace s17): a second connection for `hotline` takes the app
 * over; the first gets ApplicationReplaced and, its socket open, hears nothing more; when
 * the second goes the app is gone (404, calls no longer enter Stasis) although the first
 * socket is still open; a new connection takes the app back. Each connection's events are
 * held to the recording's. Two apps side by side hear only their own calls and bridges.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startAriSimulator, type AriSimulator } from '../../sim/index.js';
import { openEvents, type EventsClient } from './support/events-client.js';
import { loadTrace, project } from './support/trace.js';
import { ariCaller } from './support/ari-http.js';

let sim: AriSimulator;
const ari = ariCaller(() => sim.url);
const open: EventsClient[] = [];
const connect = async () => {
  const c = await openEvents(sim.url);
  open.push(c);
  return c;
};
/** The citizen of the recording: a Local channel whose ;2 half runs Stasis(hotline) from the dialplan. */
const citizenCalls = () =>
  ari('POST', '/channels?endpoint=Local%2F12345%40incoming&extension=caller-wait&context=ari-helper&priority=1&callerId=%22Citizen%22%20%3C1000%3E&timeout=30');
const types = (c: EventsClient) => c.frames.map((f) => String(f.type));

beforeEach(async () => {
  sim = await startAriSimulator({ username: 'ari', password: 'ari', speed: 20 });
});
afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await sim.close();
});

it('s17: the newer connection takes the app, and the app goes with it', async () => {
  const trace = loadTrace('s17-two-connections-one-app.jsonl');
  const recorded = (conn: number) => trace.filter((e) => e.kind === 'ws_event' && (e as { conn?: number }).conn === conn).map((e) => e.event!);

  const first = await connect();
  const second = await connect();
  await first.next('ApplicationReplaced');
  await citizenCalls();
  const start = await second.next('StasisStart');
  const citizen = (start.channel as { id: string }).id;
  await ari('DELETE', `/channels/${citizen}`);
  await second.next('StasisEnd');

  second.close();
  await expect.poll(async () => (await ari('GET', '/applications/hotline')).status, { timeout: 5000, interval: 5 }).toBe(404);
  expect(await ari('GET', '/applications/hotline')).toEqual({ status: 404, body: { message: 'Application not found' } });
  expect((await ari('GET', '/applications')).body).toEqual([]);
  await citizenCalls();
  // Stasis() fails in the dialplan without the app: the call ends there, unheard.
  await expect.poll(async () => (await ari('GET', '/channels')).body, { timeout: 5000, interval: 5 }).toEqual([]);

  const third = await connect();
  await citizenCalls();
  const again = await third.next('StasisStart');
  await ari('DELETE', `/channels/${(again.channel as { id: string }).id}`);
  await third.next('StasisEnd');

  for (const [conn, client] of [[1, first], [2, second], [3, third]] as const) {
    expect(types(client)).toEqual(recorded(conn).map((e) => String(e.type)));
    // Ids differ between runs; names (counters masked), states, caller ids and dialplan do not.
    const anyId = () => '<id>';
    expect(client.frames.map((e) => project(e, anyId))).toEqual(recorded(conn).map((e) => project(e, anyId)));
  }
  expect(sim.events().filter((e) => e.event.type === 'StasisStart')).toHaveLength(2);
});

it('two apps (two service instances) never hear each other\'s calls or bridges', async () => {
  const a = await openEvents(sim.url, 'hotline-a');
  const b = await openEvents(sim.url, 'hotline-b');
  open.push(a, b);
  const call = sim.placeCall({ from: '1000', dialled: '12345', app: 'hotline-b' }) as { id: string };
  await ari('POST', `/channels/${call.id}/answer`);
  await ari('POST', '/bridges?type=mixing&bridgeId=b-call');
  await ari('POST', `/bridges/b-call/addChannel?channel=${call.id}`);
  await ari('POST', '/bridges/b-call/play?media=sound:hello-world&playbackId=b-play');
  await b.next('PlaybackFinished');
  sim.hangupFromCaller(call.id);
  await ari('DELETE', '/bridges/b-call');
  await b.next('BridgeDestroyed');
  expect(a.frames).toEqual([]);
  expect(types(b)).toContain('ChannelEnteredBridge');
});
