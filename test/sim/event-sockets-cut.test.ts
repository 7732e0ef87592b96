/**
 * `cutEventSockets`: the path to Asterisk's event socket broken while Asterisk runs on. The
 * open socket drops (1006), new upgrades are reset, REST still answers, the calls in the app
 * stay, and the app is gone for new calls (s17) until a socket is back.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startAriSimulator, type AriSimulator } from '../../sim/index.js';
import { openEvents, type EventsClient } from './support/events-client.js';

let sim: AriSimulator;
let ev: EventsClient;
const auth = { authorization: `Basic ${Buffer.from('ari:ari').toString('base64')}` };

beforeEach(async () => {
  sim = await startAriSimulator({ username: 'ari', password: 'ari', speed: 20 });
  ev = await openEvents(sim.url);
});
afterEach(async () => {
  ev.close();
  await sim.close();
});

it('drops the event socket and refuses new ones while REST and the calls go on; restored, the app and its calls are back', async () => {
  const inApp = sim.placeCall({ from: '1000', dialled: '12345' });
  const stays = sim.placeCall({ from: '1003', dialled: '12345' });
  sim.cutEventSockets();
  await expect.poll(() => ev.closeCode, { timeout: 5000, interval: 5 }).toBe(1006);
  await expect(openEvents(sim.url)).rejects.toThrow();
  // Asterisk runs on: the call is still there, REST answers, a new call finds no app.
  const channel = await fetch(`${sim.url}/ari/channels/${inApp.id}`, { headers: auth });
  expect(channel.status).toBe(200);
  expect(() => sim.placeCall({ from: '1001', dialled: '12345' })).toThrow(/not registered/);
  // What happened meanwhile is not replayed to the next socket.
  sim.hangupFromCaller(inApp.id);
  sim.restoreEventSockets();
  ev.close();
  ev = await openEvents(sim.url);
  const next = sim.placeCall({ from: '1002', dialled: '12345' });
  await ev.next('StasisStart', (e) => (e.channel as { id: string }).id === next.id);
  expect(ev.frames.some((f) => (f.channel as { id?: string } | undefined)?.id === inApp.id)).toBe(false);
  // A call that stayed in the app through the cut is heard again.
  sim.hangupFromCaller(stays.id);
  await ev.next('StasisEnd', (e) => (e.channel as { id: string }).id === stays.id);
});
