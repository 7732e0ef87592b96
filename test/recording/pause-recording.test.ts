/**
 * Pausing a call's recording over the API while the caller gives a card number: the agent
 * on the call or a supervisor; the paused stretch is not in the file, the manifest keeps
 * every pause (who, when, why), a call ending while paused keeps resumedAt null, and the
 * refusals have their codes.
 */
import { describe, expect, it } from 'vitest';
import { eventually, type Harness } from '../support/service-harness.js';
import { AGENT_TOKEN, OTHER_AGENT_TOKEN, SUPERVISOR_TOKEN, callWithAgent, hangupMoment, manifestOf, recordedEvent, recordingMoments, useRecordedCalls, wavAudioMs } from './capture-support.js';

const start = useRecordedCalls();
const SPEED = 20;

async function post(h: Harness, path: string, token: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${h.service.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Lets `ms` of wall time pass (the paused stretch must be long enough to measure in the file). */
async function letPass(ms: number): Promise<void> {
  const until = Date.now() + ms;
  await eventually(() => Date.now() >= until, ms + 1000, `${ms} ms passing`);
}

describe('pausing a call\'s recording', () => {
  it('leaves the paused stretch out of the file and keeps the pause in the manifest; refusals have their codes', async () => {
    const h = await start();
    const { channelId, callId } = await callWithAgent(h);
    const pausePath = `/recording/calls/${callId}/pause`;
    expect((await post(h, pausePath, OTHER_AGENT_TOKEN.token, {})).status).toBe(403);
    const beforePause = Date.now();
    const paused = await post(h, pausePath, AGENT_TOKEN.token, { reason: '银行卡号 6222021234567890123' });
    const afterPause = Date.now();
    expect(paused).toMatchObject({ status: 200, body: { callId, state: 'paused', pauses: [{ by: 'a1001', resumedAt: null }] } });
    expect(await post(h, pausePath, SUPERVISOR_TOKEN.token, {})).toMatchObject({ status: 409, body: { error_id: 'recording:already-paused' } });
    await letPass(500);
    const resumed = await post(h, `/recording/calls/${callId}/resume`, SUPERVISOR_TOKEN.token);
    expect(resumed).toMatchObject({ status: 200, body: { state: 'recording' } });
    expect(await post(h, `/recording/calls/${callId}/resume`, AGENT_TOKEN.token)).toMatchObject({ status: 409, body: { error_id: 'recording:not-paused' } });
    expect(h.service.calls.session(channelId)!.record.recording).toMatchObject({ state: 'recording', pauses: [{ by: 'a1001' }] });

    h.sim.hangupFromCaller(channelId);
    await h.ended(channelId);
    await eventually(() => recordedEvent(h, callId) !== undefined, 10_000, 'call.recorded');
    const manifest = (await manifestOf(h, callId))!;
    // A number typed into the reason is masked before it is kept.
    expect(manifest.pauses).toEqual([{ pausedAt: expect.any(String), resumedAt: expect.any(String), by: 'a1001', reason: `银行卡号 622${'*'.repeat(14)}23` }]);
    const stored = await h.service.recording!.archive.storage.get(manifest.key);
    const chunks: Buffer[] = [];
    for await (const chunk of stored) chunks.push(chunk as Buffer);
    const audioMs = wavAudioMs(Buffer.concat(chunks));
    // The file holds the recording's span less the paused stretch, which began while the
    // pause request was on its way and ended at the second RecordingStarted (the unpause).
    const name = recordedEvent(h, callId)!.data.recordingName;
    const { started, finished } = recordingMoments(h, name);
    expect(started).toHaveLength(2);
    // The recording ended between the caller's hangup and RecordingFinished (sent once the file is written).
    const slack = 100;
    expect(audioMs).toBeGreaterThanOrEqual((hangupMoment(h, channelId) - started[0]! - (started[1]! - beforePause)) * SPEED - slack);
    expect(audioMs).toBeLessThanOrEqual((finished! - started[0]! - (started[1]! - afterPause)) * SPEED + slack);
    expect((started[1]! - afterPause) * SPEED).toBeGreaterThan(5000);

    // Over: unknown to the service now, and no longer the agent's call.
    expect(await post(h, pausePath, SUPERVISOR_TOKEN.token, {})).toMatchObject({ status: 404, body: { error_id: 'recording:unknown-call' } });
    expect((await post(h, pausePath, AGENT_TOKEN.token, {})).status).toBe(403);
    expect((await post(h, pausePath, AGENT_TOKEN.token, { reason: 7 })).status).toBe(400);
    expect((await post(h, '/recording/calls/no%20such/pause', SUPERVISOR_TOKEN.token, {})).status).toBe(400);
  });

  it('a call that ends while paused keeps resumedAt null in the manifest', async () => {
    const h = await start();
    const { channelId, callId } = await callWithAgent(h);
    expect((await post(h, `/recording/calls/${callId}/pause`, SUPERVISOR_TOKEN.token, {})).status).toBe(200);
    h.sim.hangupFromCaller(channelId);
    await h.ended(channelId);
    await eventually(() => recordedEvent(h, callId) !== undefined, 10_000, 'call.recorded');
    expect((await manifestOf(h, callId))!.pauses).toEqual([{ pausedAt: expect.any(String), resumedAt: null, by: 'duty-desk', reason: null }]);
  });
});
