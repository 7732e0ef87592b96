/**
 * Two service instances against one Asterisk (the simulator) and one Redis, each with its
 * own Stasis app (Asterisk gives an app's events to one connection only: trace s17): 50
 * agents and 500 calls through the menu's queue node. Whichever instance routes a call, the
 * agent's phone rings into the instance holding the caller. No agent ever holds two calls,
 * no call is lost, and every call ends answered or abandoned with a complete record.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startAriSimulator } from '../../sim/index.js';
import type { AgentStateName, DomainEvent, DomainEventOf } from '../../src/calls/index.js';
import { ARI_PASSWORD, ARI_USER, eventually, startHarness, type Harness, type Simulator } from '../support/service-harness.js';
import { acdConfig } from './support/acd-calls.js';

const AGENTS = 50;
const CALLS = 500;
/** Every 10th caller gives up while waiting. */
const ABANDON_EVERY = 10;
const seats = Array.from({ length: AGENTS }, (_, i) => `seat${String(i + 1).padStart(2, '0')}`);

let sim: Simulator | undefined;
const services: Harness[] = [];
afterAll(async () => {
  await Promise.all(services.map((h) => h.close()));
  await sim?.close();
});

describe('two service instances, one Redis, one Asterisk', () => {
  it(`${AGENTS} agents and ${CALLS} calls: no agent holds two calls, every call ends answered or abandoned with its record`, { timeout: 180_000 }, async () => {
    sim = await startAriSimulator({
      port: 0,
      username: ARI_USER,
      password: ARI_PASSWORD,
      speed: 50,
      endpoints: Object.fromEntries(seats.map((s) => [s, { context: 'agents', allow: ['alaw', 'ulaw'] }])),
    });
    const keyPrefix = `test:two-services:${randomUUID()}:`;
    const config = await acdConfig((c) => {
      // Straight to the queue after no announcement: the test is about the ACD, not the menu.
      c.ivr!.mode = 'direct-to-human';
      for (const line of Object.values(c.ivr!.lines)) line.announcements = [];
      const general = c.acd!.queues.general!;
      general.wrapUpSeconds = 0;
      general.longestWaitSeconds = 3600;
      general.widening = [];
      general.minLevel = 1;
      delete c.acd!.virtualHold;
      c.acd!.callbacks.missedCalls.enabled = false;
    });
    for (const app of ['hotline-a', 'hotline-b']) services.push(await startHarness({ config, simulator: sim, keyPrefix, app }));
    const [a, b] = services as [Harness, Harness];
    const all: DomainEvent[] = [];
    for (const h of services) h.service.bus.onAny((e) => all.push(e));

    // Agents answer after a short ring; each talks a little, then hangs up its leg.
    for (const seat of seats) sim.registerEndpoint(seat, { phone: { kind: 'answer', afterMs: 100 } });
    for (const [i, seat] of seats.entries()) await services[i % 2]!.service.acd!.desk.login({ id: seat, displayName: seat, endpoint: `PJSIP/${seat}`, skills: { general: 1 + (i % 9) } });
    for (const h of services) {
      h.service.bus.on('call.agent-answered', (e) => {
        const agentLeg = sim!.channels().find((c) => String(c.id).startsWith(`offer-${e.callId}-`) && c.state === 'Up')?.id as string | undefined;
        expect(agentLeg, `the agent leg of ${e.callId}`).toBeDefined();
        setTimeout(() => tryHangup(agentLeg!), 500 + Math.random() * 1000);
      });
    }

    // Those who give up do so once queued, while waiting (or while an agent's phone rings).
    const abandoning = new Set<string>();
    for (const h of services) {
      h.service.bus.on('call.queued', (e) => {
        const channelId = h.record(e.callId)?.channelId;
        if (channelId && abandoning.has(channelId)) setTimeout(() => tryHangup(channelId), 10);
      });
    }

    // Calls arrive a few at a time, alternating between the two apps (as a SIP load balancer would).
    const channels: string[] = [];
    for (let i = 0; i < CALLS; i++) {
      const from = `139${String(10_000_000 + i).padStart(8, '0')}`;
      const channel = sim.placeCall({ from, dialled: '12345', app: i % 2 === 0 ? 'hotline-a' : 'hotline-b' });
      channels.push(channel.id);
      if (i % ABANDON_EVERY === ABANDON_EVERY - 1) abandoning.add(channel.id);
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 200));
    }

    const endedOn = (h: Harness, channelId: string) => h.events.find((e): e is DomainEventOf<'call.ended'> => e.type === 'call.ended' && e.data.channelId === channelId);
    await eventually(() => channels.every((c) => endedOn(a, c) ?? endedOn(b, c)), 150_000, `all ${CALLS} calls ended`);

    // The last agents are released just after their calls end: wait until all are ready.
    await vi.waitFor(async () => expect((await a.service.acd!.core.agents.countByState()).ready).toBe(AGENTS), { timeout: 15_000, interval: 50 });

    // Every call: answered by an agent (completed) or abandoned, with the record saying so.
    const outcomes = { answered: 0, abandoned: 0 };
    for (const channelId of channels) {
      const h = endedOn(a, channelId) ? a : b;
      const ended = endedOn(h, channelId)!;
      const record = h.record(ended.callId)!;
      if (ended.data.outcome === 'completed') {
        expect(record.queue).toMatchObject({ queue: 'general', result: 'answered' });
        expect(record.queue!.agentId).toMatch(/^seat\d\d$/);
        outcomes.answered += 1;
      } else {
        expect(ended.data.outcome, `call on ${channelId}`).toBe('abandoned');
        expect(record.queue).toMatchObject({ queue: 'general', result: 'abandoned' });
        outcomes.abandoned += 1;
      }
    }
    expect(outcomes.answered + outcomes.abandoned).toBe(CALLS);
    expect(outcomes.answered).toBeGreaterThanOrEqual(CALLS - CALLS / ABANDON_EVERY);
    // The agents were the bottleneck: callers waited for them (so picks raced for agents).
    const waits = [...services].flatMap((h) => h.events.filter((e): e is DomainEventOf<'call.agent-answered'> => e.type === 'call.agent-answered').map((e) => e.data.waitedMs));
    expect(waits.filter((ms) => ms > 200).length).toBeGreaterThan(10);
    // Both instances routed and both held callers.
    expect(a.events.some((e) => e.type === 'call.agent-answered')).toBe(true);
    expect(b.events.some((e) => e.type === 'call.agent-answered')).toBe(true);

    // No agent ever held two calls: replayed in version order (whichever instance made each
    // change), every agent's states follow the state machine, one call at a time.
    const changes = all.filter((e): e is DomainEventOf<'agent.state-changed'> => e.type === 'agent.state-changed');
    for (const seat of seats) {
      const mine = changes.filter((e) => e.data.agentId === seat).sort((x, y) => x.data.version - y.data.version);
      let current: { state: AgentStateName; callId: string | null } = { state: 'offline', callId: null };
      for (const change of mine) {
        expect(change.data.from, `${seat} v${change.data.version}`).toBe(current.state);
        if (change.data.to === 'on-call') expect(change.data.callId).toBe(current.callId);
        if (change.data.to === 'ringing') expect(current.state).toBe('ready');
        current = { state: change.data.to, callId: change.data.callId };
      }
      // Versions are consecutive: no change was made unseen.
      mine.forEach((e, i) => i > 0 && expect(e.data.version).toBe(mine[i - 1]!.data.version + 1));
      expect(current.state).toBe('ready');
    }
    // Each answered call went to exactly one agent, once.
    const answeredBy = new Map<string, string[]>();
    for (const e of all) if (e.type === 'call.agent-answered') answeredBy.set(e.callId, [...(answeredBy.get(e.callId) ?? []), e.data.agentId]);
    for (const agents of answeredBy.values()) expect(agents).toHaveLength(1);
    expect(answeredBy.size).toBe(outcomes.answered);
  });
});

function tryHangup(channelId: string): void {
  try {
    sim?.hangupFromCaller(channelId);
  } catch {
    // Gone already (the other side hung up first).
  }
}
