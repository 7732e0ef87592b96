/**
 * The emergency receipt survives Redis being away: the emergency key puts a caller through to
 * 110 with nothing but Asterisk, and its receipt (`call.emergency`) waits in the ticket
 * bridge's memory until Redis answers again, then reaches the ticket backend over real HTTP.
 * Through the real service with the whole example config, a Redis of the test's own that it
 * stops and starts, and the reference ticket backend as both sinks.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadHotlineConfig } from '../../src/app/load-config.js';
import type { ReferenceBackend } from '../../sim/ticket-backend/server.js';
import type { ReceivedMessage } from '../../sim/ticket-backend/sink-recorder.js';
import { callIdOf, eventsOf } from '../acd/support/acd-calls.js';
import { SECRETS, SINKS, startBackend } from '../crm-bridge/harness.js';
import { hear } from '../ivr/support/sim-call.js';
import { redisProcess, type RedisProcess } from '../support/redis-process.js';
import { eventually, startHarness, type Harness } from '../support/service-harness.js';

const CITIZEN = '13912345678';
const apiTokens = [{ name: 'ops-desk', role: 'supervisor' as const, token: 'ops-desk-token-for-receipt-tests' }];

let h: Harness | undefined;
let redis: RedisProcess | undefined;
let backend: ReferenceBackend | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await redis?.kill();
  redis = undefined;
  await backend?.close();
  backend = undefined;
});

/** The whole example config, its sinks and look-ups pointed at the reference backend. */
async function startService(redisUrl: string, tickets: ReferenceBackend): Promise<Harness> {
  const config = await loadHotlineConfig('config/hotline.example.yaml');
  const crm = config.crmBridge!;
  crm.sinks = crm.sinks.map((sink) => ({ ...sink, url: tickets.sinkUrl(sink.name) }));
  if (crm.lookup) crm.lookup = { ...crm.lookup, baseUrl: tickets.url };
  return startHarness({ config, redisUrl, crmSecrets: SECRETS, apiTokens });
}

function bridgeOf(harness: Harness, callId: string): string[] | undefined {
  return (harness.sim.bridges().find((b) => b.id === `emg-${callId}`) as { channels: string[] } | undefined)?.channels;
}

function receiptsAt(tickets: ReferenceBackend, sink: string, callId: string): ReceivedMessage[] {
  return tickets.recorder(sink).ofCall(callId).filter((m) => m.type === 'call.emergency');
}

/** Dials 12345, presses 9 during the greeting, and waits until caller and 110 are bridged; then the caller hangs up. */
async function emergencyCall(harness: Harness): Promise<string> {
  harness.sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'answer', afterMs: 200 });
  const channel = harness.sim.placeCall({ from: CITIZEN, dialled: '12345' });
  await hear(harness, channel.id, 'welcome-12345');
  harness.sim.pressDigits(channel.id, '9');
  await eventually(() => harness.events.some((e) => e.type === 'call.started' && e.data.channelId === channel.id), 5000, 'call started');
  const callId = callIdOf(harness, channel.id);
  await eventually(() => bridgeOf(harness, callId)?.length === 2, 10_000, 'caller and 110 bridged');
  expect(bridgeOf(harness, callId)).toContain(channel.id);
  harness.sim.hangupFromCaller(channel.id);
  expect((await harness.ended(channel.id)).data.outcome).toBe('transferred');
  // The receipt is on the bus: from here on, only the ticket bridge can lose it.
  expect(eventsOf(harness, callId, 'call.emergency')).toHaveLength(1);
  return callId;
}

/** Redis is back: every sink receives the call's one receipt, as the call made it. */
async function receiptDelivered(tickets: ReferenceBackend, callId: string): Promise<void> {
  for (const sink of SINKS) {
    await vi.waitFor(() => expect(receiptsAt(tickets, sink, callId)).toHaveLength(1), { timeout: 30_000, interval: 50 });
    expect(receiptsAt(tickets, sink, callId)[0]!.body).toMatchObject({
      type: 'call.emergency',
      callId,
      data: { route: 'emergency-linkage', outcome: 'answered', entry: 'menu', attempts: [{ target: 'PJSIP/110@carrier', outcome: 'answered' }] },
    });
    expect(tickets.recorder(sink).refused).toEqual([]);
  }
}

function nothingDelivered(tickets: ReferenceBackend, callId: string): void {
  for (const sink of SINKS) expect({ sink, received: tickets.recorder(sink).ofCall(callId) }).toEqual({ sink, received: [] });
}

describe('the emergency receipt while Redis is away', () => {
  it('Redis down from the start: the transfer bridges, the receipt waits in memory and reaches the sinks once Redis starts', { timeout: 60_000 }, async () => {
    backend = await startBackend();
    redis = await redisProcess({ startNow: false });
    h = await startService(redis.url, backend);

    const callId = await emergencyCall(h);
    // Redis away: nothing can be stored, so nothing can have been delivered.
    nothingDelivered(backend, callId);

    await redis.start();
    await receiptDelivered(backend, callId);
  });

  it('Redis lost before the call: the receipt is kept in memory and delivered once Redis is back, empty', { timeout: 60_000 }, async () => {
    backend = await startBackend();
    redis = await redisProcess();
    h = await startService(redis.url, backend);
    await h.service.started;
    const harness = h;
    await vi.waitFor(async () => expect((await fetch(`${harness.service.url}/readyz`)).status).toBe(200), { timeout: 10_000, interval: 50 });

    await redis.kill();
    const callId = await emergencyCall(h);
    nothingDelivered(backend, callId);

    await redis.start();
    await receiptDelivered(backend, callId);
  });
});
