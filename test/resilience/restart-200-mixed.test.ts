/**
 * Two hundred live calls in every phase at once — sixty in the menu at three nodes, fifty
 * talking with fifty agents, sixty waiting in the queue behind them, thirty put through to
 * 110 — when the service is killed with SIGKILL and a new process starts on the same Redis
 * and simulator. No call ends; each goes on where it was: menu callers hear their node's
 * prompt again (not the greeting), waiting callers keep their places and are served in that
 * order as agents free up, talks stay bridged and end `completed` with the agent in wrap-up,
 * calls with 110 stay bridged and end `transferred`. Then every call's record is finished
 * and each sink has its events once, numbered without a gap, with one call.ended.
 */
import { describe, expect, it, vi } from 'vitest';
import { acdKeys } from '../../src/acd/index.js';
import type { CallRecord } from '../../src/calls/call-record.js';
import { SINKS, useAcdRestart, type AcdRestart } from '../acd/support/acd-restart.js';
import { callerNumbers, endedAtBothSinks, placeCalls, recordsOf, untilDeliveredSoFar, untilEvery, untilHeard, untilStored, type CrowdCall } from './support/call-crowd.js';
import { watchRequests } from './support/outage-readers.js';

const AGENTS = Array.from({ length: 50 }, (_, i) => `s${String(i + 1).padStart(2, '0')}`);
const seatOf = (agentId: string): string => `seat${agentId.slice(1)}`;
const TICKET = '2026111800123';
const CENTRE = 'PJSIP/110@carrier';
const PER_MENU_NODE = 20;
const WAITING = 60;
const EMERGENCIES = 30;

const start = useAcdRestart('restart-200-mixed');

function scene(): Promise<AcdRestart> {
  return start(
    (acd) => {
      // An agent stays in wrap-up until the test ends it: who is free when is the test's to say.
      acd.queues.general.wrapUpSeconds = 3600;
      acd.virtualHold.offerAfterSeconds = 3600;
    },
    {
      seats: AGENTS.map(seatOf),
      editConfig(raw) {
        // No caller times out while the others are arranged: only the restart moves them.
        raw.ivr.timing.interDigitTimeoutMs = 60_000;
        raw.ivr.nodes['ticket-number'].timeoutMs = 60_000;
        // The reference backend answers look-ups from the test's process, busy with the simulator's 200 calls.
        raw.crmBridge.lookup.timeoutMs = 10_000;
      },
    },
  );
}

const withCallIds = (records: Map<string, CallRecord>): CrowdCall[] => [...records].map(([channelId, r]) => ({ channelId, callId: r.callId }));
const bridgeMembers = (t: AcdRestart, id: string): string[] => [...((t.sim.bridges().find((b) => b.id === id)?.channels as string[] | undefined) ?? [])].sort();

/** Fifty callers to the queue, each answered by one of the fifty agents ready. */
async function talks(t: AcdRestart): Promise<CrowdCall[]> {
  const ids = await placeCalls(t, callerNumbers(1, AGENTS.length));
  for (const id of ids) t.sim.pressDigits(id, '0');
  const calls = withCallIds(await untilStored(t, 'talking', ids, (r) => r.queue?.result === 'answered'));
  await untilEvery('bridged with an agent', calls, (c) => bridgeMembers(t, `call-${c.callId}`).length === 2);
  await untilEvery('talk record', calls, async (c) => (await t.talkRecord(c.callId)).agentChannel !== undefined);
  await untilDeliveredSoFar(t, ids, 'call.agent-answered');
  return calls;
}

/** Callers queued behind the talks, every agent busy: they wait. */
async function waiters(t: AcdRestart): Promise<CrowdCall[]> {
  const ids = await placeCalls(t, callerNumbers(2, WAITING));
  for (const id of ids) t.sim.pressDigits(id, '0');
  const calls = withCallIds(await untilStored(t, 'queued', ids, (r) => r.queue?.queue === 'general' && r.position !== undefined));
  await untilEvery('waiting in the queue', calls, async (c) => (await t.queueEntry(c.callId)).state === 'waiting');
  await untilDeliveredSoFar(t, ids, 'call.queued');
  return calls;
}

/** Callers who pressed 9 and talk to 110. */
async function emergencies(t: AcdRestart): Promise<CrowdCall[]> {
  const ids = await placeCalls(t, callerNumbers(3, EMERGENCIES));
  for (const id of ids) t.sim.pressDigits(id, '9');
  const calls = withCallIds(await untilStored(t, 'put through', ids, (r) => (r.emergency?.length ?? 0) > 0));
  await untilEvery('bridged with 110', calls, (c) => bridgeMembers(t, `emg-${c.callId}`).length === 2);
  await untilDeliveredSoFar(t, ids, 'call.emergency');
  return calls;
}

/** Menu callers at three nodes: the main menu, half a ticket number typed, after a ticket read back. */
async function menuCallers(t: AcdRestart): Promise<{ main: string[]; typing: string[]; after: string[] }> {
  const ids = await placeCalls(t, callerNumbers(4, 3 * PER_MENU_NODE));
  const [main, typing, after] = [ids.slice(0, PER_MENU_NODE), ids.slice(PER_MENU_NODE, 2 * PER_MENU_NODE), ids.slice(2 * PER_MENU_NODE)] as [string[], string[], string[]];
  for (const id of [...typing, ...after]) t.sim.pressDigits(id, '3');
  await untilHeard(t, 'asked for a ticket number', [...typing, ...after], 'ticket-enter-number');
  for (const id of typing) t.sim.pressDigits(id, TICKET.slice(0, 6));
  for (const id of after) t.sim.pressDigits(id, `${TICKET}#`);
  await untilHeard(t, 'the ticket read back', after, 'ticket-after-menu');
  const at = (node: string, vars: Record<string, string> = {}) => (r: CallRecord) => {
    const p = r.position as { node?: string; stage?: string; vars?: Record<string, string> } | undefined;
    return p?.node === node && p.stage === 'node' && JSON.stringify(p.vars ?? {}) === JSON.stringify(vars);
  };
  await untilStored(t, 'at the main menu', main, at('main-menu'));
  await untilStored(t, 'typing a ticket number', typing, at('ticket-number'));
  await untilStored(t, 'after the ticket', after, at('ticket-after', { ticket: TICKET }));
  await untilDeliveredSoFar(t, ids, 'call.started');
  return { main, typing, after };
}

const times = (t: AcdRestart, id: string, prompt: string): number => t.heard(id).filter((p) => p === prompt).length;

describe('a service killed with 200 live calls in every phase', () => {
  it('carries every call on where it was, and each ends once with a complete record', async () => {
    const t = await scene();
    t.backend.tickets.add({ ticketNumber: TICKET, callerNumber: '13912345678', state: 'in-progress', createdAt: '2026-11-18T02:00:00Z', handlingUnit: '市住建局', dueDate: '2026-11-25' });
    t.sim.setEndpointBehaviour(CENTRE, { kind: 'answer', afterMs: 200 });
    for (const agentId of AGENTS) await t.agent(agentId, seatOf(agentId), { kind: 'answer', afterMs: 100 });
    const requests = watchRequests(t);
    const began = Date.now();
    const first = await t.service();

    // The talks first (every agent takes one), then the waiters behind them; 110 and the menu alongside.
    const [{ talking, waiting }, withCentre, menu] = await Promise.all([
      talks(t).then(async (talking) => ({ talking, waiting: await waiters(t) })),
      emergencies(t),
      menuCallers(t),
    ]);
    const menuIds = [...menu.main, ...menu.typing, ...menu.after];
    const all = [...talking.map((c) => c.channelId), ...waiting.map((c) => c.channelId), ...withCentre.map((c) => c.channelId), ...menuIds];
    expect(new Set(all).size).toBe(200);
    const entries = new Map(await Promise.all(waiting.map(async (c) => [c.callId, await t.queueEntry(c.callId)] as const)));
    // The line as the ACD keeps it (callers queued in the same millisecond share a score: the set orders them by id).
    const line = await t.redis.zrange(acdKeys(t.keyPrefix).waiting('general', 'general'), 0, -1);
    const queueOrder = line.map((callId) => waiting.find((c) => c.callId === callId)!);
    expect(queueOrder).toHaveLength(WAITING);
    const members = new Map([...talking.map((c) => [c.callId, bridgeMembers(t, `call-${c.callId}`)] as const), ...withCentre.map((c) => [c.callId, bridgeMembers(t, `emg-${c.callId}`)] as const)]);
    const agentLegs = new Map(await Promise.all(talking.map(async (c) => [c.callId, (await t.talkRecord(c.callId)).agentChannel!] as const)));
    const heardBefore = new Map(all.map((id) => [id, t.heard(id).length]));
    const musicBefore = new Map(waiting.map((c) => [c.channelId, requests.musicStarted(c.channelId)]));
    const before = await recordsOf(t, all);
    // The day's figures trail the calls by a write each: the count is what a restart must not repeat.
    await vi.waitFor(async () => expect(await t.figures()).toMatchObject({ offered: talking.length + waiting.length, answered: talking.length }), { timeout: 10_000, interval: 100 });
    const arranged = Date.now();

    await first.kill();
    const second = await t.service();
    await second.logged(/the ACD takes the call over where it was/, talking.length + waiting.length, 45_000);
    await second.logged(/the emergency transfer is taken over where it was/, withCentre.length, 45_000);
    expect(second.line(/reconciled with Asterisk/)).toMatchObject({ adopted: 200, dropped: 0 });
    const reconciled = Date.parse(String(second.line(/reconciled with Asterisk/)!.time));

    // Menu callers: their node's prompt again, not the greeting.
    await untilHeard(t, 'the main menu again', menu.main, 'main-menu', 2);
    await untilHeard(t, 'asked for the ticket number again', menu.typing, 'ticket-enter-number', 2);
    await untilHeard(t, 'the menu after the ticket again', menu.after, 'ticket-after-menu', 2);
    // Waiting callers: music again, the same entry (place and enqueue time).
    await untilEvery('music on hold again', waiting, (c) => requests.musicStarted(c.channelId) === musicBefore.get(c.channelId)! + 1);
    const resumed = Date.now();
    expect(await t.redis.zrange(acdKeys(t.keyPrefix).waiting('general', 'general'), 0, -1)).toEqual(line);
    for (const c of waiting) expect(await t.queueEntry(c.callId)).toMatchObject({ state: 'waiting', order: entries.get(c.callId)!.order, enqueuedAt: entries.get(c.callId)!.enqueuedAt });
    for (const id of all) expect(times(t, id, 'welcome-12345'), id).toBe(1);
    // Talks and 110: nothing played, the bridges as they were, every agent on the call.
    for (const c of [...talking, ...withCentre]) {
      expect(t.heard(c.channelId).length).toBe(heardBefore.get(c.channelId));
      expect(bridgeMembers(t, `${talking.includes(c) ? 'call' : 'emg'}-${c.callId}`)).toEqual(members.get(c.callId));
    }
    for (const agentId of AGENTS) expect((await t.stateOf(agentId))?.kind).toBe('on-call');
    // None ended: every channel there, every record the same call, taken over, not finished.
    expect(t.sim.channels().map((ch) => ch.id)).toEqual(expect.arrayContaining(all));
    const after = await recordsOf(t, all);
    for (const id of all) {
      expect(after.get(id), id).toMatchObject({ callId: before.get(id)!.callId, adopted: true });
      expect(after.get(id)!.phases.ended, id).toBeUndefined();
    }
    for (const id of menuIds) expect(after.get(id)!.path.map((s) => s.outcome)).toContain('resumed');

    // The talks end: half hung up by the caller, half by the agent; every agent to wrap-up.
    talking.forEach((c, i) => t.sim.hangupFromCaller(i % 2 === 0 ? c.channelId : agentLegs.get(c.callId)!));
    await untilEvery('agent in wrap-up', AGENTS, async (a) => (await t.stateOf(a))?.kind === 'wrap-up');
    // Agents free up ten, then forty: each time the callers at the head of the queue are served.
    const served = async (calls: CrowdCall[]) => untilStored(t, 'answered after the restart', calls.map((c) => c.channelId), (r) => r.queue?.result === 'answered');
    const stillWaiting = async (calls: CrowdCall[]) => {
      for (const c of calls) expect((await t.queueEntry(c.callId)).state, `caller ${queueOrder.indexOf(c)} in the queue`).toBe('waiting');
    };
    for (const agentId of AGENTS.slice(0, 10)) await t.endWrapUp(agentId);
    await served(queueOrder.slice(0, 10));
    await stillWaiting(queueOrder.slice(10));
    for (const agentId of AGENTS.slice(10)) await t.endWrapUp(agentId);
    await served(queueOrder.slice(10, 50));
    await stillWaiting(queueOrder.slice(50));
    // Ten of those callers hang up; their agents, freed, take the last ten.
    const firstServed = queueOrder.slice(0, 10);
    const agentsOf = async (calls: CrowdCall[]) => Promise.all(calls.map(async (c) => (await t.stored(c.channelId))!.queue!.agentId!));
    const freed = await agentsOf(firstServed);
    for (const c of firstServed) t.sim.hangupFromCaller(c.channelId);
    await untilEvery('agent in wrap-up', freed, async (a) => (await t.stateOf(a))?.kind === 'wrap-up');
    for (const agentId of freed) await t.endWrapUp(agentId);
    await served(queueOrder.slice(50));
    for (const c of queueOrder.slice(10)) t.sim.hangupFromCaller(c.channelId);

    // 110: half the callers hang up, half the centre; the menu callers hang up.
    withCentre.forEach((c, i) => t.sim.hangupFromCaller(i % 2 === 0 ? c.channelId : members.get(c.callId)!.find((id) => id !== c.channelId)!));
    for (const id of menuIds) t.sim.hangupFromCaller(id);

    // Every call ends once, with its whole record, at both sinks: its events numbered 1…n, one start, one end.
    const outcomes = new Map<string, string>([...[...talking, ...waiting].map((c) => [c.callId, 'completed'] as const), ...withCentre.map((c) => [c.callId, 'transferred'] as const), ...menuIds.map((id) => [before.get(id)!.callId, 'abandoned'] as const)]);
    const sinks = await endedAtBothSinks(t, [...outcomes.keys()]);
    for (const byCall of sinks) {
      for (const [callId, outcome] of outcomes) {
        const events = byCall.get(callId)!;
        expect(events.map((m) => m.sequence), callId).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
        expect(events.filter((m) => m.type === 'call.started')).toHaveLength(1);
        expect(events.filter((m) => m.type === 'call.ended').map((m) => m.body.data)).toEqual([expect.objectContaining({ outcome })]);
      }
    }
    const ended = await untilStored(t, 'record finished', all, (r) => r.phases.ended !== undefined);
    for (const [id, record] of ended) expect(record, id).toMatchObject({ outcome: outcomes.get(record.callId), adopted: true });
    for (const c of [...talking, ...waiting]) expect(ended.get(c.channelId)!.queue).toMatchObject({ result: 'answered', talkMs: expect.any(Number), endedBy: expect.stringMatching(/^(caller|agent)$/) });
    await untilEvery('agent in wrap-up', AGENTS, async (a) => (await t.stateOf(a))?.kind === 'wrap-up');
    await vi.waitFor(async () => expect(await t.figures()).toMatchObject({ offered: 110, answered: 110, handled: 110 }), { timeout: 10_000, interval: 100 });
    expect((await t.figures()).abandoned ?? 0).toBe(0);
    requests.stop();
    const finished = Date.now();
    console.info(`restart-200-mixed: arranged in ${arranged - began} ms, reconciled ${reconciled - arranged} ms and resumed ${resumed - arranged} ms after the kill, ended and delivered in ${finished - resumed} ms; repeats at the sinks ${SINKS.map((s) => t.backend.recorder(s).duplicates).join('/')}`);
  }, 240_000);
});
