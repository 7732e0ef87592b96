/**
 * Whole IVR calls through the real service and the ARI simulator: the example config
 * (without the ticket bridge's sinks), the IVR flow with its default dialplan hand-off, a
 * fixed clock for the calendar, and readers for what the simulator saw on a channel.
 */
import { randomUUID } from 'node:crypto';
import { afterEach } from 'vitest';
import type { HotlineConfig } from '../../../src/app/config-schema.js';
import { createIvrFlowFactory, createIvrServices, type IvrServices } from '../../../src/ivr/index.js';
import { keyspace } from '../../../src/redis/connection.js';
import { ARI_PASSWORD, ARI_USER, eventually, startHarness, testLog, type Harness } from '../../support/service-harness.js';
import { useTestRedis } from '../../support/test-redis.js';
import { exampleConfig, WORKDAY_MORNING } from './example-config.js';
import { TicketBackendDouble } from './ports-double.js';

export interface SimCallOptions {
  /** Edits of the example config's raw document (mode, timings …). */
  edit?: (raw: Record<string, any>) => void;
  /** What the IVR's clock says for the whole call; a working-day morning unless set. */
  at?: Date;
  tickets?: TicketBackendDouble;
  /** Sound lengths in simulated ms; unknown sounds play for 2 s (100 ms at speed 20). */
  soundDurationsMs?: Record<string, number>;
  /**
   * The wait for a key after a menu's prompts, in real ms. The config accepts no less than
   * 1 s from an operator; set after validation, a shorter one lets tests that wait out the
   * timeout run the same path in less time.
   */
  inputTimeoutMs?: number;
}

export interface SimCall {
  h: Harness;
  services: IvrServices;
  config: HotlineConfig;
  tickets: TicketBackendDouble;
}

/**
 * Registers the file's Redis client and closing each test's service and simulator, and
 * returns the function that starts them. Call once at the top of a test file.
 */
export function useSimCalls(): (options?: SimCallOptions) => Promise<SimCall> {
  const redis = useTestRedis();
  let running: Harness | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  return async (options = {}) => {
    const config = exampleConfig((raw) => {
      // Without the ticket bridge's sinks: these calls exercise the menu, not event delivery.
      delete raw.crmBridge;
      options.edit?.(raw);
    });
    if (options.inputTimeoutMs !== undefined) config.ivr!.timing.inputTimeoutMs = options.inputTimeoutMs;
    const at = options.at ?? WORKDAY_MORNING;
    // A fixed instant: the hours a call meets must not depend on when the suite runs.
    const clock = (): Date => at;
    const ks = keyspace(`test:ivr-sim:${randomUUID()}:`);
    const tickets = options.tickets ?? new TicketBackendDouble();
    const services = createIvrServices({ config, redis, keyspace: ks, log: testLog, clock });
    const flows = createIvrFlowFactory({ config, redis, keyspace: ks, log: testLog, clock, ticketStatus: tickets, services });
    const { startAriSimulator } = await import('../../../sim/index.js');
    const sim = await startAriSimulator({ port: 0, username: ARI_USER, password: ARI_PASSWORD, speed: 20, soundDurationsMs: options.soundDurationsMs ?? {} });
    const h = await startHarness({ config, flows, simulator: sim });
    // The harness leaves a simulator it was given running; this one belongs to the test.
    const close = h.close;
    h.close = async () => {
      await close();
      await sim.close();
    };
    running = h;
    return { h, services, config, tickets };
  };
}

type Playback = { media_uri: string; target_uri: string };

/** Every media item the channel heard begin, in order (a list's later items arrive as PlaybackContinuing). */
export function played(h: Harness, channelId: string): string[] {
  return h.sim
    .events()
    .filter((e) => e.event.type === 'PlaybackStarted' || e.event.type === 'PlaybackContinuing')
    .map((e) => e.event.playback as Playback)
    .filter((p) => p.target_uri === `channel:${channelId}`)
    .map((p) => p.media_uri);
}

/** The media URIs of the example's prompts (each prompt id is also its sound's name). */
export const zh = (...prompts: string[]): string[] => prompts.map((p) => `sound:hotline/zh/${p}`);

/** True once `sound` (a sound name, without `sound:`) has begun on the channel `times` times. */
export const playing = (h: Harness, channelId: string, sound: string, times = 1) => (): boolean =>
  played(h, channelId).filter((m) => m === `sound:${sound}`).length >= times;

/** Waits until the `times`-th playing of one of the example's prompts has begun. */
export function hear(h: Harness, channelId: string, prompt: string, times = 1): Promise<void> {
  return eventually(playing(h, channelId, `hotline/zh/${prompt}`, times), 10_000, `${prompt} playing (${times}×) on ${channelId}`);
}

/** The channel variables set on the channel, last value of each: what the dialplan hand-off decided. */
export const varsSet = (h: Harness, channelId: string): Record<string, string> =>
  Object.fromEntries(
    h.sim
      .events()
      .filter((e) => e.event.type === 'ChannelVarset' && (e.event.channel as { id?: string } | undefined)?.id === channelId)
      .map((e) => [e.event.variable as string, e.event.value as string]),
  );

/** The call record's path as `node:input:outcome` (input empty when there was none). */
export const pathOf = (h: Harness, callId: string): string[] | undefined =>
  h.record(callId)?.path.map((s) => `${s.node}:${s.input ?? ''}:${s.outcome}`);

/**
 * A citizen's whole call: dial, then at each prompt (heard on the channel) press its keys,
 * and wait for the call to end. Returns the channel and the call.ended event.
 */
export async function callAndPress(
  h: Harness,
  keys: Array<[prompt: string, digits: string]>,
  options: { from?: string; dialled?: string } = {},
): Promise<{ channel: { id: string }; ended: Awaited<ReturnType<Harness['ended']>> }> {
  const channel = h.sim.placeCall({ from: options.from ?? '13912345678', dialled: options.dialled ?? '12345' });
  for (const [prompt, digits] of keys) {
    await hear(h, channel.id, prompt);
    h.sim.pressDigits(channel.id, digits);
  }
  return { channel: { id: channel.id }, ended: await h.ended(channel.id) };
}
