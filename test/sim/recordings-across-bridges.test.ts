/**
 * Recordings while calls move between bridges (trace s15): a bridge recording writes only
 * while two or more channels are in the bridge; a channel in a bridge cannot be recorded
 * (201, then RecordingFailed); a recording channel cannot join a bridge (409); a canceled
 * recording reports `done` with duration 0 and leaves no file; a snoop recording follows
 * wall time across moves.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../sim/index.js';
import { useSimWithEvents } from './support/sim-with-events.js';
import { ariCaller } from './support/ari-http.js';

// Recording lengths are simulated time the test moves itself.
let clock: ManualClock;
const t = useSimWithEvents(() => ({ clock: (clock = new ManualClock()) }));
const ari = ariCaller(() => t.sim.url);
const recording = (type: string, name: string) =>
  t.ev.next(type, (e) => (e.recording as { name: string }).name === name).then((e) => e.recording as Record<string, unknown>);
/** A second party: an originated Local agent-echo in the app. */
const party = async (id: string) => {
  await ari('POST', `/channels?endpoint=Local%2Fagent-echo%40ari-helper&app=hotline&channelId=${id}`);
  clock.advance(50);
  await t.ev.next('StasisStart', (e) => (e.channel as { id: string }).id === id);
};
const citizen = async () => {
  const id = (t.sim.placeCall({ from: '1000', dialled: '12345' }) as { id: string }).id;
  await ari('POST', `/channels/${id}/answer`);
  return id;
};
const wavBytes = (name: string) => statSync(join(t.sim.recordingsDir, `${name}.wav`)).size;

describe('bridge recordings', () => {
  it('count only the time two or more channels are in the bridge', async () => {
    const a = await citizen();
    await party('b');
    await ari('POST', '/bridges?type=mixing&bridgeId=call');
    await ari('POST', `/bridges/call/addChannel?channel=${a},b`);
    await ari('POST', '/bridges/call/record?name=across&format=wav');
    clock.advance(3000);
    await ari('DELETE', '/channels/b');
    clock.advance(2000);
    await party('c');
    await ari('POST', '/bridges/call/addChannel?channel=c');
    clock.advance(3000);
    await ari('POST', '/recordings/live/across/stop');
    expect(await recording('RecordingFinished', 'across')).toMatchObject({ state: 'done', duration: 6 });
    // 8 kHz 16-bit mono after the 44-byte header: 6 s of audio (the recorder joins a moment after the request).
    const audioMs = (wavBytes('across') - 44) / 16;
    expect(audioMs).toBeGreaterThan(5990);
    expect(audioMs).toBeLessThanOrEqual(6000);

    await ari('POST', '/bridges?type=mixing&bridgeId=alone');
    await ari('POST', `/bridges/alone/addChannel?channel=${a}`);
    await ari('POST', '/bridges/alone/record?name=alone&format=wav');
    clock.advance(3000);
    await ari('POST', '/recordings/live/alone/stop');
    expect(await recording('RecordingFinished', 'alone')).toMatchObject({ duration: 0 });
    expect(wavBytes('alone')).toBe(44);
  });
});

describe('channel recordings and bridges', () => {
  it('a bridged channel cannot be recorded, a recording channel cannot be bridged, a canceled recording leaves nothing', async () => {
    const a = await citizen();
    await ari('POST', '/bridges?type=mixing&bridgeId=call');
    expect((await ari('POST', `/channels/${a}/record?name=first&format=wav`)).status).toBe(201);
    expect(await ari('POST', `/bridges/call/addChannel?channel=${a}`)).toEqual({ status: 409, body: { message: `Channel ${a} currently recording` } });
    await ari('DELETE', '/recordings/live/first');
    expect(await recording('RecordingFinished', 'first')).toMatchObject({ state: 'done', duration: 0 });
    expect((await ari('GET', '/recordings/stored/first')).status).toBe(404);

    await ari('POST', `/bridges/call/addChannel?channel=${a}`);
    expect(await ari('POST', `/channels/${a}/record?name=second&format=wav`)).toMatchObject({ status: 201, body: { state: 'queued' } });
    clock.advance(10);
    expect(await recording('RecordingFailed', 'second')).toMatchObject({ state: 'failed', cause: 'Cannot record channel while in bridge' });
  });

  it('a snoop recording follows wall time while its target moves between holding and mixing bridges', async () => {
    const a = await citizen();
    await ari('POST', '/bridges?type=holding&bridgeId=hold');
    await ari('POST', '/bridges/hold/moh');
    await ari('POST', '/bridges?type=mixing&bridgeId=mix');
    await ari('POST', `/channels/${a}/snoop?spy=both&app=hotline&snoopId=rec`);
    clock.advance(5);
    await ari('POST', '/channels/rec/record?name=snooped&format=wav');
    for (const bridge of ['hold', 'mix', 'hold']) {
      await ari('POST', `/bridges/${bridge}/addChannel?channel=${a}`);
      clock.advance(2500);
    }
    await ari('POST', '/recordings/live/snooped/stop');
    expect(await recording('RecordingFinished', 'snooped')).toMatchObject({ duration: 7 });
    expect(readFileSync(join(t.sim.recordingsDir, 'snooped.wav')).readUInt32LE(40)).toBe(7500 * 16);
  });
});
