/**
 * The ARI port under the app lease (takeBackWhenFree: false): another connection taking the
 * app is still a lost connection (alarm, not connected, listeners told), but the port does
 * not ask Asterisk whether the app is free and never takes it back by itself, even once it
 * is free: the lease decides, through takeBack().
 */
import { afterEach, expect, it } from 'vitest';
import { openEvents, type EventsClient } from '../sim/support/events-client.js';
import { PASSWORD, SOON, USERNAME, startHarness, type Harness } from './support/sim-port.js';

let h: Harness | undefined;
let other: EventsClient | undefined;

afterEach(async () => {
  other?.close();
  other = undefined;
  await h?.close();
  h = undefined;
});

const key = `${USERNAME}:${encodeURIComponent(PASSWORD)}`;

it('taken over: listeners told, no polling, the app taken back only through takeBack()', async () => {
  h = await startHarness({ appFreeCheckMs: 50, takeBackWhenFree: false });
  let told = 0;
  h.ari.onTakenOver(() => (told += 1));

  other = await openEvents(h.sim.url, 'hotline', key);
  await expect.poll(() => h!.ari.isConnected(), SOON).toBe(false);
  expect(told).toBe(1);
  expect(h.logs.find(/another connection took over the ARI app/)).toHaveLength(1);

  // The other goes and the app is free: the port still waits (the lease decides).
  other.close();
  other = undefined;
  const applications = `${h.sim.url}/ari/applications/hotline`;
  const auth = { authorization: `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}` };
  await expect.poll(async () => (await fetch(applications, { headers: auth })).status, SOON).toBe(404);
  const requestsBefore = h.sim.requests().filter((r) => r.path === '/applications/hotline').length;
  await new Promise((r) => setTimeout(r, 300));
  expect(h.ari.isConnected()).toBe(false);
  expect(h.sim.requests().filter((r) => r.path === '/applications/hotline').length).toBe(requestsBefore);

  h.ari.takeBack();
  await expect.poll(() => h!.ari.isConnected(), SOON).toBe(true);
  expect(h.ari.takenOverSince()).toBeUndefined();
  expect(h.logs.find(/taking the ARI app back: this instance holds its lease/)).toHaveLength(1);
  const next = h.sim.placeCall({ from: '13800138002', dialled: '12345' }) as { id: string };
  await h.nextEvent('StasisStart', (e) => e.channel.id === next.id);
});
