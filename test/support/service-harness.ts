/**
 * The whole service against the ARI simulator, a real Redis and real HTTP, for integration
 * tests: what `npm start` runs, with a private key prefix and free ports.
 */
import { randomUUID } from 'node:crypto';
import { inject, vi } from 'vitest';
import { startAriSimulator } from '../../sim/index.js';
import { startHotlineService, type HotlineService } from '../../src/app/service.js';
import { createAriPort } from '../../src/ari/index.js';
import type { AriPort } from '../../src/ari/port.js';
import type { CallFlowFactory } from '../../src/calls/ports/call-flow.js';
import type { ApiToken } from '../../src/config/api-tokens.js';
import type { CallRecord } from '../../src/calls/call-record.js';
import type { DomainEvent, DomainEventOf } from '../../src/calls/domain-events.js';
import { loadHotlineConfig } from '../../src/app/load-config.js';
import type { HotlineConfig } from '../../src/app/config-schema.js';
import type { RecordingSecrets } from '../../src/recording/index.js';
import type { TicketBackendClient } from '../../src/crm-bridge/index.js';
import type { Logger } from '../../src/log/logger.js';
import { createTestLogger } from './test-logger.js';

export type Simulator = Awaited<ReturnType<typeof startAriSimulator>>;

export const ARI_USER = 'hotline';
export const ARI_PASSWORD = 'test-secret-4c1f';

export interface HarnessOptions {
  /** Simulator time scale; prompts of 2 s take 100 ms at 20. */
  speed?: number;
  flows?: CallFlowFactory;
  config?: HotlineConfig;
  /** Reuse a simulator (a service restart against the same Asterisk). */
  simulator?: Simulator;
  keyPrefix?: string;
  /** The Redis the service uses; the run's private one by default. */
  redisUrl?: string;
  crmSecrets?: Record<string, string>;
  smsSecrets?: Record<string, string>;
  apiTokens?: ApiToken[];
  /** AUTH_TOKEN_SECRET: signs the tokens of the config's auth.users. */
  authTokenSecret?: string;
  /** AGENT_SIP_SECRET: the agents' softphone passwords (acd.softphones), as the simulator's `sipSecret`. */
  agentSipSecret?: string;
  /** The service's and its ARI port's logger; the run's test logger by default. */
  log?: Logger;
  /** The Stasis app (several instances on one Asterisk each need their own: trace s17). */
  app?: string;
  /**
   * Call recording, for the tests that exercise it: the config's own `recording` section is
   * dropped (the example's would record every test's calls into var/recordings).
   */
  recording?: HotlineConfig['recording'];
  /** The recording section's secrets (its number lookup key). */
  recordingSecrets?: RecordingSecrets;
  /** The ticket look-ups the screen pop asks (e.g. a seeded MemoryTicketClient). */
  ticketLookups?: TicketBackendClient;
}

export interface Harness {
  sim: Simulator;
  ari: AriPort;
  service: HotlineService;
  config: HotlineConfig;
  keyPrefix: string;
  events: DomainEvent[];
  /** Resolves with the call.ended event of the call on this channel. */
  ended(channelId: string, timeoutMs?: number): Promise<DomainEventOf<'call.ended'>>;
  record(callId: string): CallRecord | undefined;
  /** Stops the service as a crash would: no drain, no hangups. */
  crash(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The example config without the sections of features a test does not exercise: the call
 * session tests run the welcome flow, with no ticket backend to deliver to.
 */
export async function foundationConfig(): Promise<HotlineConfig> {
  const { ivr: _ivr, crmBridge: _crm, ...rest } = await loadHotlineConfig('config/hotline.example.yaml');
  return rest;
}

export const testLog = createTestLogger();

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sim = options.simulator ?? (await startAriSimulator({ port: 0, username: ARI_USER, password: ARI_PASSWORD, speed: options.speed ?? 20, sipSecret: options.agentSipSecret }));
  const { recording: _examples, ...given } = options.config ?? (await foundationConfig());
  const config: HotlineConfig = options.recording ? { ...given, recording: options.recording } : given;
  const ari = await createAriPort({
    url: sim.url,
    username: ARI_USER,
    password: ARI_PASSWORD,
    app: options.app ?? 'hotline',
    requestTimeoutMs: 3000,
    reconnectMaxDelayMs: 1000,
    log: options.log ?? testLog,
  });
  const keyPrefix = options.keyPrefix ?? `test:${randomUUID()}:`;
  const service = await startHotlineService({
    env: { REDIS_URL: options.redisUrl ?? inject('redisUrl'), REDIS_KEY_PREFIX: keyPrefix, HTTP_HOST: '127.0.0.1', HTTP_PORT: 0, AUTH_TOKEN_SECRET: options.authTokenSecret, AGENT_SIP_SECRET: options.agentSipSecret },
    config,
    ari,
    log: options.log ?? testLog,
    flows: options.flows,
    crmSecrets: options.crmSecrets,
    smsSecrets: options.smsSecrets,
    apiTokens: options.apiTokens,
    recordingSecrets: options.recordingSecrets,
    ticketLookups: options.ticketLookups,
  });
  const events: DomainEvent[] = [];
  const records = new Map<string, CallRecord>();
  const waiters = new Map<string, (e: DomainEventOf<'call.ended'>) => void>();
  const endedByChannel = new Map<string, DomainEventOf<'call.ended'>>();
  service.bus.onAny((event) => {
    events.push(event);
    if (event.type === 'call.ended') {
      const session = event.data.channelId;
      endedByChannel.set(session, event);
      waiters.get(session)?.(event);
    }
  });
  // Keep the final record of each call: the session publishes it with call.ended.
  service.bus.on('call.ended', (event) => {
    const record = service.calls.session(event.data.channelId)?.record;
    if (record) records.set(event.callId, structuredClone(record));
  });

  let closed = false;
  return {
    sim,
    ari,
    service,
    config,
    keyPrefix,
    events,
    ended(channelId, timeoutMs = 10_000) {
      const done = endedByChannel.get(channelId);
      if (done) return Promise.resolve(done);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`call on ${channelId} did not end within ${timeoutMs} ms`)), timeoutMs);
        waiters.set(channelId, (e) => {
          clearTimeout(timer);
          resolve(e);
        });
      });
    },
    record: (callId) => records.get(callId),
    async crash() {
      closed = true;
      service.calls.stop();
      await service.http.close();
      await ari.close();
      service.redis.disconnect();
    },
    async close() {
      if (!closed) await service.shutdown(0);
      closed = true;
      if (!options.simulator) await sim.close();
    },
  };
}

/** Waits until `check` holds, for state that settles through events; fails the test, naming `what`, when it does not within `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  await vi.waitFor(() => {
    if (!check()) throw new Error(`${what} not reached within ${timeoutMs} ms`);
  }, { timeout: timeoutMs, interval: 10 });
}
