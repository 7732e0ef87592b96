/**
 * Redis stopped under load and back with its data (issue 14): as production runs it (an
 * append-only file), a Redis that crashed comes back with what it had stored. The centre is
 * full when it dies (agents talking, callers waiting, callers in the menu), calls keep
 * arriving while it is away and get the dialplan's queue, and some talkers hang up meanwhile,
 * so their agents' ends of call could not be stored. Once Redis is back: the callers who were
 * waiting keep their places and are offered first, an agent whose call ended after the return
 * goes through wrap-up as usual, new callers queue through the ACD again, and every call event
 * reaches both sinks once, in order per call.
 */
import { describe, expect, it, vi } from 'vitest';
import { agentProfile, untilAgent } from '../acd/support/acd-calls.js';
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
      for (const c of leavingNow) {
        s.hangUp(c);
        await h.ended(c.channelId);
      }
      const waitingAtReturn = s.citizens.filter((c) => waiting(h, c));
      expect(waitingAtReturn.length).toBeGreaterThanOrEqual(4);

      await redis.start();
      s.phase = 'redis-back';
      await vi.waitFor(async () => expect((await readiness(h)).status).toBe(200), { timeout: 20_000, interval: 100 });
      // The waiting callers are still in the queue, their places kept.
      expect(waitingAtReturn.every((c) => waiting(h, c))).toBe(true);
      // The agent whose caller stayed on through the outage goes to wrap-up and back to ready as usual.
      const lastAgent = agentOf(stayingOn[0]!);
      for (const c of stayingOn) {
        s.hangUp(c);
        await h.ended(c.channelId);
      }
      await untilAgent(h, lastAgent, 'wrap-up');
      // The queue kept its callers in their order: an agent logging in now and the one back from
      // wrap-up are offered the two who have waited longest.
      h.sim.registerEndpoint('agent1', { phone: { kind: 'answer', afterMs: 100 } });
      await h.service.acd!.desk.login({ id: 'a2001', ...agentProfile('agent1') });
      const byWait = [...waitingAtReturn].sort((x, y) => Date.parse(sessionOf(h, x)!.record.queue!.enqueuedAt) - Date.parse(sessionOf(h, y)!.record.queue!.enqueuedAt));
      await vi.waitFor(() => expect(byWait.filter((c) => talking(h, c)).map((c) => c.n)).toEqual(byWait.slice(0, 2).map((c) => c.n)), { timeout: 20_000, interval: 100 });
      expect(new Set(byWait.slice(0, 2).map(agentOf))).toEqual(new Set([lastAgent, 'a2001']));
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

  // Found by the test above: an agent whose caller hung up while Redis was away stays `on-call`
  // in Redis for good once it is back with its data. The engine's move to wrap-up
  // (WaitingCall.changeAgent → agents.apply hang-up, src/acd/engine/waiting-call.ts) fails once,
  // is logged as "agent state not changed" and never tried again, and the sweeper
  // (src/acd/engine/agent-sweeper.ts) looks only at wrap-ups and rings. The agent is never
  // offered another call, cannot log out (refused from on-call) nor log in again (already
  // logged in). Kept open here until src/acd/engine settles it.
  it.todo('an agent whose caller hung up while Redis was away is back in wrap-up or ready once Redis returns with its data');
});
