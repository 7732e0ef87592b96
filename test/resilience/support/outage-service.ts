/**
 * The scene of the Redis-outage tests: the whole service with the example's menu and ACD, its
 * ticket bridge delivering to the reference backend (both sinks), three agents on the shipped
 * pjsip.conf's seats, and readers of where a citizen of the stream is now.
 */
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { loadHotlineConfig } from '../../../src/app/load-config.js';
import type { ReferenceBackend } from '../../../sim/ticket-backend/server.js';
import { SECRETS, SINKS, startBackend } from '../../crm-bridge/harness.js';
import { agentAt, useAcdScenarios } from '../../acd/support/acd-scenarios.js';
import type { Harness } from '../../support/service-harness.js';
import { redisProcess, type RedisProcess, type RedisProcessOptions } from '../../support/redis-process.js';
import { CitizenStream, type Citizen } from './citizen-stream.js';
import { emergencyLegOf, type watchRequests } from './outage-readers.js';

/** The shipped pjsip.conf's agent seats. */
export const AGENTS = ['a1001', 'a1002', 'a1003'];
export const endpointOf = (agentId: string): string => agentId.slice(1);
/** A call placed every this many ms: tens alive at once, on a shared two-core machine. */
export const PACE_MS = 150;

/** Registers the reference backend and the service's clean-up; returns the service's start and the backend. */
export function useOutageService(): {
  service(redisUrl: string): Promise<Harness>;
  backend(): ReferenceBackend;
  /** The test's own redis-server, killed after the test. */
  startRedis(options?: RedisProcessOptions): Promise<RedisProcess>;
  /** The citizens calling the service, stopped after the test (and by the test, before its own clean-up). */
  startStream(h: Harness, firstNumber?: number): CitizenStream;
  stopStream(): void;
} {
  let redis: RedisProcess | undefined;
  let stream: CitizenStream | undefined;
  // Registered before the scenario's, so it runs after the service is closed.
  afterEach(async () => {
    stream?.stop();
    stream = undefined;
    await redis?.kill();
    redis = undefined;
  });
  const start = useAcdScenarios();
  let backend: ReferenceBackend | undefined;
  beforeAll(async () => {
    backend = await startBackend();
  });
  afterAll(async () => {
    await backend?.close();
  });
  return {
    backend: () => backend!,
    startRedis: async (options) => (redis = await redisProcess(options)),
    startStream: (h, firstNumber) => (stream = new CitizenStream(h, firstNumber)),
    stopStream: () => stream?.stop(),
    async service(redisUrl) {
      const { crmBridge } = await loadHotlineConfig('config/hotline.example.yaml');
      const h = await start(
        (c) => {
          c.crmBridge = { ...crmBridge!, sampleEveryMs: 200, sinks: crmBridge!.sinks.map((s) => ({ ...s, url: backend!.sinkUrl(s.name), retry: { attempts: 100, backoffMs: 20, maxBackoffMs: 200 } })), lookup: undefined };
        },
        { redisUrl, crmSecrets: SECRETS },
      );
      await h.service.started;
      h.sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'answer', afterMs: 200 });
      for (const agentId of AGENTS) await agentAt(h, agentId, endpointOf(agentId), { kind: 'answer', afterMs: 100 });
      return h;
    },
  };
}

export const sessionOf = (h: Harness, c: Citizen) => h.service.calls.session(c.channelId);
export const talking = (h: Harness, c: Citizen): boolean => c.kind === 'queue' && !c.hungUp && sessionOf(h, c)?.record.queue?.result === 'answered';
export const waiting = (h: Harness, c: Citizen): boolean => c.kind === 'queue' && !c.hungUp && sessionOf(h, c)?.record.queue !== undefined && sessionOf(h, c)?.record.queue?.result === undefined;
export const inMenu = (c: Citizen): boolean => c.kind === 'menu' && c.menuHeard && !c.hungUp;

/** Every emergency caller who pressed 9 in `phase` is bridged with 110, which sees the caller's number; then they hang up. */
export async function emergenciesReach110(h: Harness, s: CitizenStream, phase: string, requests: ReturnType<typeof watchRequests>): Promise<number> {
  const callers = s.of({ kind: 'emergency', pressedIn: phase });
  for (const c of callers) {
    await vi.waitFor(() => {
      const leg = emergencyLegOf(h, c.channelId);
      expect(leg, `caller ${c.n} bridged with 110`).toBeDefined();
      expect(leg!.caller.number).toBe(c.number);
      expect(requests.originated(leg!.id)).toMatchObject({ endpoint: 'PJSIP/110@carrier' });
      expect(requests.originated(leg!.id)!.callerId).toContain(c.number);
    }, { timeout: 15_000, interval: 50 });
    s.hangUp(c);
    expect((await h.ended(c.channelId)).data.outcome).toBe('transferred');
  }
  return callers.length;
}

/**
 * Everyone hangs up; then every event of every call is at both sinks once, in the call's
 * order, none sent twice (a message a sink took while Redis was away is not sent again when
 * its acknowledgement fails). Returns the calls' ids.
 */
export async function everyEventDeliveredOnce(h: Harness, stream: CitizenStream, backend: ReferenceBackend): Promise<string[]> {
  for (const c of stream.citizens) stream.hangUp(c);
  await vi.waitFor(() => expect(h.service.calls.size).toBe(0), { timeout: 20_000, interval: 50 });
  const callIds = [...new Set(h.events.filter((e) => e.type === 'call.started').map((e) => e.callId))];
  for (const sink of SINKS) {
    const recorder = backend.recorder(sink);
    for (const callId of callIds) {
      // Read again on each try: a wrap-up ending after everyone left still publishes the call's disposition.
      const published = (): string[] => h.events.filter((e) => e.callId === callId).map((e) => e.id);
      await vi.waitFor(() => expect(recorder.ofCall(callId).map((m) => m.eventId)).toEqual(published()), { timeout: 45_000, interval: 100 });
    }
    expect(recorder.duplicates).toBe(0);
  }
  return callIds;
}
