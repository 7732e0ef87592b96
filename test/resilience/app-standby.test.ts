/**
 * Two instances with the same Stasis app name and one Redis (hot standby on the app lease):
 * the first drives the app, the second stands by without ever connecting to Asterisk while
 * the first holds the lease (no ApplicationReplaced, trace s17). Callers in the menu, waiting
 * in the queue and talking to an agent; then the active instance
 *   - is killed (SIGKILL): the standby takes the app within seconds and resumes every call
 *     where it was, nothing handled twice (one call.ended per call at each sink, no agent
 *     with two calls);
 *   - is stopped for a rolling restart (SIGTERM): it hands the calls over to the standby
 *     instead of back to the dialplan (no `continue` request for any of them), none lost.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ServiceProcess } from '../calls/support/service-process.js';
import { LEASE_MS, useStandbyScene, type StandbyScene } from './support/standby-scene.js';

const scene = useStandbyScene('app-standby');
const ANSWERS = { kind: 'answer', afterMs: 100 } as const;

interface Callers {
  menu: { channelId: string; callId: string };
  waiting: { channelId: string; callId: string };
  talking: { channelId: string; callId: string; agentLeg: string };
}

/** The active instance, and the standby seen standing by (not ready, never connected). */
async function activeAndStandby(t: StandbyScene): Promise<{ active: ServiceProcess; standby: ServiceProcess }> {
  const active = t.start();
  await active.logged(/reconciled with Asterisk/);
  const standby = t.start();
  await standby.logged(/^standby: app hotline held by /);
  const ready = await t.readyz(standby);
  expect(ready.status).toBe(503);
  expect(ready.body.checks.ari).toEqual({ ok: false, reason: expect.stringMatching(/^standby: app hotline held by .+:\d+:/) });
  expect((await t.readyz(active)).body.checks.ari).toEqual({ ok: true });
  return { active, standby };
}

/** One caller talking to agent a1, one waiting (no agent free), one at the main menu; all at both sinks. */
async function callersInEveryPhase(t: StandbyScene): Promise<Callers> {
  await t.agent('a1', 'agent1', ANSWERS);
  const talk = await t.callToQueue('13912350001');
  await vi.waitFor(async () => expect(await t.talkRecord(talk.callId)).toMatchObject({ agentId: 'a1', callerChannel: talk.channelId }), { timeout: 15_000, interval: 20 });
  await vi.waitFor(() => expect(t.bridge(talk.callId)?.channels).toHaveLength(2), { timeout: 10_000, interval: 20 });
  const agentLeg = (await t.talkRecord(talk.callId)).agentChannel!;
  const waiting = await t.callToQueue('13912350002');
  await vi.waitFor(async () => expect(await t.queueEntry(waiting.callId)).toMatchObject({ state: 'waiting', queue: 'general' }), { timeout: 10_000, interval: 20 });
  const menu = await t.callToMenu('13912350003');
  // What a kill would catch before the outbox stored it is not what this test counts.
  await t.delivered(talk.callId, 'call.agent-answered');
  await t.delivered(waiting.callId, 'call.queued');
  for (const { channelId } of [talk, waiting, menu]) await t.deliveredSoFar(channelId);
  return { menu, waiting, talking: { ...talk, agentLeg } };
}

/** After the takeover: every call goes on where it was, and ends once. */
async function everyCallResumed(t: StandbyScene, callers: Callers): Promise<void> {
  const { menu, waiting, talking } = callers;
  // The menu caller hears the main menu again (not the greeting), and its keys work.
  await t.hear(menu.channelId, 'main-menu', 2);
  expect(t.heard(menu.channelId).filter((p) => p.startsWith('welcome'))).toHaveLength(1);
  // The talk is still bridged: caller and agent leg, agent a1 on the call.
  expect(t.bridge(talking.callId)?.channels).toEqual(expect.arrayContaining([talking.channelId, talking.agentLeg]));
  expect((await t.stateOf('a1'))?.kind).toBe('on-call');
  // The waiting caller is offered to the next agent to get ready, who answers and talks to them.
  await t.agent('a2', 'agent2', ANSWERS);
  await vi.waitFor(() => expect(t.bridge(waiting.callId)?.channels).toEqual(expect.arrayContaining([waiting.channelId, expect.stringMatching(`^offer-${waiting.callId}-`)])), { timeout: 15_000, interval: 20 });
  await t.untilAgent('a2', 'on-call');
  expect(await t.talkRecord(waiting.callId)).toMatchObject({ agentId: 'a2' });
  // No agent with two calls: each agent's talk is its one call.
  expect(await t.talkRecord(talking.callId)).toMatchObject({ agentId: 'a1' });
  expect(t.sim.bridges().filter((b) => (b as { channels: string[] }).channels.some((c) => c === talking.agentLeg))).toHaveLength(1);

  // Everyone hangs up: the agent of the first talk, the two callers.
  t.sim.hangupFromCaller(talking.agentLeg);
  await t.untilAgent('a1', 'wrap-up');
  t.sim.hangupFromCaller(waiting.channelId);
  await t.untilAgent('a2', 'wrap-up');
  t.sim.hangupFromCaller(menu.channelId);
  for (const callId of [talking.callId, waiting.callId, menu.callId]) {
    for (const types of await t.ticketsOf(callId)) {
      expect(types.filter((x) => x === 'call.started'), callId).toHaveLength(1);
      expect(types.filter((x) => x === 'call.ended'), callId).toHaveLength(1);
    }
  }
  for (const [channelId, outcome] of [[talking.channelId, 'completed'], [waiting.channelId, 'completed'], [menu.channelId, 'abandoned']] as const) {
    expect(await t.stored(channelId)).toMatchObject({ adopted: true, outcome });
  }
}

describe('two instances on one app name, one Redis', () => {
  it('the active killed: the standby takes the app within seconds and resumes every call, nothing handled twice', async () => {
    const t = await scene();
    const { active, standby } = await activeAndStandby(t);
    const callers = await callersInEveryPhase(t);
    // The standby never connected while the active held the lease: no ARI attempt, no takeover.
    expect(standby.count(/connecting to ARI/)).toBe(0);
    expect(t.replacements()).toBe(0);

    const killedAt = Date.now();
    await active.kill();
    await standby.logged(/reconciled with Asterisk/, 1, LEASE_MS + 15_000);
    const takeoverMs = Date.now() - killedAt;
    expect(standby.count(/adopting a call already in the app/)).toBe(3);
    expect((await t.readyz(standby)).body.checks.ari).toEqual({ ok: true });
    await everyCallResumed(t, callers);
    expect(t.replacements()).toBe(0);
    console.info(`takeover after SIGKILL: ${takeoverMs} ms (lease ${LEASE_MS} ms)`);
  }, 180_000);

  it('a rolling restart: SIGTERM hands the live calls over to the standby, none back to the dialplan', async () => {
    const t = await scene();
    const { active, standby } = await activeAndStandby(t);
    const callers = await callersInEveryPhase(t);
    const channels = [callers.menu.channelId, callers.waiting.channelId, callers.talking.channelId, callers.talking.agentLeg];

    const stoppedAt = Date.now();
    active.child.kill('SIGTERM');
    expect(await active.exited).toBe(0);
    // Nothing went back to the dialplan, nothing hung up by the instance that stopped.
    for (const id of channels) expect(t.asked(id).filter((r) => r === 'POST continue'), id).toEqual([]);
    expect(t.sim.channels().map((c) => c.id)).toEqual(expect.arrayContaining(channels));
    await standby.logged(/reconciled with Asterisk/, 1, LEASE_MS + 15_000);
    const takeoverMs = Date.now() - stoppedAt;
    expect(standby.count(/adopting a call already in the app/)).toBe(3);
    expect(active.count(/rolling restart: a standby waits for the app/)).toBe(1);
    expect(active.count(/hand-over complete/)).toBe(1);

    // The restarted instance stands by in its turn.
    const restarted = t.start();
    await restarted.logged(/^standby: app hotline held by /);
    await everyCallResumed(t, callers);
    expect(restarted.count(/connecting to ARI/)).toBe(0);
    expect(t.replacements()).toBe(0);
    // A standby stopped: it exits cleanly and leaves the holder's lease alone.
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    expect(restarted.count(/ARI app lease not released/)).toBe(1);
    expect((await t.readyz(standby)).body.checks.ari).toEqual({ ok: true });
    console.info(`hand-over on SIGTERM: the standby drove the app ${takeoverMs} ms after the signal`);
  }, 180_000);

  it('a lone instance started while Redis does not answer takes the free app and answers calls', async () => {
    const t = await scene();
    // A port nobody listens on: the lease cannot be asked, Asterisk says the app is free.
    const lone = t.start({ REDIS_URL: 'redis://127.0.0.1:1' });
    await lone.logged(/app lease: Redis does not answer/);
    await lone.logged(/reconciled with Asterisk/, 1, 30_000);
    expect(lone.line(/taking the ARI app/)).toMatchObject({ lease: 'Redis away, app free' });
    const caller = t.sim.placeCall({ from: '13912350009', dialled: '12345' }).id;
    await t.hear(caller, 'main-menu', 1);
    t.sim.hangupFromCaller(caller);
  }, 120_000);

  it('the active frozen past its lease (SIGSTOP) and woken: the standby has taken over; the old one stands by and, stopped, leaves every call alone', async () => {
    const t = await scene();
    const { active, standby } = await activeAndStandby(t);
    const callers = await callersInEveryPhase(t);
    const channels = [callers.menu.channelId, callers.waiting.channelId, callers.talking.channelId, callers.talking.agentLeg];

    active.child.kill('SIGSTOP');
    await standby.logged(/reconciled with Asterisk/, 1, LEASE_MS + 15_000);
    expect(standby.count(/adopting a call already in the app/)).toBe(3);
    // Woken: Asterisk tells it the app went to another connection; it stands by under a new token.
    active.child.kill('SIGCONT');
    await active.logged(/standby: another connection took the ARI app; waiting for the app lease/);
    expect(t.replacements()).toBe(1);
    await vi.waitFor(async () => expect((await t.readyz(active)).body.checks.ari).toEqual({ ok: false, reason: expect.stringMatching(/^standby: app hotline held by /) }), { timeout: 10_000, interval: 50 });
    expect((await t.readyz(standby)).body.checks.ari).toEqual({ ok: true });

    // Stopped now, as the standby it is: it leaves the calls it once held alone, no hand-back tried.
    active.child.kill('SIGTERM');
    expect(await active.exited).toBe(0);
    expect(active.count(/stopping a standby: no call is touched/)).toBe(1);
    expect(active.count(/could not hand the call back/)).toBe(0);
    for (const id of channels) expect(t.asked(id).filter((r) => r === 'POST continue'), id).toEqual([]);
    expect(t.sim.channels().map((c) => c.id)).toEqual(expect.arrayContaining(channels));
    await everyCallResumed(t, callers);
    expect(t.replacements()).toBe(1);
  }, 180_000);
});
