/**
 * Callbacks as citizens meet them, through the real service, the ARI simulator and Redis:
 * a caller who gives up while queued gets one callback in the next calling window (not two
 * for two abandons the same day), and a caller who takes virtual hold is called back from
 * 12345 once an agent is reserved for them, keeping their place.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Harness } from '../support/service-harness.js';
import { eventually } from '../support/service-harness.js';
import { hear } from '../ivr/support/sim-call.js';
import { agentProfile, callIdOf, callToQueue, eventsOf, simChannel, talkBridge, untilAgent, useAcdCalls } from './support/acd-calls.js';

const start = useAcdCalls();

/** Missed calls the store refused because the number had one already (pending or called that day). */
async function scheduledAgain(h: Harness): Promise<number> {
  const metric = await h.service.metrics.getSingleMetric('hotline_callbacks_scheduled_total')?.get();
  return (metric?.values ?? []).filter((v) => v.labels.kind === 'missed' && v.labels.result === 'already').reduce((n, v) => n + v.value, 0);
}
const CITIZEN = '13912345678';

describe('missed calls', () => {
  it('a caller hanging up while queued is a missed call, called back once in the next calling window, not twice the same day', async () => {
    const h = await start();
    const acd = h.service.acd!;
    const first = await callToQueue(h, CITIZEN);
    h.sim.hangupFromCaller(first);
    const ended = await h.ended(first);
    expect(ended.data.outcome).toBe('abandoned');
    expect(h.record(ended.callId)!.queue).toMatchObject({ queue: 'general', result: 'abandoned' });
    // Scheduled as the caller leaves (not awaited by the call): wait for it.
    await vi.waitFor(async () => expect((await acd.callbacks.pending()).count).toBe(1), { timeout: 5000 });
    const job = (await acd.callbacks.get(`cb-m-${ended.callId}`))!;
    expect(job).toMatchObject({ kind: 'missed', callId: ended.callId, number: CITIZEN, queue: 'general', reason: 'abandoned', state: 'pending' });
    // Due at the start of the next calling window (now, when inside one).
    const now = Date.now();
    expect(job.dueAt).toBe(acd.callbacks.nextWindow(job.createdAt));
    expect(job.dueAt).toBeGreaterThanOrEqual(job.createdAt);
    expect(job.dueAt).toBeLessThan(now + 4 * 24 * 3600_000);

    // The same citizen gives up again the same day: still one callback.
    const second = await callToQueue(h, CITIZEN);
    h.sim.hangupFromCaller(second);
    const again = await h.ended(second);
    expect(again.data.outcome).toBe('abandoned');
    // The second abandon was refused as `called-today` (counted by the store's metric): still one job.
    await vi.waitFor(async () => expect(await scheduledAgain(h)).toBe(1), { timeout: 5000 });
    expect((await acd.callbacks.pending()).count).toBe(1);
    expect(await acd.callbacks.get(`cb-m-${again.callId}`)).toBeNull();
  });
});

describe('a call when the line is closed', () => {
  it('a callback request out of hours is a missed call, called back in the next calling window', async () => {
    const h = await start((config) => {
      // The enterprise line never open: its closed menu offers a callback on 1.
      config.calendar!.openingHours['enterprise-line'] = { workingDays: [], restDays: [] };
    });
    const channel = h.sim.placeCall({ from: CITIZEN, dialled: '12345' });
    await hear(h, channel.id, 'main-menu');
    h.sim.pressDigits(channel.id, '2');
    await hear(h, channel.id, 'enterprise-closed-menu');
    h.sim.pressDigits(channel.id, '1');
    const ended = await h.ended(channel.id);
    expect(ended.data.outcome).toBe('completed');
    const job = await h.service.acd!.callbacks.get(`cb-m-${ended.callId}`);
    expect(job).toMatchObject({ kind: 'missed', reason: 'closed', number: CITIZEN, state: 'pending' });
    expect(job!.dueAt).toBe(h.service.acd!.callbacks.nextWindow(job!.createdAt));
  });
});

describe('virtual hold', () => {
  it('the caller keeps their place: offered after the wait, presses 1, hangs up; an agent is reserved, the citizen called from 12345, both connected, the record complete', async () => {
    const h = await start((config) => {
      config.acd!.virtualHold = { ...config.acd!.virtualHold!, offerAfterSeconds: 1 };
    });
    const acd = h.service.acd!;
    h.sim.setEndpointBehaviour(`PJSIP/${CITIZEN}@carrier`, { kind: 'answer', ringingAfterMs: 100, afterMs: 600 });
    const channelId = await callToQueue(h, CITIZEN);
    const callId = callIdOf(h, channelId);
    await eventually(() => h.sim.soundsPlayed(channelId).some((s) => s.media.includes('virtual-hold-offer')), 10_000, 'virtual hold offered');
    h.sim.pressDigits(channelId, '1');
    const ended = await h.ended(channelId);
    expect(ended.data.outcome).toBe('completed');
    expect(h.record(callId)!.queue).toMatchObject({ queue: 'general', result: 'virtual-hold' });
    const job = await acd.callbacks.get(`cb-v-${callId}`);
    expect(job).toMatchObject({ kind: 'virtual-hold', number: CITIZEN, queue: 'general', state: 'pending' });

    // An agent comes: the reservation rings them first, then the citizen is called.
    h.sim.registerEndpoint('1001', { phone: { kind: 'answer', afterMs: 200 } });
    await acd.desk.login({ id: 'a1001', ...agentProfile('1001') });
    await acd.engine.placeCallbacks();
    await untilAgent(h, 'a1001', 'on-call');
    const jobId = `cb-v-${callId}`;
    await eventually(() => (talkBridge(h, jobId)?.channels.length ?? 0) === 2, 10_000, 'agent and citizen bridged');
    const citizenLeg = talkBridge(h, jobId)!.channels.find((c) => c.startsWith('cbc-'))!;
    expect(simChannel(h, citizenLeg)?.caller.number).toBe('12345');

    h.sim.hangupFromCaller(citizenLeg);
    await eventually(() => eventsOf(h, callId, 'call.callback').length > 0, 10_000, 'call.callback published');
    expect(eventsOf(h, callId, 'call.callback')[0]!.data).toMatchObject({ jobId, kind: 'virtual-hold', attempt: 1, outcome: 'connected', agentId: 'a1001', next: 'connected' });
    expect(await acd.callbacks.get(jobId)).toMatchObject({ state: 'done', outcome: 'connected' });
    await untilAgent(h, 'a1001', 'wrap-up');
    expect(talkBridge(h, jobId)).toBeUndefined();
  });

  it('with number confirmation: the caller hears their number, keys another instead, and is called back on it', async () => {
    const OTHER = '13800138000';
    const h = await start((config) => {
      config.prompts.sounds['callback-confirm-number'] = { zh: 'hotline/zh/callback-confirm-number' };
      config.prompts.sounds['callback-enter-number'] = { zh: 'hotline/zh/callback-enter-number' };
      config.acd!.virtualHold = {
        ...config.acd!.virtualHold!,
        offerAfterSeconds: 1,
        confirmNumber: { prompt: 'callback-confirm-number', enterPrompt: 'callback-enter-number', confirmKey: '1', otherNumberKey: '2' },
      };
    });
    const channelId = await callToQueue(h, CITIZEN);
    const callId = callIdOf(h, channelId);
    await eventually(() => h.sim.soundsPlayed(channelId).some((s) => s.media.includes('virtual-hold-offer')), 10_000, 'virtual hold offered');
    h.sim.pressDigits(channelId, '1');
    await hear(h, channelId, 'callback-confirm-number');
    // The number read back, digit by digit, after the prompt.
    await eventually(() => h.sim.soundsPlayed(channelId).some((s) => s.media === `digits:${CITIZEN}`), 10_000, 'the number read back');
    h.sim.pressDigits(channelId, '2');
    await hear(h, channelId, 'callback-enter-number');
    h.sim.pressDigits(channelId, `${OTHER}#`);
    const ended = await h.ended(channelId);
    expect(ended.data.outcome).toBe('completed');
    expect(h.record(callId)!.queue).toMatchObject({ result: 'virtual-hold' });
    expect(await h.service.acd!.callbacks.get(`cb-v-${callId}`)).toMatchObject({ kind: 'virtual-hold', number: OTHER });
  });

  it('a citizen who does not answer the callback is tried again later, the agent straight back to ready', async () => {
    const h = await start((config) => {
      config.acd!.virtualHold = { ...config.acd!.virtualHold!, offerAfterSeconds: 1 };
    });
    const acd = h.service.acd!;
    h.sim.setEndpointBehaviour(`PJSIP/${CITIZEN}@carrier`, { kind: 'no-answer' });
    h.sim.registerEndpoint('1001', { phone: { kind: 'answer', afterMs: 200 } });
    const channelId = await callToQueue(h, CITIZEN);
    const callId = callIdOf(h, channelId);
    await eventually(() => h.sim.soundsPlayed(channelId).some((s) => s.media.includes('virtual-hold-offer')), 10_000, 'virtual hold offered');
    h.sim.pressDigits(channelId, '1');
    await h.ended(channelId);
    await acd.desk.login({ id: 'a1001', ...agentProfile('1001') });
    await acd.engine.placeCallbacks();
    await eventually(() => eventsOf(h, callId, 'call.callback').length > 0, 15_000, 'call.callback published');
    expect(eventsOf(h, callId, 'call.callback')[0]!.data).toMatchObject({ outcome: 'no-answer', attempt: 1, next: 'retry' });
    expect(await acd.callbacks.get(`cb-v-${callId}`)).toMatchObject({ state: 'pending', attempts: 1 });
    await untilAgent(h, 'a1001', 'ready');
  });
});
