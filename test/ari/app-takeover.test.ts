/**
 * Another connection taking the app over (trace s17): the older connection gets
 * ApplicationReplaced and, in Asterisk, keeps an open socket that hears nothing more. The
 * port treats that as a lost connection: an alarm line, not connected, its socket closed,
 * no reconnect while the other holds the app (no fight over the name, calls go to the
 * newer connection); once the other has gone and the app is free (404), it takes the app
 * back and calls reach it again. The readiness check names the takeover.
 */
import { afterEach, expect, it } from 'vitest';
import { ariReadiness } from '../../src/app/readiness.js';
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

it('a second connection with the same app name: alarm, not ready, no fight; the app taken back once free', async () => {
  h = await startHarness({ appFreeCheckMs: 50 });
  expect(ariReadiness(h.ari)).toEqual({ ok: true });

  other = await openEvents(h.sim.url, 'hotline', key);
  await expect.poll(() => h!.ari.isConnected(), SOON).toBe(false);
  const alarm = h.logs.find(/another connection took over the ARI app/);
  expect(alarm).toHaveLength(1);
  expect(alarm[0]).toMatchObject({ level: 50, alarm: 'ari-app-replaced', app: 'hotline' });
  expect(h.ari.takenOverSince()).toBeTypeOf('number');
  expect(ariReadiness(h.ari)).toMatchObject({ ok: false, reason: expect.stringMatching(/took over the ARI app "hotline".*ApplicationReplaced/) });

  // While the other holds the app, calls go to it, and this port does not take the name back.
  const held = h.sim.placeCall({ from: '13800138000', dialled: '12345' }) as { id: string };
  await other.next('StasisStart', (e) => (e.channel as { id: string }).id === held.id);
  // Several checks' time (50 ms each) pass with the app held: still waiting.
  await new Promise((r) => setTimeout(r, 300));
  expect(h.logs.find(/free again/)).toHaveLength(0);
  expect(h.ari.isConnected()).toBe(false);
  expect(h.events.some((e) => e.type === 'StasisStart' && e.channel.id === held.id)).toBe(false);

  // The other goes: the app is free, the port takes it back and hears calls again.
  other.close();
  other = undefined;
  await expect.poll(() => h!.ari.isConnected(), SOON).toBe(true);
  expect(h.logs.find(/free again: taking it back/)).toHaveLength(1);
  expect(h.ari.takenOverSince()).toBeUndefined();
  expect(ariReadiness(h.ari)).toEqual({ ok: true });
  const next = h.sim.placeCall({ from: '13800138001', dialled: '12345' }) as { id: string };
  await h.nextEvent('StasisStart', (e) => e.channel.id === next.id);
});

it('closed while waiting for the app to be free: never takes it back', async () => {
  h = await startHarness({ appFreeCheckMs: 50 });
  const { ari, logs, sim } = h;
  other = await openEvents(sim.url, 'hotline', key);
  await expect.poll(() => ari.takenOverSince(), SOON).toBeTypeOf('number');
  await ari.close();
  other.close();
  other = undefined;
  await expect.poll(async () => (await fetch(`${sim.url}/ari/applications/hotline`, { headers: { authorization: `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}` } })).status, SOON).toBe(404);
  await new Promise((r) => setTimeout(r, 300));
  expect(logs.find(/free again/)).toHaveLength(0);
  expect(ari.isConnected()).toBe(false);
});
