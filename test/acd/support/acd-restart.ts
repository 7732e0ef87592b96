/**
 * The service with the ACD as a child process (test/calls/support/service-process.ts) that
 * a test kills with SIGKILL and starts again on the same Redis and simulator, with the
 * reference ticket backend counting each call's events. Agents log in through an agent desk
 * of the test's own over the same Redis keys (what the desk's HTTP API does); readers for
 * what the simulator saw (prompts, music, bridges), the stored records, the ACD's entries
 * and the day's figures.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, inject, vi } from 'vitest';
import { startAriSimulator, type EndpointBehaviour } from '../../../sim/index.js';
import { startReferenceBackend, type ReferenceBackend } from '../../../sim/ticket-backend/server.js';
import { acdKeys, AcdConfigSchema, AgentDesk, AgentStore, type AgentState } from '../../../src/acd/index.js';
import type { CallRecord } from '../../../src/calls/call-record.js';
import { exampleRaw } from '../../ivr/support/example-config.js';
import { useServiceProcesses, type ServiceProcess } from '../../calls/support/service-process.js';

type Simulator = Awaited<ReturnType<typeof startAriSimulator>>;

const ARI_USER = 'hotline';
const ARI_PASSWORD = 'acd-restart-secret';
const SECRETS = { CRM_CITY_SECRET: 'city-secret-for-acd-restarts', CRM_PROVINCE_SECRET: 'province-secret-for-acd-restarts', CRM_INBOUND_SECRET: 'inbound-secret-for-acd-restarts' };
const SUPERVISOR_TOKEN = 'supervisor-token-for-acd-restarts-7d1e';
export const SINKS = ['city-tickets', 'provincial-platform'] as const;

/**
 * The example config as the restart scenes run it against a reference backend: no recording,
 * surveys or SMS; nobody times out of the menu while a test arranges the others; the sinks
 * retried quickly; one queue with no widening to wait out and no missed-call callbacks placed.
 */
export function restartSceneConfig(backend: ReferenceBackend): ReturnType<typeof exampleRaw> {
  const raw = exampleRaw();
  for (const section of ['recording', 'satisfactionCallback', 'sms']) delete raw[section];
  raw.ivr.timing.inputTimeoutMs = 60_000;
  const retry = { attempts: 50, backoffMs: 20, maxBackoffMs: 200 };
  raw.crmBridge.sinks = SINKS.map((sink) => ({ name: sink, url: backend.sinkUrl(sink), secretEnv: sink === 'city-tickets' ? 'CRM_CITY_SECRET' : 'CRM_PROVINCE_SECRET', timeoutMs: 5000, retry }));
  raw.crmBridge.lookup.baseUrl = backend.url;
  raw.crmBridge.leaseMs = 500;
  raw.acd.queues.general = { ...raw.acd.queues.general, widening: [], minLevel: 1, wrapUpSeconds: 60, ringTimeoutSeconds: 20, announceEverySeconds: 0 };
  raw.acd.callbacks.missedCalls.enabled = false;
  return raw;
}

/** What a test adds to the scene beyond the ACD's edits. */
export interface AcdRestartScene {
  /** Agent seats of the test's own (PJSIP endpoints in context `agents`), beyond the simulator's agent1-3 and 1001-1003. */
  seats?: readonly string[];
  /** Edits of the whole hotline config, after the scene's own. */
  editConfig?: (raw: Record<string, any>) => void;
  /** A Redis of the test's own (one it restarts) instead of the run's shared one. */
  redisUrl?: string;
  /** The simulator's clock speed (20 by default): lower keeps a far end ringing through a restart. */
  speed?: number;
}

export interface AcdRestart {
  sim: Simulator;
  backend: ReferenceBackend;
  redis: Redis;
  keyPrefix: string;
  /** Starts a service process and waits for its first reconcile. */
  service(): Promise<ServiceProcess>;
  /** Logs an agent in, ready, its softphone registered to do `phone` when called. */
  agent(agentId: string, endpoint: string, phone: EndpointBehaviour): Promise<void>;
  /** The agent ends its wrap-up (what the desk's button does): ready for the next caller. */
  endWrapUp(agentId: string): Promise<void>;
  stateOf(agentId: string): Promise<AgentState | undefined>;
  untilAgent(agentId: string, kind: AgentState['kind']): Promise<void>;
  /** A citizen dials 12345, hears the main menu, presses 0 and is queued (stored so: what a crash leaves). */
  callToQueue(from: string): Promise<{ channelId: string; callId: string }>;
  stored(channelId: string): Promise<CallRecord | undefined>;
  /** The call's entry in the ACD's queue (empty when none). */
  queueEntry(callId: string): Promise<Record<string, string>>;
  /** The call's talk record (empty when none). */
  talkRecord(callId: string): Promise<Record<string, string>>;
  /** Prompts the channel heard begin (a playback's first media or a later one), by prompt id, in order. */
  heard(channelId: string): string[];
  /** Requests the service sent about the channel: `<method> <what>` (`POST moh`, `POST play` …). */
  asked(channelId: string): string[];
  bridge(callId: string): { id: string; channels: string[] } | undefined;
  /** The general queue's figures of today, summed over the days' hashes. */
  figures(queue?: string): Promise<Record<string, number>>;
  /** POSTs (or `method`) to the service's HTTP API as a supervisor; returns the status and the body. */
  post(service: ServiceProcess, path: string, body: unknown, method?: 'POST' | 'DELETE'): Promise<{ status: number; body: any }>;
  /** Waits until both sinks have the call's call.ended; returns each sink's events of the call. */
  ticketsOf(callId: string): Promise<Array<Array<{ type: string; body: any }>>>;
  /** Waits until both sinks have an event of this type of the call. */
  delivered(callId: string, type: string): Promise<void>;
}

export function useAcdRestart(name: string): (editAcd?: (acd: Record<string, any>) => void, scene?: AcdRestartScene) => Promise<AcdRestart> {
  const startService = useServiceProcesses(name);
  let shared: Redis;
  const open: Array<{ sim: Simulator; backend: ReferenceBackend; own?: Redis }> = [];
  beforeAll(() => {
    shared = new Redis(inject('redisUrl'));
  });
  afterAll(async () => {
    await shared.quit();
  });
  afterEach(async () => {
    for (const { sim, backend, own } of open.splice(0)) {
      await sim.close();
      await backend.close();
      own?.disconnect();
    }
  });

  return async (editAcd, scene = {}) => {
    const seats = Object.fromEntries((scene.seats ?? []).map((seat) => [seat, { context: 'agents', allow: ['alaw', 'ulaw'] }]));
    const sim = await startAriSimulator({ port: 0, username: ARI_USER, password: ARI_PASSWORD, speed: scene.speed ?? 20, endpoints: seats });
    const backend = await startReferenceBackend({ sinks: { 'city-tickets': SECRETS.CRM_CITY_SECRET, 'provincial-platform': SECRETS.CRM_PROVINCE_SECRET }, lookupSecret: SECRETS.CRM_CITY_SECRET });
    const own = scene.redisUrl ? new Redis(scene.redisUrl) : undefined;
    // A Redis the test restarts: the client reconnects, each command waiting meanwhile.
    own?.on('error', () => undefined);
    const redis = own ?? shared;
    open.push({ sim, backend, own });
    const keyPrefix = `test:${name}:${randomUUID()}:`;
    const raw = restartSceneConfig(backend);
    editAcd?.(raw.acd);
    scene.editConfig?.(raw);
    const acdConfig = AcdConfigSchema.parse(raw.acd);
    const keys = acdKeys(keyPrefix);
    const store = new AgentStore({ redis, keys, config: acdConfig });
    const desk = new AgentDesk({ store, redis, keys, skills: acdConfig.skills });

    // The prompts by channel, read on from where the last read stopped: hundreds of callers
    // are asked about at once, and the simulator's event log only grows.
    const prompts = new Map<string, string[]>();
    let eventsRead = 0;
    const heard = (channelId: string): string[] => {
      const events = sim.events();
      for (; eventsRead < events.length; eventsRead += 1) {
        const { event } = events[eventsRead]!;
        if (event.type !== 'PlaybackStarted' && event.type !== 'PlaybackContinuing') continue;
        const playback = event.playback as { media_uri: string; target_uri: string };
        const target = playback.target_uri.replace(/^channel:/, '');
        prompts.set(target, [...(prompts.get(target) ?? []), playback.media_uri.replace('sound:hotline/zh/', '')]);
      }
      return prompts.get(channelId) ?? [];
    };
    const stored = async (channelId: string): Promise<CallRecord | undefined> => {
      const json = await redis.get(`${keyPrefix}calls:live:${channelId}`);
      return json ? (JSON.parse(json) as CallRecord) : undefined;
    };
    const stateOf = async (agentId: string) => (await desk.get(agentId))?.state;

    return {
      sim,
      backend,
      redis,
      keyPrefix,
      async service() {
        const s = startService({ ariUrl: sim.url, ariUser: ARI_USER, ariPassword: ARI_PASSWORD, keyPrefix, config: raw, env: { ...SECRETS, API_TOKENS: `duty-desk:supervisor:${SUPERVISOR_TOKEN}` }, ...(scene.redisUrl && { redisUrl: scene.redisUrl }) });
        await s.logged(/reconciled with Asterisk/);
        return s;
      },
      async agent(agentId, endpoint, phone) {
        sim.registerEndpoint(endpoint, { phone });
        await desk.login({ id: agentId, displayName: `坐席${endpoint}`, endpoint: `PJSIP/${endpoint}`, skills: { general: 5 } });
        await desk.setReady(agentId);
      },
      async endWrapUp(agentId) {
        await desk.endWrapUp(agentId);
      },
      stateOf,
      async untilAgent(agentId, kind) {
        await vi.waitFor(async () => expect((await stateOf(agentId))?.kind).toBe(kind), { timeout: 15_000, interval: 50 });
      },
      async callToQueue(from) {
        const channelId = sim.placeCall({ from, dialled: '12345' }).id;
        await vi.waitFor(() => expect(heard(channelId)).toContain('main-menu'), { timeout: 15_000, interval: 20 });
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
      asked: (channelId) =>
        sim
          .requests()
          .filter((r) => r.path.startsWith(`/channels/${channelId}/`))
          .map((r) => `${r.method} ${r.path.slice(`/channels/${channelId}/`.length)}`),
      bridge: (callId) => sim.bridges().find((b) => b.id === `call-${callId}`) as { id: string; channels: string[] } | undefined,
      async figures(queue = 'general') {
        const days = (await redis.keys(`${keyPrefix}acd:stats:*:${queue}`)).filter((k) => !k.endsWith(':history'));
        const sum: Record<string, number> = {};
        for (const key of days) for (const [field, value] of Object.entries(await redis.hgetall(key))) sum[field] = (sum[field] ?? 0) + Number(value);
        return sum;
      },
      async post(service, path, body, method = 'POST') {
        const url = String(service.line(/hotline service started/)?.url);
        const sent: RequestInit = body === undefined ? { headers: { authorization: `Bearer ${SUPERVISOR_TOKEN}` } } : { headers: { authorization: `Bearer ${SUPERVISOR_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) };
        const res = await fetch(new URL(path, url), { method, ...sent });
        return { status: res.status, body: await res.json().catch(() => null) };
      },
      async delivered(callId, type) {
        for (const sink of SINKS) {
          const recorder = backend.recorder(sink);
          await vi.waitFor(() => expect(recorder.ofCall(callId).some((m) => m.type === type)).toBe(true), { timeout: 15_000, interval: 20 });
        }
      },
      async ticketsOf(callId) {
        return Promise.all(
          SINKS.map(async (sink) => {
            const recorder = backend.recorder(sink);
            await vi.waitFor(() => expect(recorder.ofCall(callId).some((m) => m.type === 'call.ended')).toBe(true), { timeout: 15_000, interval: 50 });
            return recorder.ofCall(callId) as Array<{ type: string; body: any }>;
          }),
        );
      },
    };
  };
}
