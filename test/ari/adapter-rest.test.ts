/**
 * The adapter's REST side against the simulator (real HTTP, real ari-client): every port
 * method reaches Asterisk with the right parameters, results are parsed, and failures come
 * back as typed AriErrors carrying the HTTP status recovered from swagger-client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAriError } from '../../src/ari/errors.js';
import { startHarness, type Harness } from './support/sim-port.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function citizen(dialled = '12345'): Promise<string> {
  const placed = h.sim.placeCall({ from: '13800138000', dialled }) as { id: string };
  const start = await h.nextEvent('StasisStart', (e) => e.channel.id === placed.id);
  expect(start.args).toEqual([dialled]);
  return placed.id;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('channels', () => {
  it('answers, reads, lists and hangs up a call', async () => {
    const id = await citizen();
    await h.ari.answer(id);
    const channel = await h.ari.getChannel(id);
    expect(channel).toMatchObject({ id, state: 'Up', caller: { number: '13800138000' } });
    expect(Object.keys(channel).some((k) => k.startsWith('_'))).toBe(false);
    expect((await h.ari.listChannels()).map((c) => c.id)).toContain(id);
    await h.ari.hangup(id, 'normal');
    await h.nextEvent('StasisEnd', (e) => e.channel.id === id);
  });

  it('sets and reads channel variables; an unset one reads as undefined', async () => {
    const id = await citizen();
    await h.ari.setVariable(id, 'HOTLINE_CASE', 'A-1');
    expect(await h.ari.getVariable(id, 'HOTLINE_CASE')).toBe('A-1');
    expect(await h.ari.getVariable(id, 'NEVER_SET')).toBeUndefined();
    await h.ari.hangup(id);
  });

  it('rings, holds with music and sends DTMF: Asterisk is asked for each, with the parameters given', async () => {
    const id = await citizen();
    const before = h.sim.requests().length;
    await h.ari.ring(id);
    await h.nextEvent('ChannelStateChange', (e) => e.channel.id === id && e.channel.state === 'Ringing');
    await h.ari.answer(id);
    await h.nextEvent('ChannelStateChange', (e) => e.channel.id === id && e.channel.state === 'Up');
    await h.ari.startMoh(id, 'hotline-hold');
    await h.ari.stopMoh(id);
    await h.ari.sendDtmf(id, '12#', { between: 150, duration: 120 });
    await h.ari.hangup(id);
    // Music on hold and DTMF out on a SIP line raise no event: what the simulator received shows them.
    expect(h.sim.requests().slice(before)).toEqual([
      { method: 'POST', path: `/channels/${id}/ring`, query: {}, status: 204 },
      { method: 'POST', path: `/channels/${id}/answer`, query: {}, status: 204 },
      { method: 'POST', path: `/channels/${id}/moh`, query: { mohClass: 'hotline-hold' }, status: 204 },
      { method: 'DELETE', path: `/channels/${id}/moh`, query: {}, status: 204 },
      { method: 'POST', path: `/channels/${id}/dtmf`, query: { dtmf: '12#', between: '150', duration: '120' }, status: 204 },
      { method: 'DELETE', path: `/channels/${id}`, query: {}, status: 204 },
    ]);
  });

  it('hands a call back to the dialplan', async () => {
    const id = await citizen();
    await h.ari.continueInDialplan(id);
    await h.nextEvent('StasisEnd', (e) => e.channel.id === id);
  });
});

describe('media', () => {
  it('plays with the caller-chosen playback id and stops it', async () => {
    const id = await citizen();
    await h.ari.answer(id);
    const playbackId = `pb-${id}`;
    const playback = await h.ari.play({ channelId: id }, ['sound:demo-congrats'], { playbackId, lang: 'en' });
    expect(playback.id).toBe(playbackId);
    await h.nextEvent('PlaybackStarted', (e) => e.playback.id === playbackId);
    await h.ari.stopPlayback(playbackId);
    const finished = await h.nextEvent('PlaybackFinished', (e) => e.playback.id === playbackId);
    expect(finished.playback.state).toBe('done');
    await h.ari.hangup(id);
  });

  it('pauses and unpauses a live recording; the wrong state is a conflict', async () => {
    const id = await citizen();
    await h.ari.answer(id);
    const name = `paused-${id}`;
    await h.ari.record({ channelId: id }, { name, format: 'wav', ifExists: 'fail' });
    await h.nextEvent('RecordingStarted', (e) => e.recording.name === name);
    await h.ari.pauseRecording(name);
    expect(isAriError(await failure(h.ari.pauseRecording(name)), 'ari:conflict')).toBe(true);
    await h.ari.unpauseRecording(name);
    await h.nextEvent('RecordingStarted', (e) => e.recording.name === name && e.recording.state === 'recording');
    expect(isAriError(await failure(h.ari.unpauseRecording(name)), 'ari:conflict')).toBe(true);
    await h.ari.stopRecording(name);
    await h.nextEvent('RecordingFinished', (e) => e.recording.name === name);
    expect(isAriError(await failure(h.ari.pauseRecording(name)), 'ari:not-found')).toBe(true);
    await h.ari.deleteStoredRecording(name);
    await h.ari.hangup(id);
  });

  it('records a bridge and serves the stored file as bytes', async () => {
    const id = await citizen();
    await h.ari.answer(id);
    const bridge = await h.ari.createBridge({ bridgeId: `br-${id}`, type: 'mixing', name: 'case' });
    expect(bridge).toMatchObject({ id: `br-${id}`, bridge_type: 'mixing' });
    await h.ari.addToBridge(bridge.id, [id]);
    await h.nextEvent('ChannelEnteredBridge', (e) => e.channel.id === id);
    expect((await h.ari.listBridges()).map((b) => b.id)).toContain(bridge.id);
    await h.ari.play({ bridgeId: bridge.id }, ['sound:beep'], { playbackId: `bp-${id}` });

    const name = `rec-${id}`;
    const live = await h.ari.record({ bridgeId: bridge.id }, { name, format: 'wav', ifExists: 'fail', beep: false });
    expect(live).toMatchObject({ name, format: 'wav' });
    await h.nextEvent('RecordingStarted', (e) => e.recording.name === name);
    const duplicate = await failure(h.ari.record({ channelId: id }, { name, format: 'wav', ifExists: 'fail' }));
    expect(isAriError(duplicate, 'ari:conflict')).toBe(true);
    await h.ari.stopRecording(name);
    await h.nextEvent('RecordingFinished', (e) => e.recording.name === name);

    expect(await h.ari.getStoredRecording(name)).toMatchObject({ name, format: 'wav' });
    const file = await h.ari.getStoredRecordingFile(name);
    expect(Buffer.isBuffer(file)).toBe(true);
    expect(file.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(file.subarray(8, 12).toString('latin1')).toBe('WAVE');

    await h.ari.removeFromBridge(bridge.id, [id]);
    await h.ari.destroyBridge(bridge.id);
    await h.ari.deleteStoredRecording(name);
    expect(isAriError(await failure(h.ari.getStoredRecording(name)), 'ari:not-found')).toBe(true);
    await h.ari.hangup(id);
  });

  it('snoops on a channel into the app', async () => {
    const id = await citizen();
    await h.ari.answer(id);
    const snoop = await h.ari.snoop(id, { snoopId: `snoop-${id}`, spy: 'both', whisper: 'none', appArgs: 'snoop' });
    expect(snoop.id).toBe(`snoop-${id}`);
    const start = await h.nextEvent('StasisStart', (e) => e.channel.id === snoop.id);
    expect(start.args).toEqual(['snoop']);
    await h.ari.hangup(snoop.id);
    await h.ari.hangup(id);
  });
});

describe('originate', () => {
  it('creates the channel with the given id, caller id and app args', async () => {
    h.sim.setEndpointBehaviour('PJSIP/agent1', { kind: 'answer', afterMs: 200 });
    const channelId = 'agent-leg-1';
    const channel = await h.ari.originate({
      endpoint: 'PJSIP/agent1',
      channelId,
      callerId: '"Hotline" <12345>',
      timeoutSeconds: 20,
      appArgs: 'agent',
      variables: { HOTLINE_CALL: 'c-1' },
    });
    expect(channel.id).toBe(channelId);
    expect(channel.caller.number).toBe('12345');
    const start = await h.nextEvent('StasisStart', (e) => e.channel.id === channelId);
    expect(start.args).toEqual(['agent']);
    expect(await h.ari.getVariable(channelId, 'HOTLINE_CALL')).toBe('c-1');
    await h.ari.hangup(channelId);
  });

  it('reports an unknown endpoint as a server error (Asterisk: 500 Allocation failed)', async () => {
    const error = await failure(h.ari.originate({ endpoint: 'PJSIP/nosuchendpoint', channelId: 'x-1' }));
    expect(isAriError(error, 'ari:server-error')).toBe(true);
    expect(error).toMatchObject({ status: 500, operation: 'channels.originate' });
  });
});

describe('errors', () => {
  it('types a missing channel as not-found, with the status', async () => {
    const error = await failure(h.ari.getChannel('no-such-channel'));
    expect(isAriError(error, 'ari:not-found')).toBe(true);
    expect(error).toMatchObject({ status: 404, operation: 'channels.get' });
  });

  it('types a missing bridge, playback and recording as not-found', async () => {
    expect(isAriError(await failure(h.ari.addToBridge('no-such-bridge', ['x'])), 'ari:not-found')).toBe(true);
    expect(isAriError(await failure(h.ari.stopPlayback('no-such-playback')), 'ari:not-found')).toBe(true);
    expect(isAriError(await failure(h.ari.stopRecording('no-such-recording')), 'ari:not-found')).toBe(true);
  });

  it('rejects every call once closed', async () => {
    const other = await startHarness();
    await other.close();
    expect(isAriError(await failure(other.ari.getChannel('x')), 'ari:unavailable')).toBe(true);
  });
});
