/**
 * An Asterisk outage longer than ari-client's own retry window (10 tries, about 43 s, then
 * WebSocketMaxRetries and no more tries). The adapter takes over with its own backoff and
 * is back as soon as Asterisk is. Nothing here asserts on timing.
 *
 * ari-client's backoff is a fixed chain of setTimeouts. The default run moves fake timers
 * through it (see support/fake-time.ts) and takes a second or two. The same scenario against
 * ari-client's real timers, waiting the whole window out (about 45 s), runs only when asked:
 *     SLOW_TESTS=1 npx vitest run test/ari/adapter-outage.test.ts
 */
import { afterEach, expect, vi } from 'vitest';
import { isAriError } from '../../src/ari/errors.js';
import type { ConnectionState } from '../../src/ari/port.js';
import { itAcrossAriClientRetries, type WaitFor } from './support/fake-time.js';
import { SOON, startHarness, type Harness } from './support/sim-port.js';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
  vi.useRealTimers();
});

async function outageLongerThanAriClientRetries(waitFor: WaitFor): Promise<void> {
  // A long connect timeout: leaping through fake time must not cut short a real api-docs load.
  h = await startHarness({ requestTimeoutMs: 500, reconnectMaxDelayMs: 2000, connectTimeoutMs: 60_000 });
  const harness = h;
  const states: ConnectionState[] = [];
  harness.ari.onConnectionChange((s) => states.push(s));
  const before = harness.sim.placeCall({ from: '13800138000', dialled: '12345' }) as { id: string };
  await harness.nextEvent('StasisStart', (e) => e.channel.id === before.id);

  await harness.sim.stopListening();
  // A call's own requests (direct-rest.ts) find the connection refused at once; those made
  // through ari-client never settle and time out.
  const during = await harness.ari.answer(before.id).catch((e: unknown) => e);
  expect(isAriError(during, 'ari:unavailable')).toBe(true);
  const throughAriClient = await harness.ari.getChannel(before.id).catch((e: unknown) => e);
  expect(isAriError(throughAriClient, 'ari:timeout')).toBe(true);

  // ari-client gives up; the adapter keeps trying on its own.
  await waitFor('ari-client giving up', () => harness.logs.find(/ari-client gave up reconnecting/).length > 0);
  await waitFor("the adapter's own attempt failing", () => harness.logs.find(/connection attempt failed/).length > 0);
  expect(harness.ari.isConnected()).toBe(false);

  const attempts = () => harness.logs.find(/connecting to ARI/).length;
  const attemptsWhileDown = attempts();
  await harness.sim.resumeListening();
  // Up to the adapter's next attempt; from there its api-docs load and socket take real time.
  await waitFor('an attempt after Asterisk is back', () => attempts() > attemptsWhileDown || harness.ari.isConnected());
  await expect.poll(() => harness.ari.isConnected(), SOON).toBe(true);
  expect(states).toEqual(['disconnected', 'connected']);

  // Channels from before the outage are gone; new calls arrive as usual.
  const gone = await harness.ari.getChannel(before.id).catch((e: unknown) => e);
  expect(isAriError(gone, 'ari:not-found')).toBe(true);
  const after = harness.sim.placeCall({ from: '13900139000', dialled: '12345' }) as { id: string };
  await harness.nextEvent('StasisStart', (e) => e.channel.id === after.id);
  await harness.ari.hangup(after.id);
}

itAcrossAriClientRetries('recovers after an outage longer than ari-client retries for', outageLongerThanAriClientRetries);
