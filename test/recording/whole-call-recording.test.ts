/**
 * One call, one recording: a citizen through the menu, the queue, an agent and an emergency
 * three-way, recorded from the answer to the hangup in one file (a snoop on the caller's
 * channel, whatever bridge the caller is in), archived with its manifest and digests, and
 * deleted from Asterisk only once the archive confirmed. A caller who hangs up in the menu
 * is recorded too.
 */
import { describe, expect, it } from 'vitest';
import { eventsOf, talkBridge, untilAgent } from '../acd/support/acd-calls.js';
import { eventually } from '../support/service-harness.js';
import { answeredAt, captureCount, hangupMoment, recordingMoments, simEventIndex, until, callWithAgent, digests, manifestOf, recordedEvent, storedOnAsterisk, useRecordedCalls, wavAudioMs } from './capture-support.js';

const start = useRecordedCalls();
const SPEED = 20;

describe('a call through menu, queue, agent and an emergency three-way', () => {
  it('yields exactly one recording spanning it, archived with its manifest; Asterisk keeps its copy until the archive confirmed', async () => {
    const h = await start({ storage: 'broken' });
    h.sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'answer', afterMs: 200 });
    const { channelId, callId, agentLeg } = await callWithAgent(h);
    expect((await h.service.acd!.engine.emergencyTransfer('a1001', 'emergency-linkage', 'three-way')).outcome).toBe('answered');
    await eventually(() => talkBridge(h, callId)?.channels.length === 3, 5000, 'three in the call');
    h.sim.hangupFromCaller(agentLeg);
    await untilAgent(h, 'a1001', 'wrap-up');
    h.sim.hangupFromCaller(channelId);
    const ended = await h.ended(channelId);

    // The archive refuses: the file stays on Asterisk, tried again and again.
    await eventually(() => storedOnAsterisk(h, callId).length === 1, 5000, 'the recording stored on Asterisk');
    await until(async () => (await captureCount(h, 'handover-failed')) >= 3, 'three refused hand-overs');
    const [file] = storedOnAsterisk(h, callId);
    expect(file).toMatch(new RegExp(`^hotline-\\d{4}-\\d{2}-\\d{2}-${callId}\\.wav$`));
    const name = file!.replace(/\.wav$/, '');
    const served = await h.ari.getStoredRecordingFile(name);
    expect(recordedEvent(h, callId)).toBeUndefined();

    // One recording, started once, on the snoop (never on the bridged caller's channel).
    const started = h.sim.events().filter((e) => e.event.type === 'RecordingStarted').map((e) => e.event.recording as { name: string; target_uri: string });
    expect(started.filter((r) => r.name.includes(callId))).toEqual([{ name, target_uri: `channel:rec-${callId}`, format: 'wav', state: 'recording' }]);
    expect(h.sim.events().filter((e) => e.event.type === 'RecordingFailed')).toEqual([]);
    // The file spans the call: started before the caller first entered a bridge (the queue),
    // finished with the caller's hangup, and as long as that stretch on the simulator's clock.
    const channelOf = (e: Record<string, unknown>) => (e.channel as { id?: string } | undefined)?.id;
    const recStarted = simEventIndex(h, (e) => e.type === 'RecordingStarted' && (e.recording as { name: string }).name === name);
    expect(recStarted).toBeGreaterThanOrEqual(0);
    expect(recStarted).toBeLessThan(simEventIndex(h, (e) => e.type === 'ChannelEnteredBridge' && channelOf(e) === channelId));
    expect(simEventIndex(h, (e) => e.type === 'RecordingFinished' && (e.recording as { name: string }).name === name))
      .toBeGreaterThan(simEventIndex(h, (e) => e.type === 'ChannelHangupRequest' && channelOf(e) === channelId));
    const moments = recordingMoments(h, name);
    // From RecordingStarted to the caller's hangup at least, to RecordingFinished (sent once the file is written) at most.
    expect(wavAudioMs(served)).toBeGreaterThanOrEqual((hangupMoment(h, channelId) - moments.started[0]!) * SPEED - 100);
    expect(wavAudioMs(served)).toBeLessThanOrEqual((moments.finished! - moments.started[0]!) * SPEED + 100);
    // And the call itself, from answer to hangup, is not much longer than the recording.
    expect(wavAudioMs(served)).toBeGreaterThan(0.5 * (Date.parse(ended.at) - answeredAt(h, callId)) * SPEED);

    h.mendStorage();
    await eventually(() => recordedEvent(h, callId) !== undefined, 10_000, 'call.recorded');
    await eventually(() => storedOnAsterisk(h, callId).length === 0, 5000, 'Asterisk\'s copy deleted');
    const recorded = recordedEvent(h, callId)!;
    expect(recorded).toMatchObject({ sequence: 0, data: { recordingName: name, sizeBytes: served.length, ...digests(served) } });
    const manifest = (await manifestOf(h, callId))!;
    expect(manifest).toMatchObject({
      callId,
      callerMasked: '139******78',
      dialled: '12345',
      line: 'main',
      startedAt: new Date(answeredAt(h, callId)).toISOString(),
      endedAt: ended.at,
      pauses: [],
      sizeBytes: served.length,
      ...digests(served),
    });
    expect(manifest.retainUntil >= String(new Date().getUTCFullYear() + 3)).toBe(true);
    expect(eventsOf(h, callId, 'call.recorded')).toHaveLength(1);
    expect(await h.service.redis.hlen(`${h.keyPrefix}recording:capture:pending`)).toBe(0);
    expect((await h.ari.listChannels()).filter((c) => c.id.startsWith('rec-'))).toEqual([]);
  });
});

describe('a caller who hangs up during the menu', () => {
  it('is recorded all the same: the snoop ends with the caller, the file is archived', async () => {
    const h = await start();
    const channel = h.sim.placeCall({ from: '13712345678', dialled: '12345' });
    await eventually(() => h.events.some((e) => e.type === 'call.answered' && e.data.channelId === channel.id), 5000, 'answered');
    const callId = h.events.find((e) => e.type === 'call.answered' && e.data.channelId === channel.id)!.callId;
    await eventually(() => h.sim.events().some((e) => e.event.type === 'RecordingStarted' && (e.event.recording as { name: string }).name.includes(callId)), 5000, 'recording');
    h.sim.hangupFromCaller(channel.id);
    await h.ended(channel.id);
    await eventually(() => recordedEvent(h, callId) !== undefined, 10_000, 'call.recorded');
    expect(await manifestOf(h, callId)).toMatchObject({ callId, callerMasked: '137******78', pauses: [] });
    await eventually(() => storedOnAsterisk(h, callId).length === 0, 5000, 'Asterisk\'s copy deleted');
    expect(h.record(callId)!.outcome).toBe('abandoned');
  });
});
