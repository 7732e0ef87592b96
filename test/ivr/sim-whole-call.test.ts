/**
 * Whole calls through the real service: the ARI simulator (real HTTP + WebSocket), the ARI
 * adapter, the call session, the IVR flow with its default dialplan hand-off, and Redis.
 */
import { describe, expect, it } from 'vitest';
import { callAndPress, hear, pathOf, playing, useSimCalls, varsSet } from './support/sim-call.js';

const start = useSimCalls();

describe('the IVR through the ARI simulator', () => {
  it('menu option 0: the call is handed to the dialplan queue with its variables, and the path is on the record', async () => {
    const { h } = await start();
    const { channel, ended } = await callAndPress(h, [['main-menu', '0']]);
    expect(ended.data.outcome).toBe('transferred');
    expect(pathOf(h, ended.callId)).toEqual(['announcements::heard', 'main-menu:0:option-0', 'general-agent::queue:general']);
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_QUEUE: 'general', HOTLINE_SKILL: 'general', HOTLINE_PRIORITY: '5', HOTLINE_LINE: 'main' });
    const types = h.events.filter((e) => e.callId === ended.callId).map((e) => e.type);
    expect(types).toContain('call.transferred');
    expect(types.filter((t) => t === 'call.ivr-choice')).toHaveLength(3);
  });

  it('barge-in: a key during a very long menu prompt stops it and chooses', async () => {
    // Ten minutes of menu prompt: the call can only end in time if the key stops it.
    const { h } = await start({ soundDurationsMs: { 'hotline/zh/main-menu': 600_000 } });
    const { channel, ended } = await callAndPress(h, [['main-menu', '4']]);
    expect(h.record(ended.callId)?.path.map((s) => s.outcome)).toEqual(['heard', 'option-4', 'transfer:96345']);
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_TRANSFER_NUMBER: '96345' });
  });

  it('a restricted caller still reaches the emergency key', async () => {
    const { h, services } = await start();
    await services.restrictions.flag('13700000009', { reason: 'repeated calls with no new matter', by: 'supervisor-7', minutes: 30 });
    const channel = h.sim.placeCall({ from: '13700000009', dialled: '12345' });
    await hear(h, channel.id, 'restricted-notice');
    h.sim.pressDigits(channel.id, '9');
    const ended = await h.ended(channel.id);
    expect(ended.data.outcome).toBe('transferred');
    expect(h.record(ended.callId)?.path.map((s) => `${s.node}:${s.outcome}`)).toEqual([
      'caller-check:restricted:supervisor',
      'restricted-notice:emergency-key',
      'emergency-key:emergency:emergency-linkage',
    ]);
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_ROUTE: 'emergency-linkage' });
  });

  it('a merged number (12315) hears its own greeting and reaches its own queue', async () => {
    const { h } = await start();
    const channel = h.sim.placeCall({ from: '13912345678', dialled: '12315' });
    await hear(h, channel.id, 'market-menu');
    expect(playing(h, channel.id, 'hotline/zh/welcome-12315')()).toBe(true);
    h.sim.pressDigits(channel.id, '1');
    const ended = await h.ended(channel.id);
    expect(h.record(ended.callId)?.line).toBe('market-12315');
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_QUEUE: 'market', HOTLINE_SKILL: 'market-regulation', HOTLINE_LINE: 'market-12315' });
  });
});
