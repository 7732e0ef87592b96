/**
 * Test harness: a reference ticket backend over real HTTP, a real DomainEventBus, and
 * bridges on the private Redis, each test under its own key prefix.
 */
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { inject, vi } from 'vitest';
import { DomainEventBus } from '../../src/calls/event-bus.js';
import type { DomainEventPayloads, DomainEventType } from '../../src/calls/domain-events.js';
import { createCrmBridge, type CrmBridge, type CrmBridgeOptions, type InboundReceipt } from '../../src/crm-bridge/index.js';
import { signedHeaders } from '../../src/crm-bridge/signing.js';
import type { CrmBridgeConfigInput } from '../../src/crm-bridge/config-schema.js';
import { startReferenceBackend, type ReferenceBackend } from '../../sim/ticket-backend/server.js';
import { createTestLogger } from '../support/test-logger.js';

export const SECRETS = {
  CRM_CITY_SECRET: 'city-secret-for-tests',
  CRM_PROVINCE_SECRET: 'province-secret-for-tests',
  CRM_INBOUND_SECRET: 'inbound-secret-for-tests',
};
export const SINKS = ['city-tickets', 'provincial-platform'] as const;

export const log = createTestLogger();

export function redisUrl(): string {
  return inject('redisUrl');
}

export function uniquePrefix(): string {
  return `test-${randomUUID().slice(0, 8)}:`;
}

export async function startBackend(holdMs = 2000): Promise<ReferenceBackend> {
  return startReferenceBackend({
    sinks: { 'city-tickets': SECRETS.CRM_CITY_SECRET, 'provincial-platform': SECRETS.CRM_PROVINCE_SECRET },
    lookupSecret: SECRETS.CRM_CITY_SECRET,
    holdMs,
  });
}

type SinkOverrides = Partial<NonNullable<CrmBridgeConfigInput['sinks']>[number]>;

export function bridgeConfig(backend: ReferenceBackend, overrides: { sink?: SinkOverrides; top?: Partial<CrmBridgeConfigInput> } = {}): CrmBridgeConfigInput {
  return {
    sinks: [
      { name: 'city-tickets', url: backend.sinkUrl('city-tickets'), secretEnv: 'CRM_CITY_SECRET', timeoutMs: 5000, retry: { attempts: 50, backoffMs: 20, maxBackoffMs: 200 }, ...overrides.sink },
      { name: 'provincial-platform', url: backend.sinkUrl('provincial-platform'), secretEnv: 'CRM_PROVINCE_SECRET', timeoutMs: 5000, retry: { attempts: 50, backoffMs: 20, maxBackoffMs: 200 }, ...overrides.sink },
    ],
    inbound: { secretEnv: 'CRM_INBOUND_SECRET', claimIdleMs: 500 },
    lookup: { baseUrl: backend.url, secretEnv: 'CRM_CITY_SECRET', timeoutMs: 300, circuitBreaker: { failureThreshold: 2, openMs: 300 } },
    leaseMs: 1000,
    // Metrics and readiness read a background sample: fresh enough for a test to wait on.
    sampleEveryMs: 200,
    ...overrides.top,
  };
}

export function makeBridge(
  config: CrmBridgeConfigInput,
  bus: DomainEventBus,
  keyPrefix: string,
  extra: Partial<CrmBridgeOptions> = {},
): CrmBridge {
  return createCrmBridge({ config, redisUrl: redisUrl(), keyPrefix, bus, log, secrets: SECRETS, registry: new Registry(), ...extra });
}

export function newBus(): DomainEventBus {
  return new DomainEventBus(log);
}

/** The ten domain events of one call that reaches an agent, in order. */
export function publishWholeCall(bus: DomainEventBus, callId: string, caller = '13812345678', steps: [number, number] = [0, 10]): string[] {
  const all: Array<[DomainEventType, DomainEventPayloads[DomainEventType]]> = [
    ['call.started', { channelId: `ch-${callId}`, caller, callerName: '', dialled: '12345', line: 'main' }],
    ['call.answered', { channelId: `ch-${callId}` }],
    ['call.ivr-choice', { node: 'main', input: '2', outcome: 'matched', next: 'queue-general' }],
    ['call.queued', { queue: 'general', skill: 'general', priority: 0 }],
    ['call.offered', { queue: 'general', agentId: 'agent-7' }],
    ['call.agent-answered', { queue: 'general', agentId: 'agent-7', waitedMs: 4200 }],
    ['call.transferred', { target: 'agent-9', kind: 'agent', by: 'agent-7' }],
    ['call.emergency', { route: 'emergency-linkage', target: 'PJSIP/110@carrier', outcome: 'answered', label: '110', entry: 'menu', attempts: [{ target: 'PJSIP/119@carrier', outcome: 'busy', cause: 17 }, { target: 'PJSIP/110@carrier', outcome: 'answered', cause: null }], answeredAfterMs: 3200, startedAt: '2026-12-02T03:00:00.000Z' }],
    ['call.recorded', { recordingName: `rec-${callId}`, recordingId: `r-${callId}`, durationSeconds: 93, sha256: 'ab'.repeat(32), sm3: 'cd'.repeat(32), sizeBytes: 1_488_044, retainUntil: '2029-12-02T00:00:00.000Z' }],
    ['call.ended', { channelId: `ch-${callId}`, outcome: 'completed', endedBy: 'caller', hangupCause: 16, hangupCauseText: 'Normal Clearing', durationMs: 93_000 }],
  ];
  // Numbered as the call's session numbers them: 1 for call.started, 10 for call.ended.
  return all.slice(...steps).map(([type, data], i) => bus.publish(type, callId, data as never, steps[0] + i + 1).id);
}

/** Hands a signed ticket.created event to the bridge's webhook door, as the webhook route does. */
export function receiveTicketCreated(bridge: CrmBridge, eventId: string, callerNumber = '13812345678'): Promise<InboundReceipt> {
  const body = JSON.stringify({
    schema: 'hotline.ticket-event/v1',
    eventId,
    type: 'ticket.created',
    occurredAt: '2025-03-01T09:30:00.000+08:00',
    data: { ticketNumber: 'SR-1', callerNumber, callId: 'call-0' },
  });
  const headers = Object.entries(signedHeaders(SECRETS.CRM_INBOUND_SECRET, eventId, body)).map(([k, v]) => [k.toLowerCase(), v]);
  return bridge.inbound!.receive(Object.fromEntries(headers), body);
}

/** Waits until `check` holds; fails the test, naming `what`, when it does not within `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await check())) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout: timeoutMs, interval: 25 },
  );
}
