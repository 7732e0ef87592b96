/**
 * Whole calls through the real service: the ARI simulator (real HTTP + WebSocket), the ARI
 * adapter, the call session, the IVR flow with its default dialplan hand-off, and Redis.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { HotlineConfig } from '../../src/config/hotline-schema.js';
import { createIvrFlowFactory, createIvrServices, type IvrServices } from '../../src/ivr/index.js';
import { keyspace } from '../../src/redis/connection.js';
import { eventually, startHarness, testLog, type Harness } from '../support/service-harness.js';
import { exampleConfig } from './support/example-config.js';
import { TicketBackendDouble } from './support/ports-double.js';
import { useTestRedis } from '../support/test-redis.js';

const redis = useTestRedis();
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(options: { soundDurationsMs?: Record<string, number> } = {}): Promise<{ h: Harness; services: IvrServices; config: HotlineConfig }> {
  // Without the ticket bridge's sinks: these calls exercise the menu, not event delivery.
  const config = exampleConfig((raw) => delete raw.crmBridge);
  const ks = keyspace(`test:ivr-sim:${randomUUID()}:`);
  const services = createIvrServices({ config, redis, keyspace: ks, log: testLog });
  const flows = createIvrFlowFactory({ config, redis, keyspace: ks, log: testLog, ticketStatus: new TicketBackendDouble(), services });
  const { startAriSimulator } = await import('../../sim/index.js');
  const sim = await startAriSimulator({ port: 0, username: 'hotline', password: 'test-secret-4c1f', speed: 20, soundDurationsMs: options.soundDurationsMs ?? {} });
  h = await startHarness({ config, flows, simulator: sim });
  const harness = h;
  const close = harness.close;
  harness.close = async () => {
    await close();
    await sim.close();
  };
  return { h: harness, services, config };
}

const playing = (h: Harness, channelId: string, sound: string) => () =>
  h.sim.events().some((e) => e.event.type === 'PlaybackStarted' && (e.event.playback as { media_uri: string; target_uri: string }).media_uri === `sound:${sound}` && (e.event.playback as { target_uri: string }).target_uri === `channel:${channelId}`);

const varsSet = (h: Harness, channelId: string) =>
  Object.fromEntries(
    h.sim
      .events()
      .filter((e) => e.event.type === 'ChannelVarset' && (e.event.channel as { id?: string } | undefined)?.id === channelId)
      .map((e) => [e.event.variable as string, e.event.value as string]),
  );

describe('the IVR through the ARI simulator', () => {
  it('menu option 0: the call is handed to the dialplan queue with its variables, and the path is on the record', async () => {
    const { h } = await start();
    const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
    await eventually(playing(h, channel.id, 'hotline/zh/main-menu'), 10_000, 'main menu playing');
    h.sim.pressDigits(channel.id, '0');
    const ended = await h.ended(channel.id);
    expect(ended.data.outcome).toBe('transferred');
    const path = h.record(ended.callId)?.path.map((s) => `${s.node}:${s.input ?? ''}:${s.outcome}`);
    expect(path).toEqual(['announcements::heard', 'main-menu:0:option-0', 'general-agent::queue:general']);
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_QUEUE: 'general', HOTLINE_SKILL: 'general', HOTLINE_PRIORITY: '5', HOTLINE_LINE: 'main' });
    const types = h.events.filter((e) => e.callId === ended.callId).map((e) => e.type);
    expect(types).toContain('call.transferred');
    expect(types.filter((t) => t === 'call.ivr-choice')).toHaveLength(3);
  });

  it('barge-in: a key during a very long menu prompt stops it and chooses', async () => {
    // Ten minutes of menu prompt: the call can only end in time if the key stops it.
    const { h } = await start({ soundDurationsMs: { 'hotline/zh/main-menu': 600_000 } });
    const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
    await eventually(playing(h, channel.id, 'hotline/zh/main-menu'), 10_000, 'main menu playing');
    h.sim.pressDigits(channel.id, '4');
    const ended = await h.ended(channel.id);
    expect(h.record(ended.callId)?.path.map((s) => s.outcome)).toEqual(['heard', 'option-4', 'transfer:96345']);
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_TRANSFER_NUMBER: '96345' });
  });

  it('a restricted caller still reaches the emergency key', async () => {
    const { h, services } = await start();
    await services.restrictions.flag('13700000009', { reason: 'repeated calls with no new matter', by: 'supervisor-7', minutes: 30 });
    const channel = h.sim.placeCall({ from: '13700000009', dialled: '12345' });
    await eventually(playing(h, channel.id, 'hotline/zh/restricted-notice'), 10_000, 'restriction notice playing');
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
    await eventually(playing(h, channel.id, 'hotline/zh/market-menu'), 10_000, 'market menu playing');
    expect(playing(h, channel.id, 'hotline/zh/welcome-12315')()).toBe(true);
    h.sim.pressDigits(channel.id, '1');
    const ended = await h.ended(channel.id);
    expect(h.record(ended.callId)?.line).toBe('market-12315');
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_QUEUE: 'market', HOTLINE_SKILL: 'market-regulation', HOTLINE_LINE: 'market-12315' });
  });
});
