/**
 * Two service processes (src/app/main.ts) with the same Stasis app name, one simulator, one
 * Redis and the reference ticket backend: the first to start holds the app lease and drives
 * the app, the second stands by. Agents log in through an agent desk of the test's own over
 * the same Redis keys (what the desk's HTTP API does); readers for what the simulator saw
 * (prompts, requests, bridges, events), the stored records, the ACD's entries and what each
 * sink of the ticket backend received.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, inject, vi } from 'vitest';
import { startAriSimulator, type EndpointBehaviour } from '../../../sim/index.js';
import { startReferenceBackend, type ReferenceBackend } from '../../../sim/ticket-backend/server.js';
import { acdKeys, AcdConfigSchema, AgentDesk, AgentStore, type AgentState } from '../../../src/acd/index.js';
import type { CallRecord } from '../../../src/calls/call-record.js';
import { restartSceneConfig, SINKS } from '../../acd/support/acd-restart.js';
import { useServiceProcesses, type ServiceProcess } from '../../calls/support/service-process.js';

type Simulator = Awaited<ReturnType<typeof startAriSimulator>>;

const ARI_USER = 'hotline';
const ARI_PASSWORD = 'standby-scene-secret';
const SECRETS = { CRM_CITY_SECRET: 'city-secret-for-standby-scene', CRM_PROVINCE_SECRET: 'province-secret-for-standby-scene', CRM_INBOUND_SECRET: 'inbound-secret-for-standby-scene' };
/** Short, so a takeover after a kill is quick in the test; production's default is 5000. */
export const LEASE_MS = 2000;

export interface StandbyScene {
  sim: Simulator;
  redis: Redis;
  keyPrefix: string;
  /** Starts a service process with the app lease on (it logs its start; waits for nothing more); `env` adds or overrides. */
  start(env?: Record<string, string>): ServiceProcess;
  /** Logs an agent in, ready, its softphone registered to do `phone` when called. */
  agent(agentId: string, endpoint: string, phone: EndpointBehaviour): Promise<void>;
  stateOf(agentId: string): Promise<AgentState | undefined>;
  untilAgent(agentId: string, kind: AgentState['kind']): Promise<void>;
  /** A citizen dials 12345 and waits at the main menu (stored so). */
  callToMenu(from: string): Promise<{ channelId: string; callId: string }>;
  /** A citizen dials 12345, hears the main menu, presses 0 and is queued (stored so). */
  callToQueue(from: string): Promise<{ channelId: string; callId: string }>;
  stored(channelId: string): Promise<CallRecord | undefined>;
  queueEntry(callId: string): Promise<Record<string, string>>;
  talkRecord(callId: string): Promise<Record<string, string>>;
  heard(channelId: string): string[];
  hear(channelId: string, prompt: string, times: number): Promise<void>;
  bridge(callId: string): { id: string; channels: string[] } | undefined;
  /** Requests the services sent about the channel: `<method> <what>` (`POST continue` …). */
  asked(channelId: string): string[];
  /** Every ApplicationReplaced the simulator sent (trace s17: a connection deafened by another). */
  replacements(): number;
  /** Waits until both sinks have an event of this type of the call. */
  delivered(callId: string, type: string): Promise<void>;
  /** Waits until both sinks have every event the call's stored record numbered so far. */
  deliveredSoFar(channelId: string): Promise<void>;
  /** Waits until both sinks have the call's call.ended; returns each sink's event types of the call. */
  ticketsOf(callId: string): Promise<string[][]>;
  /** The service's /readyz answer. */
  readyz(service: ServiceProcess): Promise<{ status: number; body: any }>;
}

export function useStandbyScene(name: string): () => Promise<StandbyScene> {
  const startService = useServiceProcesses(name);
  let redis: Redis;
  const open: Array<{ sim: Simulator; backend: ReferenceBackend }> = [];
  beforeAll(() => {
    redis = new Redis(inject('redisUrl'));
  });
  afterAll(async () => {
    await redis.quit();
  });
  afterEach(async () => {
    for (const { sim, backend } of open.splice(0)) {
      await sim.close();
      await backend.close();
    }
  });

  return async () => {
    const sim = await startAriSimulator({ port: 0, username: ARI_USER, password: ARI_PASSWORD, speed: 20 });
    const backend = await startReferenceBackend({ sinks: { 'city-tickets': SECRETS.CRM_CITY_SECRET, 'provincial-platform': SECRETS.CRM_PROVINCE_SECRET }, lookupSecret: SECRETS.CRM_CITY_SECRET });
    open.push({ sim, backend });
    const keyPrefix = `test:${name}:${randomUUID()}:`;
    // Nobody times out of the menu while the test arranges the others: only the takeover moves them.
    const raw = restartSceneConfig(backend);
    const acdConfig = AcdConfigSchema.parse(raw.acd);
    const keys = acdKeys(keyPrefix);
    const desk = new AgentDesk({ store: new AgentStore({ redis, keys, config: acdConfig }), redis, keys, skills: acdConfig.skills });

    const heard = (channelId: string): string[] =>
      sim
        .events()
        .filter((e) => e.event.type === 'PlaybackStarted' || e.event.type === 'PlaybackContinuing')
        .map((e) => e.event.playback as { media_uri: string; target_uri: string })
        .filter((p) => p.target_uri === `channel:${channelId}`)
        .map((p) => p.media_uri.replace('sound:hotline/zh/', ''));
    const hear = async (channelId: string, prompt: string, times: number): Promise<void> => {
      await vi.waitFor(() => expect(heard(channelId).filter((p) => p === prompt).length, `${prompt} on ${channelId}: ${heard(channelId).join(', ')}`).toBeGreaterThanOrEqual(times), { timeout: 15_000, interval: 20 });
    };
    const stored = async (channelId: string): Promise<CallRecord | undefined> => {
      const json = await redis.get(`${keyPrefix}calls:live:${channelId}`);
      return json ? (JSON.parse(json) as CallRecord) : undefined;
    };
    const stateOf = async (agentId: string) => (await desk.get(agentId))?.state;

    return {
      sim,
      redis,
      keyPrefix,
      start: (env = {}) =>
        startService({ ariUrl: sim.url, ariUser: ARI_USER, ariPassword: ARI_PASSWORD, keyPrefix, config: raw, env: { ...SECRETS, ARI_APP_LEASE_MS: String(LEASE_MS), ...env } }),
      async agent(agentId, endpoint, phone) {
        sim.registerEndpoint(endpoint, { phone });
        // Logged in with no reason is ready at once: a caller waiting may ring the phone before the next step.
        await desk.login({ id: agentId, displayName: `坐席${endpoint}`, endpoint: `PJSIP/${endpoint}`, skills: { general: 5 } });
      },
      stateOf,
      async untilAgent(agentId, kind) {
        await vi.waitFor(async () => expect((await stateOf(agentId))?.kind).toBe(kind), { timeout: 15_000, interval: 50 });
      },
      async callToMenu(from) {
        const channelId = sim.placeCall({ from, dialled: '12345' }).id;
        await hear(channelId, 'main-menu', 1);
        await vi.waitFor(async () => expect((await stored(channelId))?.position).toMatchObject({ node: 'main-menu', stage: 'node' }), { timeout: 10_000, interval: 20 });
        return { channelId, callId: (await stored(channelId))!.callId };
      },
      async callToQueue(from) {
        const channelId = sim.placeCall({ from, dialled: '12345' }).id;
        await hear(channelId, 'main-menu', 1);
        sim.pressDigits(channelId, '0');
        await vi.waitFor(async () => {
          const record = await stored(channelId);
          expect(record?.position).toMatchObject({ node: 'general-agent', stage: 'action' });
          expect(record?.queue?.queue).toBe('general');
        }, { timeout: 15_000, interval: 20 });
        return { channelId, callId: (await stored(channelId))!.callId };
      },
      stored,
      queueEntry: (callId) => redis.hgetall(keys.call(callId)),
      talkRecord: (callId) => redis.hgetall(keys.talk(callId)),
      heard,
      hear,
      bridge: (callId) => sim.bridges().find((b) => b.id === `call-${callId}`) as { id: string; channels: string[] } | undefined,
      asked: (channelId) =>
        sim
          .requests()
          .filter((r) => r.path.startsWith(`/channels/${channelId}/`))
          .map((r) => `${r.method} ${r.path.slice(`/channels/${channelId}/`.length)}`),
      replacements: () => sim.events().filter((e) => e.event.type === 'ApplicationReplaced').length,
      async delivered(callId, type) {
        for (const sink of SINKS) {
          const recorder = backend.recorder(sink);
          await vi.waitFor(() => expect(recorder.ofCall(callId).some((m) => m.type === type)).toBe(true), { timeout: 15_000, interval: 20 });
        }
      },
      async deliveredSoFar(channelId) {
        const record = (await stored(channelId))!;
        for (const sink of SINKS) {
          const recorder = backend.recorder(sink);
          await vi.waitFor(() => expect(recorder.ofCall(record.callId).length).toBeGreaterThanOrEqual(record.lastEventSequence), { timeout: 15_000, interval: 20 });
        }
      },
      async ticketsOf(callId) {
        return Promise.all(
          SINKS.map(async (sink) => {
            const recorder = backend.recorder(sink);
            await vi.waitFor(() => expect(recorder.ofCall(callId).some((m) => m.type === 'call.ended')).toBe(true), { timeout: 15_000, interval: 50 });
            return recorder.ofCall(callId).map((m) => m.type);
          }),
        );
      },
      async readyz(service) {
        const url = String(service.line(/hotline service started/)?.url);
        const res = await fetch(new URL('/readyz', url));
        return { status: res.status, body: await res.json().catch(() => null) };
      },
    };
  };
}
