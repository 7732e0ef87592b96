/**
 * Redis stopped under load (issue 14): the whole service on a redis-server of its own, three
 * ACD agents answering, and a steady stream of citizens calling (in the menu, waiting in the
 * general queue, talking to agents, pressing 9 for 110). Redis is killed with SIGKILL while
 * calls keep arriving, and started again empty on the same port, as after a crash of a Redis
 * run without persistence.
 *
 * While Redis is away: every new call is answered and hears its menu; the emergency key puts
 * the caller through to 110 with the caller's number; a caller pressing for an agent goes to
 * the dialplan's queue, counted in hotline_acd_fallbacks_total; callers already talking stay
 * bridged and their calls end properly when they hang up; /readyz says redis is down while
 * /healthz answers; nothing is left unhandled. When Redis is back: readiness returns, the ACD
 * writes back what it holds (waiting callers in their places, talks and their agents on-call),
 * agents logged in again are offered the callers who waited through the outage first, then
 * new callers, and every call event, those accepted during the outage included, reaches both
 * ticket backend sinks once, in order per call.
 */
import { describe, expect, it, vi } from 'vitest';
import { SINKS } from '../crm-bridge/harness.js';
import { agentProfile, callIdOf, talkBridge } from '../acd/support/acd-calls.js';
import { agentMoves, offeredTo } from '../acd/support/acd-scenarios.js';
import { redisServerAvailable } from '../support/redis-process.js';
import { channelVars, healthStatus, metricValue, processFaults, readiness, watchRequests } from './support/outage-readers.js';
import { AGENTS, PACE_MS, emergenciesReach110, endpointOf, inMenu, sessionOf, talking, everyEventDeliveredOnce, useOutageService, waiting } from './support/outage-service.js';

const { service, backend: reference, startRedis, startStream, stopStream } = useOutageService();

describe.skipIf(!redisServerAvailable())('Redis stopped under load', () => {
  it('emergency transfers work, callers get the dialplan queue, nothing crashes, and the ACD and the ticket bridge catch up when Redis returns empty', { timeout: 150_000 }, async () => {
    const faults = processFaults();
    const redis = await startRedis();
    const h = await service(redis.url);
    const asked = watchRequests(h);
    try {
      await vi.waitFor(async () => expect((await readiness(h)).status).toBe(200), { timeout: 15_000, interval: 100 });

      // Redis up: the stream fills the centre — every agent talking, callers waiting, callers in the menu.
      const s = startStream(h);
      s.start(PACE_MS);
      await vi.waitFor(() => {
        expect(s.citizens.filter((c) => talking(h, c))).toHaveLength(AGENTS.length);
        expect(s.citizens.filter((c) => waiting(h, c)).length).toBeGreaterThanOrEqual(8);
        expect(s.citizens.filter(inMenu).length).toBeGreaterThanOrEqual(4);
      }, { timeout: 30_000, interval: 50 });
      const talkers = s.citizens.filter((c) => talking(h, c));
      if (process.env.OUTAGE_FIGURES) console.log(`at the kill: ${talkers.length} talking, ${s.citizens.filter((c) => waiting(h, c)).length} waiting, ${s.citizens.filter(inMenu).length} in the menu, ${h.service.calls.size} calls alive`);
      const fallbacksBefore = await metricValue(h, 'hotline_acd_fallbacks_total');
      expect(fallbacksBefore).toBe(0);

      // Redis dies while calls keep coming.
      await redis.kill();
      s.phase = 'redis-down';
      await vi.waitFor(() => {
        expect(s.of({ kind: 'queue', pressedIn: 'redis-down' }).length).toBeGreaterThanOrEqual(10);
        expect(s.of({ kind: 'emergency', pressedIn: 'redis-down' }).length).toBeGreaterThanOrEqual(3);
        expect(s.of({ kind: 'menu', pressedIn: 'redis-down' }).length).toBeGreaterThanOrEqual(2);
      }, { timeout: 40_000, interval: 50 });
      // Arrivals pause while the outage's callers are counted, so the count holds still; they resume before Redis returns.
      s.pause();
      await vi.waitFor(() => expect(s.menuNotHeard('redis-down')).toEqual([]), { timeout: 15_000, interval: 50 });

      const report = await readiness(h);
      expect(report.status).toBe(503);
      expect(report.checks.redis).toMatchObject({ ok: false });
      expect(await healthStatus(h)).toBe(200);

      // 110 is reached with the caller's number; the service itself bridges them.
      expect(await emergenciesReach110(h, s, 'redis-down', asked)).toBeGreaterThanOrEqual(2);

      // Every caller who pressed 0 while Redis was away is handed to the dialplan's queue, told the queue.
      await vi.waitFor(() => expect(s.citizens.filter((c) => c.kind !== 'menu' && !c.pressedIn)).toEqual([]), { timeout: 15_000, interval: 50 });
      const outageQueue = s.of({ kind: 'queue', pressedIn: 'redis-down' });
      for (const c of outageQueue) {
        expect((await h.ended(c.channelId, 15_000)).data.outcome).toBe('transferred');
        expect(asked.continuedTo(c.channelId)).toEqual(['hotline-ivr-handoff/queue']);
        expect(h.record(callIdOf(h, c.channelId))?.queue).toMatchObject({ queue: 'general', result: 'fallback' });
      }
      const vars = channelVars(h);
      for (const c of outageQueue) expect(vars.get(c.channelId)).toMatchObject({ HOTLINE_QUEUE: 'general', HOTLINE_CALL_ID: callIdOf(h, c.channelId) });
      const fellBack = (): number => s.citizens.filter((c) => h.events.some((e) => e.type === 'call.ended' && e.data.channelId === c.channelId) && h.record(callIdOf(h, c.channelId))?.queue?.result === 'fallback').length;
      expect(fellBack()).toBeGreaterThanOrEqual(outageQueue.length);
      expect(await metricValue(h, 'hotline_acd_fallbacks_total')).toBe(fellBack());
      if (process.env.OUTAGE_FIGURES) console.log(`outage: ${s.of({ phase: 'redis-down' }).length} calls placed, ${fellBack()} to the dialplan queue, ${s.of({ kind: 'emergency', pressedIn: 'redis-down' }).length} to 110, ${h.service.calls.size} calls alive`);

      // Half the talkers hang up during the outage: each call ends, the agent's leg and the talk bridge go.
      const [leavingNow, stayingOn] = [talkers.slice(0, 2), talkers.slice(2)];
      const stayingOnAgents = stayingOn.map((c) => sessionOf(h, c)!.record.queue!.agentId!);
      for (const c of stayingOn) expect(talkBridge(h, callIdOf(h, c.channelId))?.channels).toHaveLength(2);
      for (const c of leavingNow) {
        s.hangUp(c);
        const ended = await h.ended(c.channelId);
        expect(h.record(ended.callId)?.queue?.result).toBe('answered');
        await vi.waitFor(() => expect(talkBridge(h, ended.callId)).toBeUndefined(), { timeout: 10_000, interval: 50 });
        await vi.waitFor(() => expect(h.sim.channels().filter((ch) => String(ch.id).startsWith(`offer-${ended.callId}-`))).toEqual([]), { timeout: 10_000, interval: 50 });
      }

      // Redis returns, empty (a crash of a Redis without persistence), calls coming again.
      const waitedThrough = s.citizens.filter((c) => waiting(h, c));
      s.start(PACE_MS);
      await redis.start();
      s.phase = 'redis-back';
      await vi.waitFor(async () => expect((await readiness(h)).status).toBe(200), { timeout: 20_000, interval: 100 });
      // Their agents are known on-call again (the ACD wrote the talks back to the empty Redis).
      await vi.waitFor(async () => {
        for (const agentId of stayingOnAgents) expect((await h.service.acd!.desk.get(agentId))?.state.kind).toBe('on-call');
      }, { timeout: 15_000, interval: 100 });
      // The callers still talking stayed bridged throughout, and end properly now.
      for (const c of stayingOn) {
        expect(talkBridge(h, callIdOf(h, c.channelId))?.channels).toHaveLength(2);
        s.hangUp(c);
        const ended = await h.ended(c.channelId);
        expect(h.record(ended.callId)?.queue?.result).toBe('answered');
        await vi.waitFor(() => expect(talkBridge(h, ended.callId)).toBeUndefined(), { timeout: 10_000, interval: 50 });
      }

      // An empty Redis has forgotten every login: the agents show as unknown until they log in
      // again, or as logged out when written back on the call that went on (and has ended since).
      await vi.waitFor(async () => {
        for (const agentId of AGENTS) {
          const writtenBack = stayingOnAgents.includes(agentId);
          expect((await h.service.acd!.desk.get(agentId))?.state.kind ?? null).toBe(writtenBack ? 'offline' : null);
        }
      }, { timeout: 10_000, interval: 100 });
      for (const agentId of AGENTS) await h.service.acd!.desk.login({ id: agentId, ...agentProfile(endpointOf(agentId)) });
      // The callers who waited through the outage are served first (each leaves once answered);
      // then new callers reach an agent through the ACD too.
      await vi.waitFor(() => {
        for (const c of s.citizens) if (talking(h, c)) s.hangUp(c);
        const served = s.of({ kind: 'queue', pressedIn: 'redis-back' }).filter((c) => sessionOf(h, c) && offeredTo(h, callIdOf(h, c.channelId)).length > 0);
        expect(served.length).toBeGreaterThanOrEqual(2);
      }, { timeout: 45_000, interval: 100 });
      expect(waitedThrough.filter((c) => h.record(callIdOf(h, c.channelId))?.queue?.result !== 'answered').map((c) => c.n)).toEqual([]);
      await emergenciesReach110(h, s, 'redis-back', asked);
      s.pause();
      await vi.waitFor(() => expect(s.menuNotHeard('redis-back')).toEqual([]), { timeout: 15_000, interval: 50 });

      // Everyone leaves; then every event of every call is at both sinks once, in the call's order.
      const callIds = await everyEventDeliveredOnce(h, s, reference());
      // None refused: the outage's events all waited in the bridge's buffer.
      expect(await metricValue(h, 'crm_bridge_events_refused_total')).toBe(0);
      if (process.env.OUTAGE_FIGURES) console.log(`sinks: ${callIds.length} calls, ${SINKS.map((sink) => `${sink} ${reference().recorder(sink).messages.length} events (+${reference().recorder(sink).duplicates} repeats)`).join(', ')}`);
      expect(faults.faults).toEqual([]);
    } finally {
      // Before the scenario's own clean-up hangs every call up.
      stopStream();
      asked.stop();
      faults.remove();
    }
  });

  // Found by the test above: with Redis back empty and the agents logged in again, the callers
  // who were waiting in the queue when Redis died (their entries lost with Redis, the calls
  // still held by the service, on music on hold) were not offered to an agent, while callers
  // arriving after the return were: nothing put them back in the queue. On Redis's return the
  // engine now writes back the waits it holds (src/acd/engine/redis-return.ts), in their places.
  it('callers waiting in a queue when Redis died are offered to an agent once Redis is back empty and agents log in again', { timeout: 150_000 }, async () => {
    const faults = processFaults();
    const redis = await startRedis();
    const h = await service(redis.url);
    try {
      await vi.waitFor(async () => expect((await readiness(h)).status).toBe(200), { timeout: 15_000, interval: 100 });
      const s = startStream(h, 13720000000);
      s.start(PACE_MS);
      await vi.waitFor(() => {
        expect(s.citizens.filter((c) => talking(h, c))).toHaveLength(AGENTS.length);
        expect(s.citizens.filter((c) => waiting(h, c)).length).toBeGreaterThanOrEqual(AGENTS.length + 1);
      }, { timeout: 30_000, interval: 50 });
      s.pause();
      const talkers = s.citizens.filter((c) => talking(h, c));

      await redis.kill();
      await vi.waitFor(async () => expect((await readiness(h)).status).toBe(503), { timeout: 15_000, interval: 100 });
      // The talkers hang up while Redis is away: every agent is free when it returns.
      for (const c of talkers) {
        s.hangUp(c);
        await h.ended(c.channelId);
      }
      const byWait = s.citizens.filter((c) => waiting(h, c)).sort((x, y) => Date.parse(sessionOf(h, x)!.record.queue!.enqueuedAt) - Date.parse(sessionOf(h, y)!.record.queue!.enqueuedAt));
      expect(byWait.length).toBeGreaterThanOrEqual(AGENTS.length + 1);

      await redis.start();
      await vi.waitFor(async () => expect((await readiness(h)).status).toBe(200), { timeout: 20_000, interval: 100 });
      for (const agentId of AGENTS) await h.service.acd!.desk.login({ id: agentId, ...agentProfile(endpointOf(agentId)) });
      // The callers who waited through the outage are offered first, the longest waiting first.
      await vi.waitFor(() => expect(byWait.filter((c) => talking(h, c)).map((c) => c.n)).toEqual(byWait.slice(0, AGENTS.length).map((c) => c.n)), { timeout: 30_000, interval: 100 });
      expect(byWait.slice(AGENTS.length).every((c) => waiting(h, c))).toBe(true);

      await everyEventDeliveredOnce(h, s, reference());
      expect(faults.faults).toEqual([]);
    } finally {
      stopStream();
      faults.remove();
    }
  });

  // Found alongside: an agent still talking when Redis came back empty had no state there
  // (desk.get answered nothing), could log in again while the call went on, and was then
  // offered the next caller on top of the call it was in. The service holds the live talk (the
  // waiting call knows the agent and the bridge call-<callId>): on Redis's return it now writes
  // the talk record and the agent, on-call with that call, back (redis-return.ts); a login then
  // gives the agent's profile and keeps the call (agent-login.lua).
  it('an agent talking when Redis returns empty is known as on-call again, not offered a second caller after logging in again', { timeout: 150_000 }, async () => {
    const faults = processFaults();
    const redis = await startRedis();
    const h = await service(redis.url);
    try {
      await vi.waitFor(async () => expect((await readiness(h)).status).toBe(200), { timeout: 15_000, interval: 100 });
      const s = startStream(h, 13730000000);
      s.start(PACE_MS);
      await vi.waitFor(() => {
        expect(s.citizens.filter((c) => talking(h, c))).toHaveLength(AGENTS.length);
        expect(s.citizens.filter((c) => waiting(h, c)).length).toBeGreaterThanOrEqual(2);
      }, { timeout: 30_000, interval: 50 });
      s.pause();
      const talkers = s.citizens.filter((c) => talking(h, c));
      const talks = talkers.map((c) => ({ citizen: c, callId: callIdOf(h, c.channelId), agentId: sessionOf(h, c)!.record.queue!.agentId! }));
      const byWait = s.citizens.filter((c) => waiting(h, c)).sort((x, y) => Date.parse(sessionOf(h, x)!.record.queue!.enqueuedAt) - Date.parse(sessionOf(h, y)!.record.queue!.enqueuedAt));

      await redis.kill();
      await vi.waitFor(async () => expect((await readiness(h)).status).toBe(503), { timeout: 15_000, interval: 100 });
      await redis.start();
      await vi.waitFor(async () => expect((await readiness(h)).status).toBe(200), { timeout: 20_000, interval: 100 });
      const eventsAtReturn = h.events.length;
      const { redis: acdRedis, keys } = h.service.acd!.core;
      // Every agent still talking is known on-call with its call again, and its talk record is back.
      await vi.waitFor(async () => {
        for (const t of talks) {
          expect((await h.service.acd!.desk.get(t.agentId))?.state).toMatchObject({ kind: 'on-call', callId: t.callId });
          expect(await acdRedis.hgetall(keys.talk(t.callId))).toMatchObject({ agentId: t.agentId, bridge: `call-${t.callId}` });
        }
      }, { timeout: 20_000, interval: 100 });
      // They log in again (their desks come back): the call goes on, they are not made ready.
      for (const t of talks) await h.service.acd!.desk.login({ id: t.agentId, ...agentProfile(endpointOf(t.agentId)) });
      for (const t of talks) expect((await h.service.acd!.desk.get(t.agentId))?.state).toMatchObject({ kind: 'on-call', callId: t.callId });
      // One talk ends: its agent goes through wrap-up and is offered the caller who has waited longest ...
      const [ending, ...going] = talks;
      s.hangUp(ending!.citizen);
      await h.ended(ending!.citizen.channelId);
      await vi.waitFor(() => expect(talking(h, byWait[0]!)).toBe(true), { timeout: 30_000, interval: 100 });
      expect(sessionOf(h, byWait[0]!)!.record.queue!.agentId).toBe(ending!.agentId);
      expect(agentMoves(h, ending!.agentId).slice(-4)).toEqual(['wrap-up', 'ready', 'ringing', 'on-call']);
      // ... while the agents still talking were offered nothing since Redis came back.
      const offeredSince = h.events.slice(eventsAtReturn).filter((e) => e.type === 'call.offered').map((e) => (e.data as { agentId: string }).agentId);
      expect(offeredSince.filter((agentId) => going.some((t) => t.agentId === agentId))).toEqual([]);
      for (const t of going) expect((await h.service.acd!.desk.get(t.agentId))?.state).toMatchObject({ kind: 'on-call', callId: t.callId });

      await everyEventDeliveredOnce(h, s, reference());
      expect(faults.faults).toEqual([]);
    } finally {
      stopStream();
      faults.remove();
    }
  });
});
