/**
 * The service killed (SIGKILL: no shutdown, no hangups, nothing flushed) while callers are
 * in the menu, and a new process started on the same Redis and the same Asterisk (the
 * simulator): each caller hears the prompt of the node they were at again — not the
 * greeting — with what they entered at earlier nodes kept, their keys go on working, and
 * no call ends. A caller who hangs up while no service runs ends as `dropped`, once, at
 * the ticket backend.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { startAriSimulator } from '../../sim/index.js';
import { startReferenceBackend, type ReferenceBackend } from '../../sim/ticket-backend/server.js';
import type { CallRecord } from '../../src/calls/call-record.js';
import { exampleRaw } from '../ivr/support/example-config.js';
import { useServiceProcesses, type ServiceProcess } from './support/service-process.js';

type Simulator = Awaited<ReturnType<typeof startAriSimulator>>;

const ARI_USER = 'hotline';
const ARI_PASSWORD = 'restart-test-secret';
const SECRETS = { CRM_CITY_SECRET: 'city-secret-for-restarts', CRM_PROVINCE_SECRET: 'province-secret-for-restarts', CRM_INBOUND_SECRET: 'inbound-secret-for-restarts' };
const SINKS = ['city-tickets', 'provincial-platform'] as const;
const TICKET = '2026111800123';
const CALLER = '13912345678';

const startService = useServiceProcesses('restart-in-menu');
let sim: Simulator;
let backend: ReferenceBackend;
let redis: Redis;
let keyPrefix: string;

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  await redis.quit();
});
afterEach(async () => {
  await sim?.close();
  await backend?.close();
});

async function setUp(): Promise<void> {
  sim = await startAriSimulator({ port: 0, username: ARI_USER, password: ARI_PASSWORD, speed: 20 });
  backend = await startReferenceBackend({ sinks: { 'city-tickets': SECRETS.CRM_CITY_SECRET, 'provincial-platform': SECRETS.CRM_PROVINCE_SECRET }, lookupSecret: SECRETS.CRM_CITY_SECRET });
  backend.tickets.add({ ticketNumber: TICKET, callerNumber: CALLER, state: 'in-progress', createdAt: '2026-11-18T02:00:00Z', handlingUnit: '市住建局', dueDate: '2026-11-25' });
  keyPrefix = `test:restart-menu:${randomUUID()}:`;
}

/** The example config with the ticket backend here; no recording or surveys (not exercised). */
function config(): Record<string, any> {
  const raw = exampleRaw();
  for (const section of ['recording', 'satisfactionCallback', 'sms']) delete raw[section];
  // No caller times out while the test arranges the others: only the restart moves them.
  raw.ivr.timing.inputTimeoutMs = 60_000;
  raw.ivr.timing.interDigitTimeoutMs = 60_000;
  raw.ivr.nodes['ticket-number'].timeoutMs = 60_000;
  const retry = { attempts: 50, backoffMs: 20, maxBackoffMs: 200 };
  raw.crmBridge.sinks = SINKS.map((name) => ({ name, url: backend.sinkUrl(name), secretEnv: name === 'city-tickets' ? 'CRM_CITY_SECRET' : 'CRM_PROVINCE_SECRET', timeoutMs: 5000, retry }));
  raw.crmBridge.lookup.baseUrl = backend.url;
  // A killed instance leaves its delivery lease behind: its successor waits this long for it.
  raw.crmBridge.leaseMs = 500;
  return raw;
}

async function service(): Promise<ServiceProcess> {
  const s = startService({ ariUrl: sim.url, ariUser: ARI_USER, ariPassword: ARI_PASSWORD, keyPrefix, config: config(), env: SECRETS });
  await s.logged(/reconciled with Asterisk/);
  return s;
}

/** The example's prompts each channel has heard begin, by prompt id, in order. */
function heard(channelId: string): string[] {
  return sim
    .events()
    .filter((e) => e.event.type === 'PlaybackStarted' || e.event.type === 'PlaybackContinuing')
    .map((e) => e.event.playback as { media_uri: string; target_uri: string })
    .filter((p) => p.target_uri === `channel:${channelId}`)
    .map((p) => p.media_uri.replace('sound:hotline/zh/', ''));
}

const times = (channelId: string, prompt: string): number => heard(channelId).filter((p) => p === prompt).length;

async function hear(channelId: string, prompt: string, n = 1): Promise<void> {
  await vi.waitFor(() => expect(times(channelId, prompt), `${prompt} on ${channelId}; heard ${heard(channelId).join(', ')}`).toBeGreaterThanOrEqual(n), { timeout: 15_000, interval: 20 });
}

async function stored(channelId: string): Promise<CallRecord | undefined> {
  const json = await redis.get(`${keyPrefix}calls:live:${channelId}`);
  return json ? (JSON.parse(json) as CallRecord) : undefined;
}

/** Waits until the call's record in Redis names `node` as its menu position: what a crash now leaves. */
async function storedAt(channelId: string, node: string, vars: Record<string, string> = {}): Promise<CallRecord> {
  await vi.waitFor(async () => expect((await stored(channelId))?.position).toMatchObject({ node, stage: 'node', vars }), { timeout: 10_000, interval: 20 });
  return (await stored(channelId))!;
}

/** The channel's events of the call's end, as the simulator sent them. */
const endsOf = (channelId: string): string[] =>
  sim
    .events()
    .filter((e) => ['ChannelHangupRequest', 'StasisEnd'].includes(String(e.event.type)) && (e.event.channel as { id?: string } | undefined)?.id === channelId)
    .map((e) => String(e.event.type));

describe('a service killed while callers are in the menu', () => {
  it('resumes each caller at their node after a restart: the node prompt again, the keys working, no call ended', async () => {
    await setUp();
    const first = await service();

    // A: at the main menu.
    const a = sim.placeCall({ from: CALLER, dialled: '12345' }).id;
    // B: typing a ticket number, four digits in.
    const b = sim.placeCall({ from: CALLER, dialled: '12345' }).id;
    // C: after a ticket read back, at the menu after it, the number taken.
    const c = sim.placeCall({ from: CALLER, dialled: '12345' }).id;
    for (const id of [a, b, c]) await hear(id, 'main-menu');
    sim.pressDigits(b, '3');
    sim.pressDigits(c, '3');
    await hear(b, 'ticket-enter-number');
    await hear(c, 'ticket-enter-number');
    sim.pressDigits(b, TICKET.slice(0, 4));
    sim.pressDigits(c, `${TICKET}#`);
    await hear(c, 'ticket-after-menu');
    const before = { a: await storedAt(a, 'main-menu'), b: await storedAt(b, 'ticket-number'), c: await storedAt(c, 'ticket-after', { ticket: TICKET }) };
    const heardBefore = Object.fromEntries([a, b, c].map((id) => [id, heard(id).length]));

    await first.kill();
    const second = await service();
    expect(second.count(/reconciled with Asterisk/)).toBe(1);

    // Each hears their node's prompt again, and not the greeting.
    await hear(a, 'main-menu', 2);
    await hear(b, 'ticket-enter-number', 2);
    await hear(c, 'ticket-after-menu', 2);
    for (const id of [a, b, c]) {
      expect(times(id, 'welcome-12345')).toBe(1);
      expect(heard(id).length).toBeGreaterThan(heardBefore[id]!);
    }

    // Their keys go on working where they are.
    sim.pressDigits(a, '3');
    await hear(a, 'ticket-enter-number');
    // B types the whole number again: the four digits from before the crash did not stick to it.
    sim.pressDigits(b, `${TICKET}#`);
    await hear(b, 'ticket-after-menu');
    expect(heard(b)).not.toContain('ticket-not-found');
    // C's "back to the main menu" key.
    sim.pressDigits(c, '1');
    await hear(c, 'main-menu', 2);

    // The same calls, taken over: same ids, the path goes on, none ended.
    for (const [id, was] of [[a, before.a], [b, before.b], [c, before.c]] as const) {
      const now = await stored(id);
      expect(now).toMatchObject({ callId: was.callId, adopted: true });
      expect(now!.phases.ended).toBeUndefined();
      expect(now!.path.slice(0, was.path.length)).toEqual(was.path);
      expect(now!.path.map((s) => s.outcome)).toContain('resumed');
      expect(endsOf(id)).toEqual([]);
    }
    expect(sim.channels().map((ch) => ch.id)).toEqual(expect.arrayContaining([a, b, c]));

    // Hung up now, each call ends once, abandoned, and the ticket backend hears one start and one end.
    for (const id of [a, b, c]) sim.hangupFromCaller(id);
    const callIds = [before.a.callId, before.b.callId, before.c.callId];
    for (const sink of SINKS) {
      const recorder = backend.recorder(sink);
      await vi.waitFor(() => expect(callIds.every((id) => recorder.ofCall(id).some((m) => m.type === 'call.ended'))).toBe(true), { timeout: 15_000, interval: 50 });
      for (const callId of callIds) {
        const types = recorder.ofCall(callId).map((m) => m.type);
        expect(types.filter((t) => t === 'call.started')).toHaveLength(1);
        expect(types.filter((t) => t === 'call.ended')).toHaveLength(1);
        expect(recorder.ofCall(callId).find((m) => m.type === 'call.ended')!.body).toMatchObject({ data: { outcome: 'abandoned', endedBy: 'caller' } });
      }
    }
  }, 120_000);

  it('resumes thirty callers spread over three nodes, none ended', async () => {
    await setUp();
    const first = await service();
    const groups = { menu: [] as string[], typing: [] as string[], after: [] as string[] };
    // Thirty callers, thirty numbers: more than ten calls an hour from one number are restricted.
    let n = 0;
    for (let i = 0; i < 10; i += 1) for (const g of Object.values(groups)) g.push(sim.placeCall({ from: `1391200${String((n += 1)).padStart(4, '0')}`, dialled: '12345' }).id);
    const all = Object.values(groups).flat();
    for (const id of all) await hear(id, 'main-menu');
    for (const id of [...groups.typing, ...groups.after]) sim.pressDigits(id, '3');
    for (const id of [...groups.typing, ...groups.after]) await hear(id, 'ticket-enter-number');
    for (const id of groups.typing) sim.pressDigits(id, TICKET.slice(0, 6));
    for (const id of groups.after) sim.pressDigits(id, `${TICKET}#`);
    for (const id of groups.after) await hear(id, 'ticket-after-menu');
    for (const id of groups.menu) await storedAt(id, 'main-menu');
    for (const id of groups.typing) await storedAt(id, 'ticket-number');
    for (const id of groups.after) await storedAt(id, 'ticket-after', { ticket: TICKET });

    await first.kill();
    await service();
    for (const id of groups.menu) await hear(id, 'main-menu', 2);
    for (const id of groups.typing) await hear(id, 'ticket-enter-number', 2);
    for (const id of groups.after) await hear(id, 'ticket-after-menu', 2);
    for (const id of all) {
      expect(times(id, 'welcome-12345')).toBe(1);
      expect(endsOf(id)).toEqual([]);
    }
    // Each group's next key works: to the ticket entry, the whole number read back, back to the main menu.
    for (const id of groups.menu) sim.pressDigits(id, '3');
    for (const id of groups.typing) sim.pressDigits(id, `${TICKET}#`);
    for (const id of groups.after) sim.pressDigits(id, '1');
    for (const id of groups.menu) await hear(id, 'ticket-enter-number');
    for (const id of groups.typing) await hear(id, 'ticket-after-menu');
    for (const id of groups.after) await hear(id, 'main-menu', 2);
    expect(all.filter((id) => heard(id).includes('ticket-not-found'))).toEqual([]);
    expect(sim.channels().map((ch) => ch.id)).toEqual(expect.arrayContaining(all));
  }, 120_000);

  it('ends a call hung up while no service ran as dropped, once, at the ticket backend', async () => {
    await setUp();
    const first = await service();
    const d = sim.placeCall({ from: CALLER, dialled: '12345' }).id;
    await hear(d, 'main-menu');
    const record = await storedAt(d, 'main-menu');
    // Everything the call published so far is at the backend before the crash.
    for (const sink of SINKS) {
      await vi.waitFor(() => expect(backend.recorder(sink).ofCall(record.callId).length).toBe(record.lastEventSequence), { timeout: 15_000, interval: 50 });
    }

    await first.kill();
    sim.hangupFromCaller(d);
    await vi.waitFor(() => expect(sim.channels().map((ch) => ch.id)).not.toContain(d), { timeout: 5000, interval: 20 });
    const second = await service();

    for (const sink of SINKS) {
      const recorder = backend.recorder(sink);
      await vi.waitFor(() => expect(recorder.ofCall(record.callId).some((m) => m.type === 'call.ended')).toBe(true), { timeout: 15_000, interval: 50 });
      const events = recorder.ofCall(record.callId);
      // Numbered after the call's last event: no gap, no repeat.
      expect(events.map((m) => m.sequence)).toEqual(Array.from({ length: record.lastEventSequence + 1 }, (_, i) => i + 1));
      expect(events.at(-1)!.body).toMatchObject({ type: 'call.ended', eventId: `ended-${record.callId}`, data: { outcome: 'dropped', endedBy: 'asterisk', channelId: d, hangupCause: null } });
    }
    const finished = await stored(d);
    expect(finished).toMatchObject({ outcome: 'dropped', endedBy: 'asterisk', endUnseen: { lastSeenAt: expect.any(String), foundGoneAt: finished!.phases.ended } });
    expect(await redis.zscore(`${keyPrefix}calls:live-index`, d)).toBeNull();

    // Another crash and restart finds nothing more to end.
    await second.kill();
    const third = await service();
    await third.logged(/reconciled with Asterisk/);
    for (const sink of SINKS) expect(backend.recorder(sink).ofCall(record.callId).filter((m) => m.type === 'call.ended')).toHaveLength(1);
    expect(second.count(/call ended while the service was away/)).toBe(1);
    expect(third.count(/call ended while the service was away/)).toBe(0);
  }, 120_000);
});
