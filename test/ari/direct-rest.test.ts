/**
 * The call's own requests, sent by direct-rest.ts instead of ari-client, against the
 * simulator: each one reaches Asterisk as the same request ari-client sends for the same
 * operation (method, path, query; originate's variables as its JSON body), and its
 * failures are the same typed AriErrors with the status.
 */
import ari, { type AriClient } from 'ari-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAriError } from '../../src/ari/errors.js';
import { PASSWORD, USERNAME, startHarness, type Harness } from './support/sim-port.js';

let h: Harness;
let client: AriClient;

beforeAll(async () => {
  h = await startHarness();
  // A bare ari-client beside the adapter, to send the same operations its own way.
  client = await ari.connect(h.sim.url, USERNAME, PASSWORD);
});
afterAll(async () => {
  await h.close();
});

async function citizen(): Promise<string> {
  const placed = h.sim.placeCall({ from: '13800138000', dialled: '12345' }) as { id: string };
  await h.nextEvent('StasisStart', (e) => e.channel.id === placed.id);
  return placed.id;
}

/** The requests Asterisk received while `run` ran, with `id` written as `<id>` so two calls compare. */
async function received(ids: Record<string, string>, run: () => Promise<unknown>): Promise<unknown[]> {
  const before = h.sim.requests().length;
  await run();
  const anonymous = (text: string): string => Object.entries(ids).reduce((t, [name, id]) => t.split(id).join(`<${name}>`), text);
  return h.sim.requests().slice(before).map((r) => ({ ...r, path: anonymous(r.path), query: JSON.parse(anonymous(JSON.stringify(r.query))) as unknown }));
}

describe('the direct requests', () => {
  it('are the requests ari-client sends for the same operations', async () => {
    const script = async (channelId: string, via: 'adapter' | 'ari-client') => {
      const bridgeId = `br-${channelId}`;
      const playbackId = `pb-${channelId}`;
      const ids = { channel: channelId, bridge: bridgeId, playback: playbackId };
      const c = client.channels as Record<string, (p: Record<string, unknown>) => PromiseLike<unknown>>;
      const b = client.bridges as Record<string, (p: Record<string, unknown>) => PromiseLike<unknown>>;
      const p = client.playbacks as Record<string, (p: Record<string, unknown>) => PromiseLike<unknown>>;
      const steps: Array<[() => Promise<unknown>, () => PromiseLike<unknown>]> = [
        [() => h.ari.ring(channelId), () => c.ring!({ channelId })],
        [() => h.ari.ringStop(channelId), () => c.ringStop!({ channelId })],
        [() => h.ari.answer(channelId), () => c.answer!({ channelId })],
        [() => h.ari.startMoh(channelId, 'hotline-hold'), () => c.startMoh!({ channelId, mohClass: 'hotline-hold' })],
        [() => h.ari.stopMoh(channelId), () => c.stopMoh!({ channelId })],
        [
          () => h.ari.play({ channelId }, ['sound:hotline/zh/welcome', 'sound:beep'], { playbackId, lang: 'zh' }),
          () => c.play!({ channelId, media: 'sound:hotline/zh/welcome,sound:beep', playbackId, lang: 'zh' }),
        ],
        [() => h.ari.stopPlayback(playbackId), () => p.stop!({ playbackId })],
        [() => h.ari.createBridge({ bridgeId, type: 'mixing', name: 'talk' }), () => b.create!({ bridgeId, type: 'mixing', name: 'talk' })],
        [() => h.ari.addToBridge(bridgeId, [channelId]), () => b.addChannel!({ bridgeId, channel: channelId })],
        [() => h.ari.play({ bridgeId }, ['sound:beep'], { playbackId: `${playbackId}-b` }), () => b.play!({ bridgeId, media: 'sound:beep', playbackId: `${playbackId}-b` })],
        [() => h.ari.removeFromBridge(bridgeId, [channelId]), () => b.removeChannel!({ bridgeId, channel: channelId })],
        [() => h.ari.destroyBridge(bridgeId), () => b.destroy!({ bridgeId })],
        [() => h.ari.hangup(channelId, 'busy'), () => c.hangup!({ channelId, reason: 'busy' })],
      ];
      return received(ids, async () => {
        for (const [adapter, bare] of steps) await (via === 'adapter' ? adapter() : bare());
      });
    };
    const direct = await script(await citizen(), 'adapter');
    const throughAriClient = await script(await citizen(), 'ari-client');
    expect(direct).toHaveLength(13);
    expect(direct).toEqual(throughAriClient);
  });

  it('hand a call back to the dialplan at the place given, as ari-client does', async () => {
    const first = await citizen();
    const direct = await received({ channel: first }, () => h.ari.continueInDialplan(first, { context: 'hotline-fallback', extension: 's', priority: 1 }));
    const second = await citizen();
    const bare = await received({ channel: second }, async () =>
      (client.channels as Record<string, (p: Record<string, unknown>) => PromiseLike<unknown>>).continueInDialplan!({ channelId: second, context: 'hotline-fallback', extension: 's', priority: 1 }),
    );
    expect(direct).toEqual(bare);
    await h.nextEvent('StasisEnd', (e) => e.channel.id === first);
  });

  it('originate with the variables as its body, and answer the new channel', async () => {
    h.sim.setEndpointBehaviour('PJSIP/agent7', { kind: 'answer', afterMs: 100 });
    const channelId = 'direct-agent-leg';
    const sent = await received({ channel: channelId }, async () => {
      const channel = await h.ari.originate({ endpoint: 'PJSIP/agent7', channelId, callerId: '"Hotline" <12345>', timeoutSeconds: 20, appArgs: 'agent', variables: { HOTLINE_CALL: 'c-7', HOTLINE_QUEUE: '综合' } });
      expect(channel).toMatchObject({ id: channelId, caller: { number: '12345' } });
    });
    expect(sent).toEqual([
      { method: 'POST', path: '/channels', query: { endpoint: 'PJSIP/agent7', app: 'hotline', appArgs: 'agent', callerId: '"Hotline" <12345>', timeout: '20', channelId: '<channel>' }, status: 200 },
    ]);
    await h.nextEvent('StasisStart', (e) => e.channel.id === channelId);
    expect(await h.ari.getVariable(channelId, 'HOTLINE_CALL')).toBe('c-7');
    expect(await h.ari.getVariable(channelId, 'HOTLINE_QUEUE')).toBe('综合');
    await h.ari.hangup(channelId);
  });

  it('fail as typed AriErrors with the status, the operation and Asterisk\'s message', async () => {
    const answer = await h.ari.answer('no-such-channel').catch((e: unknown) => e);
    expect(isAriError(answer, 'ari:not-found')).toBe(true);
    expect(answer).toMatchObject({ status: 404, operation: 'channels.answer', message: 'channels.answer: Channel not found' });
    const hangup = await h.ari.hangup('no-such-channel').catch((e: unknown) => e);
    expect(hangup).toMatchObject({ code: 'ari:not-found', status: 404, operation: 'channels.hangup' });
    const empty = await h.ari.answer('').catch((e: unknown) => e);
    expect(empty).toMatchObject({ code: 'ari:bad-request', operation: 'channels.answer' });
    const id = await citizen();
    const play = await h.ari.play({ channelId: id }, ['sound:beep'], { playbackId: 'dup' });
    expect(play.id).toBe('dup');
    const again = await h.ari.play({ channelId: id }, ['sound:beep'], { playbackId: 'dup' }).catch((e: unknown) => e);
    expect(isAriError(again)).toBe(true);
    expect((again as { status?: number }).status).toBeGreaterThanOrEqual(400);
    await h.ari.hangup(id);
  });
});
