/**
 * The recording never endangers the call, and never loses the file: a recording that cannot
 * start is tried once more and the call goes on either way; a recording whose hand-over was
 * cut short by a restart is archived by the next service (the file waited on Asterisk).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordingName } from '../../src/recording/index.js';
import { eventually, type Harness } from '../support/service-harness.js';
import { captureCount, until, manifestOf, recordedEvent, storedOnAsterisk, useRecordedCalls } from './capture-support.js';

const start = useRecordedCalls();

/** Files already on Asterisk under the names the call's recording attempts will ask for (ifExists=fail: 409). */
function occupyNames(h: Harness, attempts: number[]): void {
  h.service.bus.on('call.started', (e) => {
    const today = new Date().toISOString();
    for (const attempt of attempts) writeFileSync(join(h.sim.recordingsDir, `${recordingName(e.callId, today, attempt)}.wav`), 'taken');
  });
}

async function menuCall(h: Harness, from: string): Promise<{ channelId: string; callId: string }> {
  const channel = h.sim.placeCall({ from, dialled: '12345' });
  await eventually(() => h.sim.events().some((e) => e.event.type === 'PlaybackStarted' && (e.event.playback as { media_uri: string; target_uri: string }).media_uri === 'sound:hotline/zh/main-menu' && (e.event.playback as { target_uri: string }).target_uri === `channel:${channel.id}`), 10_000, 'the main menu playing');
  return { channelId: channel.id, callId: h.events.find((e) => e.type === 'call.started' && e.data.channelId === channel.id)!.callId };
}

describe('a recording that cannot start', () => {
  it('is tried once more under a new name, and that recording is archived', async () => {
    const h = await start();
    occupyNames(h, [1]);
    const { channelId, callId } = await menuCall(h, '13612345678');
    h.sim.hangupFromCaller(channelId);
    await h.ended(channelId);
    await eventually(() => recordedEvent(h, callId) !== undefined, 10_000, 'call.recorded');
    expect(recordedEvent(h, callId)!.data.recordingName).toBe(`${recordingName(callId, new Date().toISOString())}-2`);
    expect(await captureCount(h, 'start-retried')).toBe(1);
    expect(await captureCount(h, 'start-failed')).toBe(0);
  });

  it('twice leaves the call as it was: the menu runs, the call ends normally, nothing is pending', async () => {
    const h = await start();
    occupyNames(h, [1, 2]);
    const { channelId, callId } = await menuCall(h, '13512345678');
    await eventually(() => h.service.calls.session(channelId)?.record.recording?.state === 'failed', 5000, 'the recording given up');
    await until(async () => (await captureCount(h, 'start-failed')) === 1, 'counted');
    expect((await h.ari.listChannels()).filter((c) => c.id.startsWith('rec-'))).toEqual([]);
    h.sim.pressDigits(channelId, '0');
    await eventually(() => h.events.some((e) => e.type === 'call.queued' && e.callId === callId), 10_000, 'queued after the failed recording');
    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('abandoned');
    expect(await h.service.redis.hlen(`${h.keyPrefix}recording:capture:pending`)).toBe(0);
    expect(recordedEvent(h, callId)).toBeUndefined();
  });
});

describe('a restart between the end of a recording and its archiving', () => {
  it('archives it after the restart and only then deletes Asterisk\'s copy', async () => {
    const first = await start({ storage: 'broken' });
    const { channelId, callId } = await menuCall(first, '13412345678');
    first.sim.hangupFromCaller(channelId);
    await first.ended(channelId);
    await until(async () => (await captureCount(first, 'handover-failed')) >= 1, 'a refused hand-over');
    // The process goes away: its hand-over with it.
    first.service.recording!.capture!.stop();
    await first.crash();
    expect(storedOnAsterisk(first, callId)).toHaveLength(1);

    first.mendStorage();
    const second = await start({ root: first.root, harness: { simulator: first.sim, keyPrefix: first.keyPrefix } });
    await second.service.started;
    await eventually(() => storedOnAsterisk(second, callId).length === 0, 10_000, 'Asterisk\'s copy deleted after the restart');
    expect(await manifestOf(second, callId)).toMatchObject({ callId, callerMasked: '134******78', endedAt: first.events.find((e) => e.type === 'call.ended' && e.callId === callId)!.at });
    expect(recordedEvent(second, callId)).toMatchObject({ sequence: 0 });
    expect(await second.service.redis.hlen(`${second.keyPrefix}recording:capture:pending`)).toBe(0);
  });
});

describe('a call handed back to the dialplan when the service stops', () => {
  it('is not cut short by the stop: its recording ends with the caller (here the dialplan\'s fallback hangs up), and the next service archives it', async () => {
    const first = await start();
    const { channelId, callId } = await menuCall(first, '13312345678');
    await first.service.shutdown(0);
    expect((await first.ended(channelId)).data.outcome).toBe('transferred');
    const second = await start({ root: first.root, harness: { simulator: first.sim, keyPrefix: first.keyPrefix } });
    await second.service.started;
    await eventually(() => recordedEvent(second, callId) !== undefined, 10_000, 'call.recorded after the caller hung up');
    // The recording was not stopped by the service: Asterisk finished it when the snoop ended with the caller.
    expect(first.sim.requests().filter((r) => r.method === 'POST' && r.path.startsWith('/recordings/live/') && r.path.endsWith('/stop'))).toEqual([]);
    await eventually(() => storedOnAsterisk(second, callId).length === 0, 5000, 'Asterisk\'s copy deleted');
    expect(await manifestOf(second, callId)).toMatchObject({ callId, callerMasked: '133******78' });
  });
});
