/**
 * The service killed (SIGKILL: nothing cleaned up) while callers are in the ACD, and a new
 * process started on the same Redis and simulator: a caller waiting keeps their place (no
 * greeting, music again, offered to the next agent), a caller talking to an agent stays
 * bridged with them (no prompt, no music) and the call is finished properly when either
 * hangs up, an offer that was ringing either goes on or puts the caller back at the head.
 * Each call reaches the ticket backend with one call.started and one call.ended, and the
 * day's figures count it once.
 */
import { describe, expect, it, vi } from 'vitest';
import { useAcdRestart } from './support/acd-restart.js';

const start = useAcdRestart('restart-in-queue');
const ANSWERS = { kind: 'answer', afterMs: 100 } as const;
/** A phone that rings on until the test acts: the simulator's clock runs 20× faster than the service's. */
const longRing = (acd: Record<string, any>): void => {
  acd.queues.general.ringTimeoutSeconds = 300;
};

describe('a service killed while callers are in the ACD', () => {
  it('keeps a waiting caller in the queue: no greeting, music again, offered to the next agent; completed once', async () => {
    const t = await start();
    const first = await t.service();
    const { channelId, callId } = await t.callToQueue('13912340001');
    await vi.waitFor(() => expect(t.asked(channelId)).toContain('POST moh'), { timeout: 10_000, interval: 20 });
    const entry = await t.queueEntry(callId);
    expect(entry).toMatchObject({ state: 'waiting', queue: 'general' });
    const musicBefore = t.asked(channelId).filter((r) => r === 'POST moh').length;
    // Events a SIGKILL would catch before the outbox stored them are not what this counts.
    await t.delivered(callId, 'call.queued');

    await first.kill();
    const second = await t.service();
    await second.logged(/the ACD takes the call over where it was/);
    // Music on hold again, the same entry in the queue (its place: enqueued at the same instant), no greeting.
    await vi.waitFor(() => expect(t.asked(channelId).filter((r) => r === 'POST moh').length).toBe(musicBefore + 1), { timeout: 10_000, interval: 20 });
    expect(await t.queueEntry(callId)).toMatchObject({ state: 'waiting', enqueuedAt: entry.enqueuedAt, order: entry.order });
    expect(t.heard(channelId).filter((p) => p.startsWith('welcome'))).toHaveLength(1);
    expect(t.heard(channelId).filter((p) => p === 'main-menu')).toHaveLength(1);

    // The next agent to get ready is rung for the call, answers, and talks to the caller.
    await t.agent('a1', 'agent1', ANSWERS);
    await vi.waitFor(() => expect(t.bridge(callId)?.channels).toEqual(expect.arrayContaining([channelId, expect.stringMatching(`^offer-${callId}-`)])), { timeout: 15_000, interval: 20 });
    await t.untilAgent('a1', 'on-call');
    t.sim.hangupFromCaller(channelId);
    await t.untilAgent('a1', 'wrap-up');

    for (const events of await t.ticketsOf(callId)) {
      const types = events.map((m) => m.type);
      expect(types.filter((x) => x === 'call.started')).toHaveLength(1);
      expect(types.filter((x) => x === 'call.queued')).toHaveLength(1);
      expect(types.filter((x) => x === 'call.ended')).toHaveLength(1);
      expect(events.find((m) => m.type === 'call.ended')!.body).toMatchObject({ data: { outcome: 'completed', endedBy: 'caller' } });
    }
    expect(await t.stored(channelId)).toMatchObject({ callId, adopted: true, outcome: 'completed', queue: { result: 'answered', agentId: 'a1', endedBy: 'caller' } });
    await vi.waitFor(async () => expect(await t.figures()).toMatchObject({ offered: 1, answered: 1, handled: 1 }), { timeout: 5000, interval: 50 });
    expect((await t.figures()).abandoned ?? 0).toBe(0);
  }, 120_000);

  it('ends a waiting caller who hangs up after the restart as abandoned, once', async () => {
    const t = await start();
    const first = await t.service();
    const { channelId, callId } = await t.callToQueue('13912340002');
    // The day's figures are written just after the queueing: a SIGKILL before that loses the count, not the call.
    await vi.waitFor(async () => expect(await t.figures()).toMatchObject({ offered: 1 }), { timeout: 5000, interval: 50 });
    await first.kill();
    const second = await t.service();
    await second.logged(/the ACD takes the call over where it was/);
    t.sim.hangupFromCaller(channelId);
    for (const events of await t.ticketsOf(callId)) {
      expect(events.filter((m) => m.type === 'call.ended').map((m) => m.body.data)).toEqual([expect.objectContaining({ outcome: 'abandoned', endedBy: 'caller' })]);
    }
    await vi.waitFor(async () => expect(await t.queueEntry(callId)).toEqual({}), { timeout: 5000, interval: 50 });
    await vi.waitFor(async () => expect(await t.figures()).toMatchObject({ offered: 1, abandoned: 1 }), { timeout: 5000, interval: 50 });
  }, 120_000);

  it('keeps a caller talking to an agent bridged: no prompt, no music; the agent hanging up ends the call completed, the agent in wrap-up', async () => {
    const t = await start();
    await t.agent('a1', 'agent1', ANSWERS);
    const first = await t.service();
    const { channelId, callId } = await t.callToQueue('13912340003');
    await vi.waitFor(async () => expect(await t.talkRecord(callId)).toMatchObject({ agentId: 'a1', callerChannel: channelId }), { timeout: 15_000, interval: 20 });
    await vi.waitFor(() => expect(t.bridge(callId)?.channels).toHaveLength(2), { timeout: 10_000, interval: 20 });
    await vi.waitFor(async () => expect((await t.stored(channelId))?.queue?.result).toBe('answered'), { timeout: 10_000, interval: 20 });
    const members = [...t.bridge(callId)!.channels].sort();
    const agentLeg = (await t.talkRecord(callId)).agentChannel!;
    await t.delivered(callId, 'call.agent-answered');

    await first.kill();
    const askedBefore = t.asked(channelId).length;
    const heardBefore = t.heard(channelId).length;
    const second = await t.service();
    await second.logged(/the ACD takes the call over where it was/);
    // Nothing played or started on the caller, the bridge as it was, the agent still on the call.
    expect(t.asked(channelId).slice(askedBefore)).toEqual([]);
    expect(t.heard(channelId).length).toBe(heardBefore);
    expect([...t.bridge(callId)!.channels].sort()).toEqual(members);
    expect((await t.stateOf('a1'))?.kind).toBe('on-call');

    // The agent hangs up: the caller's channel is hung up, the agent goes to wrap-up.
    t.sim.hangupFromCaller(agentLeg);
    await t.untilAgent('a1', 'wrap-up');
    await vi.waitFor(() => expect(t.sim.channels().map((c) => c.id)).not.toContain(channelId), { timeout: 10_000, interval: 20 });
    for (const events of await t.ticketsOf(callId)) {
      const types = events.map((m) => m.type);
      expect(types.filter((x) => x === 'call.started')).toHaveLength(1);
      expect(types.filter((x) => x === 'call.agent-answered')).toHaveLength(1);
      expect(types.filter((x) => x === 'call.ended')).toHaveLength(1);
      expect(events.find((m) => m.type === 'call.ended')!.body).toMatchObject({ data: { outcome: 'completed' } });
    }
    expect(await t.stored(channelId)).toMatchObject({ outcome: 'completed', queue: { result: 'answered', endedBy: 'agent', talkMs: expect.any(Number) } });
    expect(await t.talkRecord(callId)).toEqual({});
    await vi.waitFor(async () => expect(await t.figures()).toMatchObject({ offered: 1, answered: 1, handled: 1 }), { timeout: 5000, interval: 50 });
  }, 120_000);

  it('ends the talk of an agent whose leg went while no service ran: caller hung up, agent in wrap-up, completed', async () => {
    const t = await start();
    await t.agent('a1', 'agent1', ANSWERS);
    const first = await t.service();
    const { channelId, callId } = await t.callToQueue('13912340004');
    await vi.waitFor(async () => expect((await t.stored(channelId))?.queue?.result).toBe('answered'), { timeout: 15_000, interval: 20 });
    await vi.waitFor(async () => expect(await t.talkRecord(callId)).toMatchObject({ agentId: 'a1' }), { timeout: 10_000, interval: 20 });
    const agentLeg = (await t.talkRecord(callId)).agentChannel!;

    await first.kill();
    t.sim.hangupFromCaller(agentLeg);
    await vi.waitFor(() => expect(t.sim.channels().map((c) => c.id)).not.toContain(agentLeg), { timeout: 5000, interval: 20 });
    await t.service();
    await t.untilAgent('a1', 'wrap-up');
    for (const events of await t.ticketsOf(callId)) {
      expect(events.filter((m) => m.type === 'call.ended').map((m) => m.body.data)).toEqual([expect.objectContaining({ outcome: 'completed' })]);
    }
    expect(t.sim.channels().map((c) => c.id)).not.toContain(channelId);
    expect(await t.stored(channelId)).toMatchObject({ outcome: 'completed', queue: { endedBy: 'agent' } });
    await vi.waitFor(async () => expect(await t.figures()).toMatchObject({ answered: 1, handled: 1 }), { timeout: 5000, interval: 50 });
  }, 120_000);

  it('an offer ringing at the kill: answered after the restart, the caller talks to that agent', async () => {
    const t = await start(longRing);
    await t.agent('a1', 'agent1', { kind: 'ring' });
    const first = await t.service();
    const { channelId, callId } = await t.callToQueue('13912340005');
    await vi.waitFor(async () => expect(await t.queueEntry(callId)).toMatchObject({ state: 'offered', agent: 'a1' }), { timeout: 15_000, interval: 20 });
    const leg = (await t.queueEntry(callId)).offerChannel!;
    // The phone rings: the leg exists (the entry names it before it is originated).
    await vi.waitFor(() => expect(t.sim.channels().map((c) => c.id)).toContain(leg), { timeout: 10_000, interval: 20 });
    // A SIGKILL loses events the process had not stored in Redis yet (the outbox stores within
    // milliseconds of the emit, later on a loaded machine): the offer's event is waited for at
    // the backend first, so what this test counts is the offer carried on, not that window.
    await t.delivered(callId, 'call.offered');
    await first.kill();
    const second = await t.service();
    await second.logged(/the ACD takes the call over where it was/);
    t.sim.answerChannel(leg);
    await vi.waitFor(() => expect(t.bridge(callId)?.channels).toEqual(expect.arrayContaining([channelId, leg])), { timeout: 15_000, interval: 20 });
    await t.untilAgent('a1', 'on-call');
    t.sim.hangupFromCaller(channelId);
    await t.untilAgent('a1', 'wrap-up');
    for (const events of await t.ticketsOf(callId)) {
      expect(events.filter((m) => m.type === 'call.offered')).toHaveLength(1);
      expect(events.filter((m) => m.type === 'call.ended').map((m) => m.body.data)).toEqual([expect.objectContaining({ outcome: 'completed' })]);
    }
  }, 120_000);

  it('an offer whose leg ended while no service ran: the caller back at the head, the agent free and rung again', async () => {
    const t = await start(longRing);
    await t.agent('a1', 'agent1', { kind: 'ring' });
    const first = await t.service();
    const { channelId, callId } = await t.callToQueue('13912340006');
    await vi.waitFor(async () => expect(await t.queueEntry(callId)).toMatchObject({ state: 'offered', agent: 'a1' }), { timeout: 15_000, interval: 20 });
    const leg = (await t.queueEntry(callId)).offerChannel!;
    // The phone rings: the leg exists (the entry names it before it is originated).
    await vi.waitFor(() => expect(t.sim.channels().map((c) => c.id)).toContain(leg), { timeout: 10_000, interval: 20 });
    await first.kill();
    t.sim.hangupFromCaller(leg);
    await vi.waitFor(() => expect(t.sim.channels().map((c) => c.id)).not.toContain(leg), { timeout: 5000, interval: 20 });
    t.sim.registerEndpoint('agent1', { phone: ANSWERS });
    const second = await t.service();
    await second.logged(/the ACD takes the call over where it was/);
    // Rung again on a new leg, answered: caller and agent talk.
    await vi.waitFor(() => expect(t.bridge(callId)?.channels).toEqual(expect.arrayContaining([channelId, expect.not.stringMatching(`^${leg}$`)])), { timeout: 15_000, interval: 20 });
    expect(t.bridge(callId)!.channels).toHaveLength(2);
    expect(t.heard(channelId).filter((p) => p.startsWith('welcome'))).toHaveLength(1);
    t.sim.hangupFromCaller(channelId);
    await t.untilAgent('a1', 'wrap-up');
    for (const events of await t.ticketsOf(callId)) {
      expect(events.filter((m) => m.type === 'call.ended').map((m) => m.body.data)).toEqual([expect.objectContaining({ outcome: 'completed' })]);
    }
  }, 120_000);

  it('a caller who hung up while no service ran: the agent they talked to is hung up and goes to wrap-up; a waiting one leaves the queue; each ends dropped, once', async () => {
    const t = await start();
    await t.agent('a1', 'agent1', ANSWERS);
    const first = await t.service();
    const talking = await t.callToQueue('13912340007');
    await vi.waitFor(async () => expect(await t.talkRecord(talking.callId)).toMatchObject({ agentId: 'a1' }), { timeout: 15_000, interval: 20 });
    const agentLeg = (await t.talkRecord(talking.callId)).agentChannel!;
    const waiting = await t.callToQueue('13912340008');
    await vi.waitFor(async () => expect(await t.queueEntry(waiting.callId)).toMatchObject({ state: 'waiting' }), { timeout: 10_000, interval: 20 });

    await first.kill();
    t.sim.hangupFromCaller(talking.channelId);
    t.sim.hangupFromCaller(waiting.channelId);
    await vi.waitFor(() => expect(t.sim.channels().map((c) => c.id)).not.toContain(waiting.channelId), { timeout: 5000, interval: 20 });
    await t.agent('a2', 'agent2', ANSWERS);
    await t.service();

    await t.untilAgent('a1', 'wrap-up');
    await vi.waitFor(() => expect(t.sim.channels().map((c) => c.id)).not.toContain(agentLeg), { timeout: 10_000, interval: 20 });
    expect(t.bridge(talking.callId)).toBeUndefined();
    expect(await t.talkRecord(talking.callId)).toEqual({});
    await vi.waitFor(async () => expect(await t.queueEntry(waiting.callId)).toEqual({}), { timeout: 10_000, interval: 20 });
    for (const { callId } of [talking, waiting]) {
      for (const events of await t.ticketsOf(callId)) {
        expect(events.filter((m) => m.type === 'call.ended').map((m) => m.body.data)).toEqual([expect.objectContaining({ outcome: 'dropped', endedBy: 'asterisk' })]);
      }
    }
    // Nobody was rung for the caller who had left.
    expect((await t.stateOf('a2'))?.kind).toBe('ready');
    await vi.waitFor(async () => expect(await t.figures()).toMatchObject({ offered: 2, answered: 1, handled: 1 }), { timeout: 5000, interval: 50 });
  }, 120_000);
});
