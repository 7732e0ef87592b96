import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from '../support/service-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const PHASES = ['entered', 'answered', 'flowStarted', 'flowEnded', 'hangupRequested', 'ended'] as const;

describe('a call through the service', () => {
  it('is answered, hears the welcome prompt, is hung up, and its record holds every phase', async () => {
    h = await startHarness();
    const channel = await h.sim.placeCall({ from: '13812345678', fromName: 'Citizen', dialled: '12345' });
    const ended = await h.ended(channel.id);

    expect(ended.data).toMatchObject({ outcome: 'completed', endedBy: 'service', hangupCause: 16, hangupCauseText: 'Normal Clearing' });
    const record = h.record(ended.callId);
    expect(record).toBeDefined();
    expect(record).toMatchObject({ caller: { number: '13812345678', name: 'Citizen' }, dialled: '12345', line: 'main', adopted: false });
    const times = PHASES.map((p) => record!.phases[p]);
    times.forEach((t, i) => expect(t, PHASES[i]).toBeTypeOf('string'));
    expect([...times].sort()).toEqual(times);
    expect(record!.path).toEqual([expect.objectContaining({ node: 'welcome', input: null, outcome: 'finished' })]);

    // The prompt was really played to the end on that channel.
    const finished = h.sim.events().filter((e) => e.event.type === 'PlaybackFinished').map((e) => e.event.playback as Record<string, unknown>);
    expect(finished).toContainEqual(expect.objectContaining({ media_uri: 'sound:hotline/zh/welcome', target_uri: `channel:${channel.id}`, state: 'done' }));

    // started → answered → ivr-choice → ended, in order, all with the same call id.
    expect(h.events.filter((e) => e.callId === ended.callId).map((e) => e.type)).toEqual(['call.started', 'call.answered', 'call.ivr-choice', 'call.ended']);
  });

  it('tags a call to a merged number with its line', async () => {
    h = await startHarness();
    const channel = await h.sim.placeCall({ from: '13900000001', dialled: '12315' });
    const ended = await h.ended(channel.id);
    expect(h.record(ended.callId)?.line).toBe('market-12315');
  });

  it('ends cleanly when the caller hangs up mid-prompt: nothing leaked', async () => {
    h = await startHarness({ speed: 1 });
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const channel = await h.sim.placeCall({ from: '13812345678', dialled: '12345' });
    await eventually(() => h!.sim.events().some((e) => e.event.type === 'PlaybackStarted'), 5000, 'prompt started');
    const session = h.service.calls.session(channel.id);
    expect(session).toBeDefined();

    await h.sim.hangupFromCaller(channel.id);
    const ended = await h.ended(channel.id);

    expect(ended.data).toMatchObject({ outcome: 'abandoned', endedBy: 'caller' });
    expect(session!.resources()).toEqual({ timers: 0, dtmfListeners: 0, eventListeners: 0, playbacks: 0 });
    expect(h.service.calls.size).toBe(0);
    const record = h.record(ended.callId)!;
    expect(record.phases.answered).toBeDefined();
    expect(record.phases.flowEnded).toBeUndefined();
    expect(record.path).toEqual([]);
    // No timer of the call is left armed (the prompt's safety timer included).
    await eventually(
      () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length <= timersBefore,
      2000,
      'timers released',
    );
  });

  it('survives an ARI event of a type it does not know', async () => {
    h = await startHarness();
    h.sim.emitRaw({ type: 'SomethingNewInAsterisk42', timestamp: '2026-11-21T19:20:47.221+0000', application: 'hotline', gadget: { id: 'x' } });
    h.sim.emitRaw({ type: 'StasisStart', timestamp: 'bad', application: 'hotline', args: 'not-an-array' });
    const channel = await h.sim.placeCall({ from: '13812345678', dialled: '12345' });
    expect((await h.ended(channel.id)).data.outcome).toBe('completed');
  });

  it('carries 100 simultaneous calls to the end, each with a complete record', async () => {
    h = await startHarness();
    const channels = await Promise.all(
      Array.from({ length: 100 }, (_, i) => h!.sim.placeCall({ from: `138${String(i).padStart(8, '0')}`, dialled: '12345' })),
    );
    const ended = await Promise.all(channels.map((c) => h!.ended(c.id, 30_000)));
    expect(new Set(ended.map((e) => e.callId)).size).toBe(100);
    for (const e of ended) {
      expect(e.data.outcome).toBe('completed');
      const record = h.record(e.callId)!;
      for (const phase of PHASES) expect(record.phases[phase], `${e.callId} ${phase}`).toBeDefined();
      expect(record.path).toHaveLength(1);
    }
    expect(h.service.calls.size).toBe(0);
  });
});

describe('a call Asterisk drops', () => {
  it('ends as dropped, not completed, when Asterisk shuts down under it', async () => {
    const h = await startHarness();
    try {
      const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
      await expect.poll(() => h.events.some((e) => e.type === 'call.answered' && e.data.channelId === channel.id), { timeout: 5000 }).toBe(true);
      await h.sim.stopListening();
      const ended = await h.ended(channel.id);
      expect(ended.data).toMatchObject({ outcome: 'dropped', endedBy: 'asterisk' });
    } finally {
      await h.close();
    }
  });
});
