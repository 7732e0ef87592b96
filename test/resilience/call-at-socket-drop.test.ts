/**
 * A citizen whose call enters the app at the instant the event WebSocket to Asterisk drops
 * (the soak's finding: a caller of that instant who pressed 0 afterwards had, at the ticket
 * backend, no trace of being queued). Asterisk writes the StasisStart to a socket that is
 * already closing, so the service never hears it; it finds the channel in the app at the
 * reconcile after the reconnect and adopts it, with no stored record (none was ever made).
 * Such a call is new to everyone downstream: its events begin with call.started, numbered
 * from 1, as any call's do, and the citizen who presses 0 is queued under that call.
 *
 * The simulator, as Asterisk, still holds the app for a closing socket until it has closed,
 * so a call placed right after `dropWebSockets()` enters the app and its StasisStart is lost.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { startAriSimulator } from '../../sim/index.js';
import type { DomainEvent } from '../../src/calls/index.js';
import { useAcdScenarios } from '../acd/support/acd-scenarios.js';
import { ARI_PASSWORD, ARI_USER, type Harness } from '../support/service-harness.js';
import { countingLogger } from '../support/test-logger.js';

let sim: Awaited<ReturnType<typeof startAriSimulator>> | undefined;
// Registered before the scenario's clean-up, so it runs after the service is closed.
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});
const start = useAcdScenarios();

async function scene(): Promise<{ h: Harness; count: (msg: RegExp) => number }> {
  const { log, count } = countingLogger();
  sim = await startAriSimulator({ port: 0, username: ARI_USER, password: ARI_PASSWORD, speed: 20 });
  // The menu waits for the key however long the reconnect takes on a loaded machine.
  const h = await start((c) => void (c.ivr!.timing.inputTimeoutMs = 60_000), { simulator: sim, log });
  await vi.waitFor(() => expect(count(/reconciled with Asterisk/)).toBe(1), { timeout: 10_000, interval: 20 });
  return { h, count };
}

/** The call's events as the ticket backend files them: under the call id its call.started names for the channel. */
function eventsOfChannel(h: Harness, channelId: string): DomainEvent[] {
  const started = h.events.find((e) => e.type === 'call.started' && e.data.channelId === channelId);
  return started ? h.events.filter((e) => e.callId === started.callId) : [];
}

async function pressZeroAfterReconnect(h: Harness, count: (msg: RegExp) => number, channelId: string): Promise<void> {
  await vi.waitFor(() => expect(count(/reconciled with Asterisk/)).toBe(2), { timeout: 20_000, interval: 20 });
  await vi.waitFor(() => expect(h.sim.soundsPlayed(channelId).some((s) => s.media === 'sound:hotline/zh/main-menu')).toBe(true), { timeout: 10_000, interval: 20 });
  h.sim.pressDigits(channelId, '0');
  // Queued under the call the backend knows: the one its call.started opened.
  await vi.waitFor(() => expect(eventsOfChannel(h, channelId).map((e) => e.type)).toContain('call.queued'), { timeout: 10_000, interval: 20 });
}

it('a call whose StasisStart is lost as the socket drops is adopted as a new call: call.started first, then queued on 0', async () => {
  const { h, count } = await scene();
  h.sim.dropWebSockets();
  const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
  await pressZeroAfterReconnect(h, count, channel.id);
  expect(h.service.calls.stats()).toMatchObject({ started: 0, adopted: 1 });
  const events = eventsOfChannel(h, channel.id);
  expect(events.map((e) => e.type).slice(0, 2)).toEqual(['call.started', 'call.answered']);
  expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
  expect(events[0]!.data).toMatchObject({ channelId: channel.id, dialled: '12345', line: 'main' });
  expect(h.events.filter((e) => e.type === 'call.started' && e.data.channelId === channel.id)).toHaveLength(1);
}, 60_000);

it('a call whose StasisStart was heard just before the socket drops goes on as the same call: one call.started, then queued on 0', async () => {
  const { h, count } = await scene();
  const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
  await vi.waitFor(() => expect(h.service.calls.session(channel.id)).toBeDefined(), { timeout: 5000, interval: 1 });
  h.sim.dropWebSockets();
  await pressZeroAfterReconnect(h, count, channel.id);
  expect(h.service.calls.stats()).toMatchObject({ started: 1, adopted: 0 });
  const events = eventsOfChannel(h, channel.id);
  expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
  expect(h.events.filter((e) => e.type === 'call.started' && e.data.channelId === channel.id)).toHaveLength(1);
}, 60_000);

it('a prompt that ends while the socket is cut is not waited for: after the reconnect the menu goes on at once, and 0 queues the caller', async () => {
  const { h, count } = await scene();
  const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
  const ofChannel = (type: string) =>
    h.sim.events().filter((e) => e.event.type === type && (e.event.playback as { target_uri: string }).target_uri === `channel:${channel.id}`).map((e) => (e.event.playback as { id: string }).id);
  await vi.waitFor(() => expect(ofChannel('PlaybackStarted')).toHaveLength(1), { timeout: 10_000, interval: 1 });
  const [first] = ofChannel('PlaybackStarted');
  h.sim.cutEventSockets();
  // The first announcement ends in Asterisk while nobody hears it (Asterisk replays nothing).
  await vi.waitFor(() => expect(ofChannel('PlaybackFinished')).toContain(first), { timeout: 10_000, interval: 5 });
  h.sim.restoreEventSockets();
  // Well within the prompts' safety timeout (calls.maxPromptSeconds, 120 s), which would otherwise end it.
  await pressZeroAfterReconnect(h, count, channel.id);
  expect(count(/prompts that ended while the event socket was down go on as finished/)).toBe(1);
  expect(count(/playback did not finish in time/)).toBe(0);
}, 60_000);
