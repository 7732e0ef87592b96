/**
 * The service loses sight of a caller's channel while it runs: its socket to Asterisk is
 * cut as the caller hangs up (Asterisk does not replay the events: at the reconcile after
 * the reconnect the channel is gone), or Asterisk restarts. The call ends as `dropped`
 * (endedBy asterisk), never completed, and once: the session ends it, and the look for
 * calls that ended unseen does not end it a second time.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it, vi } from 'vitest';
import { startAriSimulator } from '../../sim/index.js';
import { createIvrFlowFactory, createIvrServices } from '../../src/ivr/index.js';
import { keyspace } from '../../src/redis/connection.js';
import { exampleConfig, WORKDAY_MORNING } from '../ivr/support/example-config.js';
import { TicketBackendDouble } from '../ivr/support/ports-double.js';
import { ARI_PASSWORD, ARI_USER, startHarness, type Harness } from '../support/service-harness.js';
import { countingLogger } from '../support/test-logger.js';
import { useTestRedis } from '../support/test-redis.js';

const redis = useTestRedis();
let h: Harness | undefined;
let sim: Awaited<ReturnType<typeof startAriSimulator>> | undefined;
afterEach(async () => {
  await h?.close();
  await sim?.close();
});


async function callerInMenu(): Promise<{ channelId: string; callId: string; count: (msg: RegExp) => number }> {
  const config = exampleConfig((raw) => delete raw.crmBridge);
  config.ivr!.timing.inputTimeoutMs = 60_000;
  const ks = keyspace(`test:calls-cut:${randomUUID()}:`);
  const clock = (): Date => WORKDAY_MORNING;
  const { log, count } = countingLogger();
  const services = createIvrServices({ config, redis, keyspace: ks, log, clock });
  const flows = createIvrFlowFactory({ config, redis, keyspace: ks, log, clock, ticketStatus: new TicketBackendDouble(), services });
  sim = await startAriSimulator({ port: 0, username: ARI_USER, password: ARI_PASSWORD, speed: 20 });
  h = await startHarness({ config, flows, simulator: sim, log });
  await vi.waitFor(() => expect(count(/reconciled with Asterisk/)).toBe(1), { timeout: 5000, interval: 20 });
  const channel = sim.placeCall({ from: '13912345678', dialled: '12345' });
  const atMenu = () => h!.events.some((e) => e.type === 'call.ivr-choice' && e.data.next === 'main-menu');
  await vi.waitFor(() => expect(atMenu()).toBe(true), { timeout: 10_000, interval: 20 });
  return { channelId: channel.id, callId: h.service.calls.session(channel.id)!.callId, count };
}

async function endsDroppedOnce(channelId: string, callId: string, count: (msg: RegExp) => number): Promise<void> {
  const ended = await h!.ended(channelId, 20_000);
  expect(ended).toMatchObject({ callId, data: { outcome: 'dropped', endedBy: 'asterisk', channelId } });
  await vi.waitFor(() => expect(count(/reconciled with Asterisk/)).toBe(2), { timeout: 15_000, interval: 20 });
  expect(h!.events.filter((e) => e.type === 'call.ended')).toHaveLength(1);
  expect(count(/call ended while the service was away/)).toBe(0);
  expect(h!.record(callId)).toMatchObject({ outcome: 'dropped', endedBy: 'asterisk' });
  expect(h!.service.calls.size).toBe(0);
}

it('a caller who hangs up while the socket to Asterisk is cut ends as dropped, once, at the reconcile', async () => {
  const { channelId, callId, count } = await callerInMenu();
  // Cut, and the caller's BYE in the same instant: its events go nowhere, and Asterisk does not replay them.
  sim!.dropWebSockets();
  sim!.hangupFromCaller(channelId);
  await endsDroppedOnce(channelId, callId, count);
}, 60_000);

it('a caller in the menu when Asterisk restarts ends as dropped, once', async () => {
  const { channelId, callId, count } = await callerInMenu();
  await sim!.stopListening();
  await sim!.resumeListening();
  await endsDroppedOnce(channelId, callId, count);
}, 60_000);
