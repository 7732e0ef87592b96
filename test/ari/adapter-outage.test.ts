/**
 * An Asterisk outage longer than ari-client's own retry window (10 tries, about 43 s, then
 * WebSocketMaxRetries and no more tries). The adapter takes over with its own backoff and
 * is back as soon as Asterisk is. This is the one slow test: ari-client's backoff is fixed,
 * so the window takes its real time. Nothing here asserts on timing.
 */
import { afterAll, expect, it } from 'vitest';
import { isAriError } from '../../src/ari/errors.js';
import type { ConnectionState } from '../../src/ari/port.js';
import { startHarness, until, type Harness } from './support/sim-port.js';

let h: Harness | undefined;

afterAll(async () => {
  await h?.close();
});

it('recovers after an outage longer than ari-client retries for', async () => {
  h = await startHarness({ requestTimeoutMs: 500, reconnectMaxDelayMs: 2000 });
  const harness = h;
  const states: ConnectionState[] = [];
  harness.ari.onConnectionChange((s) => states.push(s));
  const before = harness.sim.placeCall({ from: '13800138000', dialled: '12345' }) as { id: string };
  await harness.nextEvent('StasisStart', (e) => e.channel.id === before.id);

  await harness.sim.stopListening();
  const during = await harness.ari.answer(before.id).catch((e: unknown) => e);
  expect(isAriError(during, 'ari:timeout')).toBe(true);

  // ari-client gives up; the adapter keeps trying on its own.
  await until(() => harness.logs.find(/ari-client gave up reconnecting/).length > 0, 200);
  await until(() => harness.logs.find(/connection attempt failed/).length > 0, 100);
  expect(harness.ari.isConnected()).toBe(false);

  await harness.sim.resumeListening();
  await until(() => harness.ari.isConnected(), 50);
  expect(states).toEqual(['disconnected', 'connected']);

  // Channels from before the outage are gone; new calls arrive as usual.
  const gone = await harness.ari.getChannel(before.id).catch((e: unknown) => e);
  expect(isAriError(gone, 'ari:not-found')).toBe(true);
  const after = harness.sim.placeCall({ from: '13900139000', dialled: '12345' }) as { id: string };
  await harness.nextEvent('StasisStart', (e) => e.channel.id === after.id);
  await harness.ari.hangup(after.id);
}, 120_000);
