/**
 * Redis stopped under load and back with its data (issue 14): as production runs it (an
 * append-only file), a Redis that crashed comes back with what it had stored. The centre is
 * full when it dies (agents talking, callers waiting, callers in the menu), calls keep
 * arriving while it is away and get the dialplan's queue, and some talkers hang up meanwhile,
 * so their agents' ends of call could not be stored. Once Redis is back: those ends of call are
 * written (the agents go through wrap-up), the callers who were waiting keep their places and
 * are offered first, an agent whose call ended after the return goes through wrap-up as usual,
 * new callers queue through the ACD again, and every call event reaches both sinks once, in
 * order per call.
 */
import { describe, expect, it, vi } from 'vitest';
import { agentProfile, agentState, callIdOf, untilAgent } from '../acd/support/acd-calls.js';
import { agentMoves } from '../acd/support/acd-scenarios.js';
import { redisServerAvailable } from '../support/redis-process.js';
import type { Citizen } from './support/citizen-stream.js';
import { processFaults, readiness, watchRequests } from './support/outage-readers.js';
import { AGENTS, PACE_MS, inMenu, sessionOf, talking, everyEventDeliveredOnce, useOutageService, waiting } from './support/outage-service.js';

const { service, backend: reference, startRedis, startStream, stopStream } = useOutageService();

describe.skipIf(!redisServerAvailable())('Redis stopped under load, back with its data', () => {
  it('the callers who waited through the outage are offered first, in their order, new callers queue again, every event reaches the sinks once', { timeout: 150_000 }, async () => {
    const faults = processFaults();
    const redis = await startRedis({ durable: true });
    const h = await service(redis.url);
    const asked = watchRequests(h);
    try {
      await vi.waitFor(async () => expect((await readiness(h)).status).toBe(200), { timeout: 15_000, interval: 100 });
      const s = startStream(h, 13700000000);
      s.start(PACE_MS);
      await vi.waitFor(() => {
        expect(s.citizens.filter((c) => talking(h, c))).toHaveLength(AGENTS.length);
        expect(s.citizens.filter((c) => waiting(h, c)).length).toBeGreaterThanOrEqual(4);
        expect(s.citizens.filter(inMenu).length).toBeGreaterThanOrEqual(2);
      }, { timeout: 30_000, interval: 50 });
      const talkers = s.citizens.filter((c) => talking(h, c));
      const agentOf = (c: Citizen): string => sessionOf(h, c)!.record.queue!.agentId!;

      await redis.kill();
      s.phase = 'redis-down';
      await vi.waitFor(() => expect(s.of({ kind: 'queue', pressedIn: 'redis-down' }).length).toBeGreaterThanOrEqual(4), { timeout: 40_000, interval: 50 });
      s.pause();
      await vi.waitFor(() => expect(s.citizens.filter((c) => c.kind !== 'menu' && !c.pressedIn)).toEqual([]), { timeout: 15_000, interval: 50 });
      for (const c of s.of({ kind: 'queue', pressedIn: 'redis-down' })) {
        expect((await h.ended(c.channelId, 15_000)).data.outcome).toBe('transferred');
        expect(asked.continuedTo(c.channelId)).toEqual(['hotline-ivr-handoff/queue']);
      }
      // Two talkers hang up while Redis is away: their agents' wrap-up cannot be stored now.
      const [leavingNow, stayingOn] = [talkers.slice(0, 2), talkers.slice(2)];
      const freed = leavingNow.map(agentOf);
      for (const c of leavingNow) {
        s.hangUp(c);
        await h.ended(c.channelId);
      }
      const waitingAtReturn = s.citizens.filter((c) => waiting(h, c));
      expect(waitingAtReturn.length).toBeGreaterThanOrEqual(4);
      const byWait = [...waitingAtReturn].sort((x, y) => Date.parse(sessionOf(h, x)!.record.queue!.enqueuedAt) - Date.parse(sessionOf(h, y)!.record.queue!.enqueuedAt));
      const talkingNow = (): number[] => byWait.filter((c) => talking(h, c)).map((c) => c.n);

      await redis.start();
      s.phase = 'redis-back';
      await vi.waitFor(async () => expect((await readiness(h)).status).toBe(200), { timeout: 20_000, interval: 100 });
      // The waiting callers kept their places: the agents whose callers hung up while Redis was
      // away, through wrap-up once their ends of call are written, are offered the two who have
      // waited longest; the others still wait.
      await vi.waitFor(() => expect(talkingNow()).toEqual(byWait.slice(0, 2).map((c) => c.n)), { timeout: 20_000, interval: 100 });
      expect(new Set(byWait.slice(0, 2).map(agentOf))).toEqual(new Set(freed));
      expect(byWait.slice(2).every((c) => waiting(h, c))).toBe(true);
      // The agent whose caller stayed on through the outage goes to wrap-up and back to ready as usual.
      const lastAgent = agentOf(stayingOn[0]!);
      for (const c of stayingOn) {
        s.hangUp(c);
        await h.ended(c.channelId);
      }
      await untilAgent(h, lastAgent, 'wrap-up');
      // The queue kept its callers in their order: an agent logging in now and the one back from
      // wrap-up are offered the next two who have waited longest.
      h.sim.registerEndpoint('agent1', { phone: { kind: 'answer', afterMs: 100 } });
      await h.service.acd!.desk.login({ id: 'a2001', ...agentProfile('agent1') });
      await vi.waitFor(() => expect(talkingNow()).toEqual(byWait.slice(0, 4).map((c) => c.n)), { timeout: 20_000, interval: 100 });
      expect(new Set(byWait.slice(2, 4).map(agentOf))).toEqual(new Set([lastAgent, 'a2001']));
      // New callers queue behind them through the ACD again (no hand-off to the dialplan).
      s.start(PACE_MS);
      await vi.waitFor(() => expect(s.of({ kind: 'queue', pressedIn: 'redis-back' }).filter((c) => waiting(h, c)).length).toBeGreaterThanOrEqual(2), { timeout: 20_000, interval: 100 });
      expect(s.of({ kind: 'queue', pressedIn: 'redis-back' }).filter((c) => asked.continuedTo(c.channelId).length > 0)).toEqual([]);
      s.pause();

      await everyEventDeliveredOnce(h, s, reference());
      expect(faults.faults).toEqual([]);
    } finally {
      stopStream();
      asked.stop();
      faults.remove();
    }
  });

  // Found by the test above: an agent whose caller hung up while Redis was away stayed
  // `on-call` for good once Redis was back with its data. The engine's move to wrap-up
  // (WaitingCall.changeAgent → agents.apply hang-up) failed once (the ACD connection fails a
  // command fast while Redis is away: MaxRetriesPerRequestError or "Command timed out"), was
  // logged as "agent state not changed" and never tried again. Such writes now wait for Redis
  // (src/acd/engine/unstored-changes.ts) and are written when it returns (redis-return.ts).
  it('an agent whose caller hung up while Redis was away is back in wrap-up or ready once Redis returns with its data', { timeout: 120_000 }, async () => {
    const faults = processFaults();
    const redis = await startRedis({ durable: true });
    const h = await service(redis.url);
    try {
      await vi.waitFor(async () => expect((await readiness(h)).status).toBe(200), { timeout: 15_000, interval: 100 });
      const s = startStream(h, 13710000000);
      s.start(PACE_MS);
      await vi.waitFor(() => expect(s.citizens.filter((c) => talking(h, c))).toHaveLength(AGENTS.length), { timeout: 30_000, interval: 50 });
      s.pause();
      const talkers = s.citizens.filter((c) => talking(h, c));
      const agentOf = (c: Citizen): string => sessionOf(h, c)!.record.queue!.agentId!;

      await redis.kill();
      await vi.waitFor(async () => expect((await readiness(h)).status).toBe(503), { timeout: 15_000, interval: 100 });
      // Two talkers hang up while Redis is away: their calls end, their agents' wrap-up cannot be stored now.
      const leavingNow = talkers.slice(0, 2);
      const freed = leavingNow.map(agentOf);
      const stillTalking = agentOf(talkers[2]!);
      const endedCalls = leavingNow.map((c) => callIdOf(h, c.channelId));
      for (const c of leavingNow) {
        s.hangUp(c);
        await h.ended(c.channelId);
      }

      // Their agents' moves to wrap-up failed and wait for Redis (not merely slow: refused for the outage).
      await vi.waitFor(() => {
        const unstored = h.service.acd!.engine.unstored.list();
        for (const callId of endedCalls) expect(unstored).toContainEqual({ what: 'agent state', callId });
      }, { timeout: 15_000, interval: 50 });
      const movesBefore = new Map(freed.map((agentId) => [agentId, agentMoves(h, agentId).length]));
      await redis.start();
      await vi.waitFor(async () => expect((await readiness(h)).status).toBe(200), { timeout: 20_000, interval: 100 });
      // Their ends of call are written once Redis is back: each goes to wrap-up (and on, as usual:
      // ready, then maybe the next waiting caller), not on-call for good.
      await vi.waitFor(() => {
        for (const agentId of freed) expect(agentMoves(h, agentId).slice(movesBefore.get(agentId))[0]).toBe('wrap-up');
      }, { timeout: 20_000, interval: 100 });
      // The agent still talking stays on-call.
      expect(await agentState(h, stillTalking)).toBe('on-call');
      // Everyone leaves (the events' delivery through such an outage is the test above's).
      for (const c of s.citizens) s.hangUp(c);
      await vi.waitFor(() => expect(h.service.calls.size).toBe(0), { timeout: 20_000, interval: 50 });
      expect(faults.faults).toEqual([]);
    } finally {
      stopStream();
      faults.remove();
    }
  });
});
