/**
 * The service across restarts and outages: a restarted service adopts calls still up in
 * Asterisk, a shutdown hands live calls back to the dialplan, and an Asterisk outage longer
 * than ari-client's own retry window (about 43 s) is outlived.
 *
 * That window is a fixed chain of setTimeouts inside ari-client: the default run moves fake
 * timers through it (test/ari/support/fake-time.ts); the same scenario in real time (about
 * 45 s) runs only with SLOW_TESTS=1.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, startAriSimulator, type AriSimulator } from '../../sim/index.js';
import { itAcrossAriClientRetries, type WaitFor } from '../ari/support/fake-time.js';
import { ARI_PASSWORD, ARI_USER, eventually, startHarness, type Harness } from '../support/service-harness.js';
import { countingLogger } from '../support/test-logger.js';

const open: Harness[] = [];
const sims: AriSimulator[] = [];
afterEach(async () => {
  for (const h of open.splice(0).reverse()) await h.close();
  for (const s of sims.splice(0)) await s.close();
  vi.useRealTimers();
});
async function harness(...args: Parameters<typeof startHarness>): Promise<Harness> {
  const h = await startHarness(...args);
  open.push(h);
  return h;
}

describe('recovery', () => {
  it('a restarted service adopts a call still up in Asterisk, with the same call id', async () => {
    // Asterisk's time moves only when the test moves it: the restart happens while the prompt plays.
    const clock = new ManualClock();
    const sim = await startAriSimulator({ port: 0, username: ARI_USER, password: ARI_PASSWORD, clock });
    sims.push(sim);
    const first = await harness({ simulator: sim });
    const channel = await first.sim.placeCall({ from: '13812345678', dialled: '96128' });
    const promptStarted = () => sim.events().some((e) => e.event.type === 'PlaybackStarted');
    await eventually(() => (clock.advance(1), promptStarted()), 5000, 'prompt started');
    const callId = first.service.calls.session(channel.id)!.callId;
    // The crash comes after the record reached Redis (writes are asynchronous to the call).
    const stored = async (): Promise<number> => first.service.redis.exists(`${first.keyPrefix}calls:live:${channel.id}`);
    await expect.poll(stored, { timeout: 5000, interval: 10 }).toBe(1);
    await first.crash();

    const second = await harness({ simulator: sim, keyPrefix: first.keyPrefix });
    await eventually(() => second.service.calls.session(channel.id) !== undefined, 5000, 'call adopted');
    // The prompt the dead process started is stopped (it would play on, and a new one would
    // queue behind it) and the welcome prompt starts again from its beginning.
    const started = () => sim.events().filter((e) => e.event.type === 'PlaybackStarted');
    await eventually(() => (clock.advance(1), started().length === 2), 5000, 'the prompt replayed');
    const [old, replay] = started().map((e) => (e.event.playback as { id: string }).id);
    const finished = sim.events().filter((e) => e.event.type === 'PlaybackFinished').map((e) => e.event.playback as { id: string; state: string });
    expect(finished).toEqual([expect.objectContaining({ id: old, state: 'done' })]);
    expect(replay).not.toBe(old);
    // Now the replayed prompt plays on to its end, and the flow goes on from there.
    const ending = second.ended(channel.id, 10_000);
    let over = false;
    void ending.finally(() => (over = true)).catch(() => {});
    await eventually(() => (clock.advance(100), over), 10_000, 'the adopted call ended');
    const ended = await ending;
    expect(ended.callId).toBe(callId);
    expect(ended.data.outcome).toBe('completed');
    const record = second.record(callId)!;
    expect(record).toMatchObject({ adopted: true, line: 'housing-96128', dialled: '96128' });
    // Phases from before the restart are kept.
    expect(record.phases.answered).toBeDefined();
    expect(second.events.filter((e) => e.type === 'call.started')).toHaveLength(0);
  });

  it('on SIGTERM-style shutdown, takes no new calls and hands live ones back to the dialplan', async () => {
    const h = await harness({ speed: 1 });
    const live = await h.sim.placeCall({ from: '13812345678', dialled: '12345' });
    await eventually(() => h.service.calls.session(live.id) !== undefined, 5000, 'call taken');
    const shutdown = h.service.shutdown(100);
    const ended = await h.ended(live.id);
    await shutdown;
    expect(ended.data).toMatchObject({ outcome: 'transferred', endedBy: 'service' });
    // The dialplan got it back: it left the app with no hangup request from the service.
    const ofChannel = h.sim.events().filter((e) => (e.event.channel as { id?: string } | undefined)?.id === live.id).map((e) => e.event.type);
    expect(ofChannel).toContain('StasisEnd');
    expect(ofChannel.slice(0, ofChannel.indexOf('StasisEnd'))).not.toContain('ChannelHangupRequest');
  });

  itAcrossAriClientRetries('recovers after Asterisk is gone longer than ari-client retries, and takes calls again', outageLongerThanAriClientRetries);
});

describe('health endpoints', () => {
  it('answers healthz, readyz and metrics', async () => {
    const h = await harness();
    expect(await (await fetch(`${h.service.url}/healthz`)).json()).toEqual({ status: 'ok' });
    // What needs Redis starts in the background: ready once it has.
    const readyz = () => fetch(`${h.service.url}/readyz`);
    await expect.poll(async () => (await readyz()).status, { timeout: 5000, interval: 20 }).toBe(200);
    const ready = await readyz();
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { ari: { ok: true }, redis: { ok: true }, accepting: { ok: true } } });
    const channel = await h.sim.placeCall({ from: '13812345678', dialled: '12345' });
    await h.ended(channel.id);
    const metrics = await (await fetch(`${h.service.url}/metrics`)).text();
    expect(metrics).toMatch(/hotline_calls_started_total\{line="main"\} 1/);
    expect(metrics).toMatch(/hotline_calls_ended_total\{outcome="completed",ended_by="service"\} 1/);
    const missing = await fetch(`${h.service.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error_id: 'not-found' });
  });
});


async function outageLongerThanAriClientRetries(waitFor: WaitFor): Promise<void> {
  const { log, count } = countingLogger('debug');
  const h = await harness({ log });
  const states: string[] = [];
  h.ari.onConnectionChange((s) => states.push(s));
  await h.sim.stopListening();
  await waitFor('ari-client giving up', () => count(/ari-client gave up reconnecting/) > 0);
  await waitFor("the port's own attempt failing", () => count(/connection attempt failed/) > 0);
  const attemptsWhileDown = count(/connecting to ARI/);
  await h.sim.resumeListening();
  // Up to the port's next attempt; from there its api-docs load and socket take real time.
  await waitFor('an attempt after Asterisk is back', () => count(/connecting to ARI/) > attemptsWhileDown || states.at(-1) === 'connected');
  await eventually(() => states.at(-1) === 'connected', 10_000, 'reconnected');
  expect(states).toEqual(['disconnected', 'connected']);
  const ready = await fetch(`${h.service.url}/readyz`);
  expect(ready.status).toBe(200);
  const channel = await h.sim.placeCall({ from: '13812345678', dialled: '12345' });
  expect((await h.ended(channel.id)).data.outcome).toBe('completed');
}
