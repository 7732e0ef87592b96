/**
 * What the call recorder relies on from the simulator's recordings, beyond trace s15's moves:
 * pause and unpause (res_stasis_recording's states: paused time is not in the file, pausing
 * sends nothing, unpausing sends RecordingStarted again, a wrong state answers 409), mute,
 * a snoop recording that finishes with its file when the spied caller hangs up, and the
 * stored file served with its Content-Length, then deleted (s4: 404 afterwards).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../sim/index.js';
import { ARI_AUTH, ariCaller } from './support/ari-http.js';
import { useSimWithEvents } from './support/sim-with-events.js';

let clock: ManualClock;
const t = useSimWithEvents(() => ({ clock: (clock = new ManualClock()) }));
const ari = ariCaller(() => t.sim.url);
const nameOf = (e: Record<string, unknown>) => (e.recording as { name: string } | undefined)?.name;
const idOf = (e: Record<string, unknown>) => (e.channel as { id?: string } | undefined)?.id;
const recording = (type: string, name: string) => t.ev.next(type, (e) => nameOf(e) === name).then((e) => e.recording as Record<string, unknown>);
const audioMs = (name: string) => readFileSync(join(t.sim.recordingsDir, `${name}.wav`)).readUInt32LE(40) / 16;

/** An answered citizen, snooped (spy both) into the app, the snoop recorded as `name`. */
async function snoopRecording(name: string): Promise<string> {
  const citizen = (t.sim.placeCall({ from: '1000', dialled: '12345' }) as { id: string }).id;
  await ari('POST', `/channels/${citizen}/answer`);
  await ari('POST', `/channels/${citizen}/snoop?spy=both&whisper=none&app=hotline&appArgs=recorder&snoopId=rec-1`);
  clock.advance(5);
  await t.ev.next('StasisStart', (e) => idOf(e) === 'rec-1');
  expect((await ari('POST', `/channels/rec-1/record?name=${encodeURIComponent(name)}&format=wav&ifExists=fail&maxDurationSeconds=0`)).status).toBe(201);
  await recording('RecordingStarted', name);
  return citizen;
}

describe('pausing a live recording', () => {
  it('leaves the paused time out of the file; pause sends nothing, unpause RecordingStarted; wrong states answer 409', async () => {
    await snoopRecording('paused-call');
    clock.advance(2000);
    expect((await ari('POST', '/recordings/live/paused-call/pause')).status).toBe(204);
    expect((await ari('GET', '/recordings/live/paused-call')).body).toMatchObject({ state: 'paused' });
    expect(await ari('POST', '/recordings/live/paused-call/pause')).toEqual({ status: 409, body: { message: 'Recording not in session' } });
    clock.advance(3000);
    const startedBefore = t.ev.frames.filter((f) => f.type === 'RecordingStarted' && nameOf(f) === 'paused-call').length;
    expect(startedBefore).toBe(1);
    expect((await ari('DELETE', '/recordings/live/paused-call/pause')).status).toBe(204);
    expect(await recording('RecordingStarted', 'paused-call')).toMatchObject({ state: 'recording' });
    expect(t.ev.frames.filter((f) => f.type === 'RecordingStarted' && nameOf(f) === 'paused-call')).toHaveLength(2);
    expect(await ari('DELETE', '/recordings/live/paused-call/pause')).toEqual({ status: 409, body: { message: 'Recording not in session' } });
    clock.advance(1500);
    await ari('POST', '/recordings/live/paused-call/stop');
    // 6.5 s of wall time, 3 s of it paused.
    expect(await recording('RecordingFinished', 'paused-call')).toMatchObject({ state: 'done', duration: 3 });
    expect(audioMs('paused-call')).toBe(3500);
    expect(await ari('POST', '/recordings/live/paused-call/pause')).toEqual({ status: 404, body: { message: 'Recording not found' } });
  });

  it('a recording stopped while paused keeps what came before the pause', async () => {
    await snoopRecording('ends-paused');
    clock.advance(1200);
    await ari('POST', '/recordings/live/ends-paused/pause');
    clock.advance(4000);
    await ari('POST', '/recordings/live/ends-paused/stop');
    expect(await recording('RecordingFinished', 'ends-paused')).toMatchObject({ duration: 1 });
    expect(audioMs('ends-paused')).toBe(1200);
  });

  it('mute and unmute answer 204 while recording or paused, and the muted time stays in the file', async () => {
    await snoopRecording('muted');
    expect((await ari('POST', '/recordings/live/muted/mute')).status).toBe(204);
    clock.advance(1000);
    await ari('POST', '/recordings/live/muted/pause');
    expect((await ari('DELETE', '/recordings/live/muted/mute')).status).toBe(204);
    await ari('DELETE', '/recordings/live/muted/pause');
    clock.advance(1000);
    await ari('POST', '/recordings/live/muted/stop');
    await recording('RecordingFinished', 'muted');
    expect(audioMs('muted')).toBe(2000);
    expect((await ari('POST', '/recordings/live/muted/mute')).status).toBe(404);
  });
});

describe('a snoop recording when the caller hangs up', () => {
  it('finishes done with its file; the snoop leaves the app with no hangup request and no ChannelDestroyed', async () => {
    const citizen = await snoopRecording('hotline/2026-12-02/call-1');
    clock.advance(4000);
    t.sim.hangupFromCaller(citizen);
    expect(await recording('RecordingFinished', 'hotline/2026-12-02/call-1')).toMatchObject({ state: 'done', duration: 4 });
    await t.ev.next('StasisEnd', (e) => idOf(e) === 'rec-1');
    const snoopEvents = t.ev.frames.filter((f) => idOf(f) === 'rec-1').map((f) => f.type);
    expect(snoopEvents).not.toContain('ChannelHangupRequest');
    expect(snoopEvents).not.toContain('ChannelDestroyed');
    expect(audioMs('hotline/2026-12-02/call-1')).toBe(4000);
    expect((await ari('POST', '/recordings/live/hotline%2F2026-12-02%2Fcall-1/stop')).status).toBe(404);
    expect((await ari('DELETE', '/channels/rec-1')).status).toBe(404);
  });
});

describe('a stored recording', () => {
  it('is served whole with Content-Length and audio/wav, then deleted: 404 afterwards', async () => {
    const citizen = await snoopRecording('served');
    clock.advance(2000);
    t.sim.hangupFromCaller(citizen);
    await recording('RecordingFinished', 'served');
    const res = await fetch(`${t.sim.url}/ari/recordings/stored/served/file`, { headers: ARI_AUTH });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect(bytes.length).toBe(44 + 2000 * 16);
    expect(bytes.equals(readFileSync(join(t.sim.recordingsDir, 'served.wav')))).toBe(true);
    expect((await ari('DELETE', '/recordings/stored/served')).status).toBe(204);
    expect(await ari('GET', '/recordings/stored/served')).toEqual({ status: 404, body: { message: 'Recording not found' } });
    expect(await ari('DELETE', '/recordings/stored/served')).toEqual({ status: 404, body: { message: 'Recording not found' } });
  });
});
