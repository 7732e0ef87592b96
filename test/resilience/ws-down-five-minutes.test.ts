/**
 * The event WebSocket to Asterisk down for five minutes while calls go on in every phase,
 * then back: the service keeps retrying, says it is not ready, and after the reconnect
 * reconciles with what Asterisk has (Asterisk replays no event it could not deliver).
 *
 * What is simulated, and how:
 * - The socket: the simulator cuts the service's `/ari/events` socket and resets every new
 *   upgrade (a broken proxy or firewall on the path); Asterisk's calls and REST carry on.
 *   With the socket gone the app is gone too (trace s17), so a new call's Stasis() fails
 *   and Asterisk's dialplan goes on without the service (asterisk-config: the next app,
 *   then `hotline-fallback`); the simulator refuses that call as it would not enter Stasis.
 * - Five minutes: Asterisk's time is a ManualClock, ticked on at about 20× while the test
 *   waits and leapt forward 5 minutes during the outage, so every prompt, ring and wait due
 *   in those minutes happens in Asterisk, unheard. The service's wall clock (Date, faked
 *   alone: its timers stay real, as its sockets need) leaps the same 5 minutes, so its
 *   records and durations show the gap. The service's timers do not leap: the outage lasts
 *   a few real seconds, through several of ari-client's own retries (its ~43 s window and
 *   the port's retries after it are test/ari/adapter-outage.test.ts and
 *   test/calls/call-recovery.test.ts), and the menu's input timeout is raised so the citizen
 *   who stays in the menu is not timed out by the service in real time meanwhile.
 */
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { ManualClock, startAriSimulator, type AriSimulator, type EndpointBehaviour } from '../../sim/index.js';
import type { HotlineConfig } from '../../src/app/config-schema.js';
import type { ReferenceBackend } from '../../sim/ticket-backend/server.js';
import { loadHotlineConfig } from '../../src/app/load-config.js';
import { SECRETS, SINKS, startBackend } from '../crm-bridge/harness.js';
import { callIdOf, eventsOf, queuedEvent, talkBridge } from '../acd/support/acd-calls.js';
import { agentAt, agentMoves, untilAnswered, useAcdScenarios } from '../acd/support/acd-scenarios.js';
import { ARI_PASSWORD, ARI_USER, eventually, type Harness } from '../support/service-harness.js';
import { countingLogger } from '../support/test-logger.js';

const FIVE_MINUTES = 5 * 60_000;
/** Asterisk's clock runs on this much per tick while the test waits (a tick every 5 ms: about 20×). */
const TICK_SIM_MS = 100;

let sim: AriSimulator | undefined;
let ticker: NodeJS.Timeout | undefined;
// Registered before the scenario's clean-up, so it runs after the service is closed.
afterEach(async () => {
  clearInterval(ticker);
  await sim?.close();
  sim = undefined;
  vi.useRealTimers();
});
const start = useAcdScenarios();
let backend: ReferenceBackend;
beforeAll(async () => {
  backend = await startBackend();
});
afterAll(async () => {
  await backend?.close();
});

const ANSWERING: EndpointBehaviour = { kind: 'answer', afterMs: 100 };

/** The service with agents a1001 and a1002 logged in (longest idle first), their phones doing `phones`. */
async function scene(o: { edit?: (c: HotlineConfig) => void; phones?: [EndpointBehaviour, EndpointBehaviour] } = {}): Promise<{ h: Harness; clock: ManualClock; count: (msg: RegExp) => number }> {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  const clock = new ManualClock();
  sim = await startAriSimulator({ port: 0, username: ARI_USER, password: ARI_PASSWORD, clock });
  ticker = setInterval(() => clock.advance(TICK_SIM_MS), 5);
  const { crmBridge } = await loadHotlineConfig('config/hotline.example.yaml');
  const { log, count } = countingLogger();
  const h = await start(
    (c) => {
      c.crmBridge = { ...crmBridge!, sampleEveryMs: 200, lookup: undefined, sinks: crmBridge!.sinks.map((s) => ({ ...s, url: backend.sinkUrl(s.name), retry: { attempts: 100, backoffMs: 20, maxBackoffMs: 200 } })) };
      // Longer than the test runs in real time: the service's menu timers do not leap (see above).
      c.ivr!.timing.inputTimeoutMs = 120_000;
      o.edit?.(c);
    },
    { simulator: sim, crmSecrets: SECRETS, log },
  );
  await h.service.started;
  await eventually(() => count(/reconciled with Asterisk/) === 1, 10_000, 'first reconcile');
  const [first, second] = o.phones ?? [ANSWERING, ANSWERING];
  await agentAt(h, 'a1001', '1001', first);
  await agentAt(h, 'a1002', '1002', second);
  return { h, clock, count };
}

/** A citizen dials 12345 and hears the main menu begin. */
async function inMenu(h: Harness, from: string): Promise<{ channelId: string; callId: string }> {
  const { id } = h.sim.placeCall({ from, dialled: '12345' });
  const menu = () => h.sim.events().some((e) => e.event.type === 'PlaybackStarted' && (e.event.playback as { media_uri: string; target_uri: string }).target_uri === `channel:${id}` && (e.event.playback as { media_uri: string }).media_uri === 'sound:hotline/zh/main-menu');
  await eventually(menu, 10_000, 'main menu playing');
  return { channelId: id, callId: callIdOf(h, id) };
}

/** A citizen presses 0 in the menu and is queued. */
async function toQueue(h: Harness, from: string): Promise<{ channelId: string; callId: string }> {
  const call = await inMenu(h, from);
  h.sim.pressDigits(call.channelId, '0');
  await eventually(() => queuedEvent(h, call.channelId) !== undefined, 10_000, 'call queued');
  return call;
}

async function readyz(h: Harness): Promise<{ status: number; body: { checks: Record<string, { ok: boolean; reason?: string }> } }> {
  const res = await fetch(`${h.service.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { checks: Record<string, { ok: boolean; reason?: string }> } };
}

/** Leaps Asterisk's clock and the service's wall clock together. */
function leap(clock: ManualClock, ms: number): void {
  vi.setSystemTime(Date.now() + ms);
  clock.advance(ms);
}

/** The general queue's figures, summed over the days' hashes (the leap may cross midnight). */
async function figures(h: Harness): Promise<Record<string, number>> {
  const { redis } = h.service;
  const days = (await redis.keys(`${h.keyPrefix}acd:stats:*:general`)).filter((k) => !k.endsWith(':history'));
  const sum: Record<string, number> = {};
  for (const key of days) for (const [field, value] of Object.entries(await redis.hgetall(key))) sum[field] = (sum[field] ?? 0) + Number(value);
  return sum;
}

const endedOf = (h: Harness, callId: string) => eventsOf(h, callId, 'call.ended');

it('the event socket down 5 minutes with calls in every phase: retried, not ready, then reconciled, each call ended once and truthfully', async () => {
  const { h, clock, count } = await scene();
  const acd = h.service.acd!;

  // Before: two talks, one caller waiting (no agent free), three in the menu.
  const talkA = await toQueue(h, '13900000001');
  const agentA = (await untilAnswered(h, talkA.channelId)).agentId!;
  const talkB = await toQueue(h, '13900000002');
  const agentB = (await untilAnswered(h, talkB.channelId)).agentId!;
  expect(new Set([agentA, agentB])).toEqual(new Set(['a1001', 'a1002']));
  const waiting = await toQueue(h, '13900000003');
  const menuEarly = await inMenu(h, '13900000004');
  const menuLate = await inMenu(h, '13900000005');
  const stays = await inMenu(h, '13900000006');
  const legOf = (callId: string) => talkBridge(h, callId)!.channels.find((id) => id.startsWith('offer-'))!;
  const legA = legOf(talkA.callId);
  const legB = legOf(talkB.callId);
  const before = h.service.calls.size;
  expect(before).toBe(6);

  // The socket goes, and stays refused.
  const retriesBefore = count(/ari-client is retrying|reconnecting/);
  sim!.cutEventSockets();
  const cutAt = clock.now();
  await eventually(() => !h.ari.isConnected(), 10_000, 'the service sees the socket gone');
  const notReady = await readyz(h);
  expect(notReady.status).toBe(503);
  expect(notReady.body.checks.ari).toEqual({ ok: false, reason: 'not connected to Asterisk (ARI)' });

  // Early in the outage: a menu caller and the waiting caller hang up; agent A's leg hangs up (a BYE) while its citizen stays.
  h.sim.hangupFromCaller(menuEarly.channelId);
  h.sim.hangupFromCaller(waiting.channelId);
  h.sim.hangupFromCaller(legA);
  leap(clock, FIVE_MINUTES / 2);
  // Late in the outage: talk B ends altogether, the other menu caller hangs up.
  h.sim.hangupFromCaller(talkB.channelId);
  h.sim.hangupFromCaller(legB);
  h.sim.hangupFromCaller(menuLate.channelId);
  // A new call: the app is not there, Stasis() fails and the dialplan serves it without the service.
  expect(() => h.sim.placeCall({ from: '13900000007', dialled: '12345' })).toThrow(/not registered/);
  leap(clock, FIVE_MINUTES / 2);

  // The service keeps trying all along, and nothing was decided about calls it could not see.
  await eventually(() => count(/ari-client is retrying|reconnecting/) >= retriesBefore + 5, 30_000, 'five more reconnect tries');
  expect(h.ari.isConnected()).toBe(false);
  expect((await readyz(h)).status).toBe(503);
  expect(h.service.calls.size).toBe(before);
  expect(h.events.filter((e) => e.type === 'call.ended')).toHaveLength(0);

  sim!.restoreEventSockets();
  expect(clock.now() - cutAt).toBeGreaterThanOrEqual(FIVE_MINUTES);
  await eventually(() => h.ari.isConnected() && count(/reconciled with Asterisk/) === 2, 60_000, 'reconnected and reconciled');
  expect((await readyz(h)).status).toBe(200);

  // Whose channels went end as dropped (their end unseen, Asterisk's doing as far as anyone here knows), their length spanning the outage.
  for (const gone of [menuEarly, menuLate, waiting, talkB]) {
    const ended = await h.ended(gone.channelId, 15_000);
    expect(ended.data).toMatchObject({ outcome: 'dropped', endedBy: 'asterisk', hangupCause: null });
    expect(ended.data.durationMs).toBeGreaterThanOrEqual(FIVE_MINUTES / 2);
  }
  // The waiting caller is out of the queue, gone unserved (a missed call), not handed to the dialplan: their channel no longer exists.
  expect(await acd.core.calls.entry(waiting.callId)).toBeNull();
  expect(h.record(waiting.callId)!.queue).toMatchObject({ queue: 'general', result: 'abandoned' });
  expect(acd.engine.waitingHere).toBe(0);
  // Agent A's leg went: the talk is over (the agent ended it), the citizen is let go, agent A wraps up.
  const endedA = await h.ended(talkA.channelId, 15_000);
  expect(endedA.data).toMatchObject({ outcome: 'completed', endedBy: 'service' });
  expect(h.record(talkA.callId)!.queue).toMatchObject({ result: 'answered', agentId: agentA, endedBy: 'agent' });
  expect(h.record(talkA.callId)!.queue!.talkMs).toBeGreaterThanOrEqual(FIVE_MINUTES);
  // Both agents left their calls: through wrap-up, and neither left on-call.
  for (const agentId of [agentA, agentB]) {
    await eventually(() => agentMoves(h, agentId).includes('wrap-up'), 15_000, `${agentId} wraps up`);
    expect(agentMoves(h, agentId).filter((to) => to === 'on-call')).toHaveLength(1);
  }
  await eventually(() => !h.sim.channels().some((c) => c.id === legA || c.id === legB || c.id === talkA.channelId), 10_000, 'talk channels gone');

  // The citizen who stayed in the menu is still served: the next key works and an agent answers.
  expect(h.service.calls.session(stays.channelId)?.callId).toBe(stays.callId);
  h.sim.pressDigits(stays.channelId, '0');
  await eventually(() => queuedEvent(h, stays.channelId) !== undefined, 10_000, 'the staying citizen queued');
  const servedBy = await untilAnswered(h, stays.channelId, 20_000);
  expect([agentA, agentB]).toContain(servedBy.agentId);
  // And new calls are taken again.
  const after = await inMenu(h, '13900000008');
  h.sim.hangupFromCaller(stays.channelId);
  h.sim.hangupFromCaller(after.channelId);
  expect((await h.ended(stays.channelId)).data.outcome).toBe('completed');
  await h.ended(after.channelId);

  // Nothing twice: the queue's figures count each talk and the missed call once,
  await vi.waitFor(async () => expect(await figures(h)).toMatchObject({ answered: 3, handled: 3, abandoned: 1 }), { timeout: 10_000, interval: 100 });
  // and one call.started and one call.ended per call, here and at each ticket backend.
  const calls = [talkA, talkB, waiting, menuEarly, menuLate, stays, after].map((c) => c.callId);
  expect(new Set(h.events.filter((e) => e.type === 'call.started').map((e) => e.callId))).toEqual(new Set(calls));
  expect(h.events.filter((e) => e.type === 'call.started')).toHaveLength(calls.length);
  for (const callId of calls) expect(endedOf(h, callId)).toHaveLength(1);
  for (const sink of SINKS) {
    const recorder = backend.recorder(sink);
    for (const callId of calls) {
      await vi.waitFor(() => expect(recorder.ofCall(callId).filter((m) => m.type === 'call.ended')).toHaveLength(1), { timeout: 20_000, interval: 100 });
      const ended = recorder.ofCall(callId).find((m) => m.type === 'call.ended')!;
      expect(ended.eventId).toBe(endedOf(h, callId)[0]!.id);
    }
    expect(recorder.duplicates).toBe(0);
  }
}, 120_000);

it('phones ringing when the socket goes both stop unheard (one answered into the absent app, one rung out): both calls back at the head of the queue, both agents paused, none left ringing', async () => {
  // a1001 answers after 2 minutes, a1002's phone rings on to the ring timeout: both inside the outage.
  const { h, clock, count } = await scene({
    edit: (c) => Object.assign(c.acd!.queues.general!, { ringTimeoutSeconds: 200, missesBeforePause: 1 }),
    phones: [{ kind: 'answer', afterMs: 120_000, ringingAfterMs: 100 }, { kind: 'ring' }],
  });
  const acd = h.service.acd!;
  const offered = (callId: string) => eventsOf(h, callId, 'call.offered').map((e) => e.data.agentId);
  const first = await toQueue(h, '13900000011');
  await eventually(() => offered(first.callId).length === 1, 10_000, 'first call offered');
  const second = await toQueue(h, '13900000012');
  await eventually(() => offered(second.callId).length === 1, 10_000, 'second call offered');
  expect(new Set([...offered(first.callId), ...offered(second.callId)])).toEqual(new Set(['a1001', 'a1002']));

  sim!.cutEventSockets();
  await eventually(() => !h.ari.isConnected(), 10_000, 'the service sees the socket gone');
  leap(clock, FIVE_MINUTES);
  // In Asterisk: a1001's answer found the app gone (Stasis() fails, the leg is hung up), a1002's rang out.
  expect(h.sim.channels().filter((c) => (c.id as string).startsWith('offer-'))).toEqual([]);
  sim!.restoreEventSockets();
  await eventually(() => h.ari.isConnected() && count(/reconciled with Asterisk/) === 2, 60_000, 'reconnected and reconciled');

  // Each offer failed as a ring-out would: the call back at the head of its queue, the agent paused after the miss.
  for (const call of [first, second]) {
    await vi.waitFor(async () => expect((await acd.core.calls.entry(call.callId))?.state).toBe('waiting'), { timeout: 10_000, interval: 50 });
  }
  for (const agentId of ['a1001', 'a1002']) {
    await eventually(() => agentMoves(h, agentId).at(-1) === 'not-ready', 10_000, `${agentId} paused after the miss`);
  }
  // The queue goes on: an agent who logs in now takes the caller who waited longest.
  await agentAt(h, 'a1003', '1003', ANSWERING);
  const served = await untilAnswered(h, first.channelId, 15_000);
  expect(served.agentId).toBe('a1003');
  expect(offered(first.callId)).toHaveLength(2);
  expect(offered(second.callId)).toHaveLength(1);
  expect(h.events.filter((e) => e.type === 'call.ended')).toHaveLength(0);
}, 120_000);
