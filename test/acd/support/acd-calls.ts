/**
 * Whole calls through the real service with the ACD: the example config (menu and queues,
 * without the ticket bridge's sinks), the ARI simulator with agents' softphones registered
 * as a test says, and readers for agent states and call records.
 */
import { afterEach } from 'vitest';
import { loadHotlineConfig } from '../../../src/app/load-config.js';
import type { HotlineConfig } from '../../../src/app/config-schema.js';
import type { AgentStateKind } from '../../../src/acd/index.js';
import type { DomainEventOf, DomainEventType } from '../../../src/calls/index.js';
import { eventually, startHarness, type Harness, type HarnessOptions } from '../../support/service-harness.js';

export type EditConfig = (config: HotlineConfig) => void;

/** The example config with short timers a test can wait out. */
export async function acdConfig(edit?: EditConfig): Promise<HotlineConfig> {
  const { crmBridge: _crm, ...config } = await loadHotlineConfig('config/hotline.example.yaml');
  const acd = config.acd!;
  for (const queue of Object.values(acd.queues)) {
    queue.wrapUpSeconds = 1;
    queue.announceEverySeconds = 0;
    queue.ringTimeoutSeconds = 5;
  }
  // The example's main menu: 0 goes straight to the general queue, at any hour.
  edit?.(config);
  return config;
}

/** Starts a service with the ACD for each test and closes it after. */
export function useAcdCalls(): (edit?: EditConfig, options?: HarnessOptions) => Promise<Harness> {
  let running: Harness[] = [];
  afterEach(async () => {
    await Promise.all(running.map((h) => h.close()));
    running = [];
  });
  return async (edit, options = {}) => {
    const h = await startHarness({ ...options, config: await acdConfig(edit) });
    running.push(h);
    return h;
  };
}

export const agentProfile = (endpoint: string, skills: Record<string, number> = { general: 5 }) => ({
  displayName: `坐席${endpoint}`,
  endpoint: `PJSIP/${endpoint}`,
  skills,
});

export async function agentState(h: Harness, agentId: string): Promise<AgentStateKind | undefined> {
  return (await h.service.acd!.desk.get(agentId))?.state.kind;
}

export async function untilAgent(h: Harness, agentId: string, kind: AgentStateKind, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await agentState(h, agentId);
    if (now === kind) return;
    if (Date.now() > deadline) throw new Error(`agent ${agentId} is ${String(now)}, not ${kind}, after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A citizen dials 12345, hears the menu and presses 0: straight to the general queue. */
export async function callToQueue(h: Harness, from = '13912345678'): Promise<string> {
  const channel = h.sim.placeCall({ from, dialled: '12345' });
  await eventually(() => h.events.some((e) => e.type === 'call.started' && e.data.channelId === channel.id), 5000, 'call started');
  await eventually(
    () => h.sim.events().some((e) => e.event.type === 'PlaybackStarted' && (e.event.playback as { media_uri: string; target_uri: string }).media_uri === 'sound:hotline/zh/main-menu' && (e.event.playback as { target_uri: string }).target_uri === `channel:${channel.id}`),
    10_000,
    'main menu playing',
  );
  h.sim.pressDigits(channel.id, '0');
  await eventually(() => queuedEvent(h, channel.id) !== undefined, 10_000, 'call queued');
  return channel.id;
}

export function callIdOf(h: Harness, channelId: string): string {
  const started = h.events.find((e) => e.type === 'call.started' && e.data.channelId === channelId);
  if (!started) throw new Error(`no call on ${channelId}`);
  return started.callId;
}

export function queuedEvent(h: Harness, channelId: string): DomainEventOf<'call.queued'> | undefined {
  const started = h.events.find((e) => e.type === 'call.started' && e.data.channelId === channelId);
  return h.events.find((e): e is DomainEventOf<'call.queued'> => e.type === 'call.queued' && e.callId === started?.callId);
}

export function eventsOf<T extends DomainEventType>(h: Harness, callId: string, type: T): Array<DomainEventOf<T>> {
  return h.events.filter((e): e is DomainEventOf<T> => e.type === type && e.callId === callId);
}

export function talkBridge(h: Harness, callId: string): { id: string; channels: string[] } | undefined {
  return h.sim.bridges().find((b) => b.id === `call-${callId}`) as { id: string; channels: string[] } | undefined;
}

export function simChannel(h: Harness, channelId: string): { id: string; caller: { number: string }; state: string } | undefined {
  return h.sim.channels().find((c) => c.id === channelId) as { id: string; caller: { number: string }; state: string } | undefined;
}
