/**
 * Two Asterisk nodes (two simulators, each its own app: hotline-a on node A, hotline-b on
 * node B), one Redis, two service instances. A call held on node B and picked by node A's
 * instance is handed to node B's instance, which places the agent leg on node B (node A has
 * no app hotline-b to originate into). With node B's instance gone before it takes the
 * hand-off, node A releases the pick within the hand-off timeout: the call is back at the
 * head of its queue, the agent ready again, and the call is offered again; never twice at once.
 *
 * What stands in for Kamailio: agents are rung through the proxy endpoint (acd.agentsVia:
 * `PJSIP/1001@kamailio-agents`, as deploy/README.md sets up), and on each simulator a
 * behaviour rule for that dial string answers as the agent's one registration at Kamailio
 * would, whichever node sends the INVITE. So the seat is reachable from both nodes, and only
 * where the leg is placed tells which node rang the agent.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startAriSimulator } from '../../sim/index.js';
import { handOffChannel, HAND_OFF_TIMEOUT_MS } from '../../src/acd/engine/offer-handoff.js';
import type { AgentStateKind } from '../../src/acd/index.js';
import type { DomainEventOf } from '../../src/calls/index.js';
import { ARI_PASSWORD, ARI_USER, eventually, startHarness, type Harness, type Simulator } from '../support/service-harness.js';
import { acdConfig, agentProfile, talkBridge } from './support/acd-calls.js';

const sims: Simulator[] = [];
const services: Harness[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((h) => h.close()));
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

interface TwoNodes {
  a: Harness;
  b: Harness;
  simA: Simulator;
  simB: Simulator;
}

async function twoNodes(): Promise<TwoNodes> {
  const node = async () => {
    const sim = await startAriSimulator({ port: 0, username: ARI_USER, password: ARI_PASSWORD, speed: 20 });
    sims.push(sim);
    // Kamailio's stand-in: the agent's registration answers an INVITE from this node.
    sim.setEndpointBehaviour('PJSIP/1001@kamailio-agents', { kind: 'answer', afterMs: 200 });
    return sim;
  };
  const [simA, simB] = [await node(), await node()];
  const keyPrefix = `test:cross-node:${randomUUID()}:`;
  const config = await acdConfig((c) => {
    c.ivr!.mode = 'direct-to-human';
    for (const line of Object.values(c.ivr!.lines)) line.announcements = [];
    c.acd!.agentsVia = 'kamailio-agents';
    const general = c.acd!.queues.general!;
    general.wrapUpSeconds = 0;
    general.longestWaitSeconds = 3600;
    general.widening = [];
    delete c.acd!.virtualHold;
    c.acd!.callbacks.missedCalls.enabled = false;
  });
  const a = await startHarness({ config, simulator: simA, keyPrefix, app: 'hotline-a' });
  services.push(a);
  const b = await startHarness({ config, simulator: simB, keyPrefix, app: 'hotline-b' });
  services.push(b);
  // Each instance takes hand-offs for its app before a test relies on it.
  for (const app of ['hotline-a', 'hotline-b']) {
    await until(async () => {
      const [, n] = (await a.service.redis.pubsub('NUMSUB', handOffChannel(keyPrefix, app))) as [string, number];
      return Number(n) > 0;
    }, 5000, `${app} subscribed to hand-offs`);
  }
  // Only node A's instance routes: node B's routing tick is stopped (its own kicks, when its
  // caller is queued, find no agent yet), so the pick of node B's call is node A's.
  (b.service.acd!.engine as unknown as { dispatcher: { stop(): void } }).dispatcher.stop();
  return { a, b, simA, simB };
}

/** Waits for state read asynchronously (Redis, the agents' store); fails naming `what` after `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A citizen's call arrives at node B (Kamailio sent it there) and waits in the general queue. */
async function callOnNodeB(b: Harness, simB: Simulator): Promise<{ channelId: string; callId: string }> {
  const channel = simB.placeCall({ from: '13912345678', dialled: '12345', app: 'hotline-b' });
  await eventually(() => b.events.some((e) => e.type === 'call.queued' && b.events.some((s) => s.type === 'call.started' && s.callId === e.callId && s.data.channelId === channel.id)), 10_000, 'call queued on node B');
  const started = b.events.find((e) => e.type === 'call.started' && e.data.channelId === channel.id)!;
  return { channelId: channel.id, callId: started.callId };
}

async function handOffs(h: Harness): Promise<Record<string, number>> {
  const metric = h.service.metrics.getSingleMetric('hotline_acd_offer_handoffs_total');
  const values = metric ? (await metric.get()).values : [];
  return Object.fromEntries(values.map((v) => [String(v.labels.result), v.value]));
}

const offerLegsOn = (sim: Simulator, callId: string): string[] => [
  ...new Set(sim.events().flatMap((e) => {
    const channel = (e.event as { channel?: { id?: string } }).channel;
    return channel?.id?.startsWith(`offer-${callId}-`) ? [channel.id] : [];
  })),
];
const dialsOn = (sim: Simulator): number => sim.events().filter((e) => e.event.type === 'Dial').length;

async function agentIs(h: Harness, agentId: string): Promise<AgentStateKind | undefined> {
  return (await h.service.acd!.desk.get(agentId))?.state.kind;
}

describe('an offer crossing nodes', () => {
  it('a call on node B picked by node A is rung, answered and bridged on node B, and ends completed', { timeout: 60_000 }, async () => {
    const { a, b, simA, simB } = await twoNodes();
    const { channelId, callId } = await callOnNodeB(b, simB);

    await a.service.acd!.desk.login({ id: 'a1001', ...agentProfile('1001') });
    await eventually(() => b.events.some((e) => e.type === 'call.agent-answered' && e.callId === callId) || offerLegsOn(simA, callId).length > 0, 15_000, 'agent answered on node B (or rung from node A)');
    expect(offerLegsOn(simA, callId), 'agent legs placed on node A').toEqual([]);
    await eventually(() => talkBridge(b, callId)?.channels.length === 2, 5000, 'caller and agent bridged on node B');

    // The leg was placed on node B by node B's instance, through the proxy; node A placed nothing.
    expect(offerLegsOn(simB, callId)).toEqual([`offer-${callId}-1`]);
    expect(offerLegsOn(simA, callId)).toEqual([]);
    expect(dialsOn(simA)).toBe(0);
    expect(simB.events().some((e) => e.event.type === 'Dial' && (e.event as { dialstring?: string }).dialstring === '1001@kamailio-agents')).toBe(true);
    // Node B placed it; node A, which picked and handed it off, sees it taken at its deadline; nothing was released.
    expect(await handOffs(b)).toEqual({ placed: 1 });
    await until(async () => Object.keys(await handOffs(a)).length > 0, HAND_OFF_TIMEOUT_MS + 5000, 'hand-off settled on node A');
    expect(await handOffs(a)).toEqual({ taken: 1 });
    expect(await agentIs(a, 'a1001')).toBe('on-call');

    // The agent hangs up: the call ends completed on node B, answered by a1001; the agent is ready again.
    simB.hangupFromCaller(`offer-${callId}-1`);
    const ended = await b.ended(channelId, 10_000);
    expect(ended.data.outcome).toBe('completed');
    expect(b.record(callId)?.queue).toMatchObject({ queue: 'general', result: 'answered', agentId: 'a1001' });
    await eventually(() => b.events.some((e) => e.type === 'call.offered' && e.callId === callId), 1000, 'offer noted on node B');
    const answered = [...a.events, ...b.events].filter((e): e is DomainEventOf<'call.agent-answered'> => e.type === 'call.agent-answered');
    expect(answered.map((e) => [e.callId, e.data.agentId])).toEqual([[callId, 'a1001']]);
    await until(async () => (await agentIs(a, 'a1001')) === 'ready', 5000, 'agent ready after the call');
  });

  it('with node B\'s instance gone before it takes the hand-off, node A releases the pick in time and offers the call again, never twice at once', { timeout: 60_000 }, async () => {
    const { a, b, simA, simB } = await twoNodes();
    const { callId } = await callOnNodeB(b, simB);
    // Node B's instance dies: its ARI socket and its ACD stop, the caller stays in Asterisk on node B.
    await b.crash();
    await b.service.acd!.stop();

    // Two agents, one call: at most one of them may be reserved for it at any moment.
    const ringingAtOnce: number[] = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const states = await Promise.all(['a1001', 'a1002'].map((id) => agentIs(a, id)));
        ringingAtOnce.push(states.filter((s) => s === 'ringing').length);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const pickedAt = Date.now();
    try {
      await a.service.acd!.desk.login({ id: 'a1001', ...agentProfile('1001') });
      await a.service.acd!.desk.login({ id: 'a1002', ...agentProfile('1002') });
      // Released within the timeout (plus a loaded machine's slack), then picked and handed off again.
      await until(async () => ((await handOffs(a)).released ?? 0) >= 1, HAND_OFF_TIMEOUT_MS + 8000, 'first pick released');
      expect(Date.now() - pickedAt).toBeGreaterThanOrEqual(HAND_OFF_TIMEOUT_MS - 50);
      await until(async () => ((await handOffs(a)).released ?? 0) >= 2, 2 * HAND_OFF_TIMEOUT_MS + 10_000, 'second hand-off released');
    } finally {
      watching = false;
      await watch;
    }
    const counts = await handOffs(a);

    // Offered again: each offer its own channel id (the pick script's next n), none placed anywhere.
    const offers = a.events.filter((e) => e.type === 'agent.state-changed' && e.data.to === 'ringing' && e.data.callId === callId);
    expect(offers.length).toBeGreaterThanOrEqual(2);
    // Each release made the reserved agent ready again (not paused: the agent did nothing wrong);
    // the counter moves as the release is decided, the agent's change a Redis round trip later.
    const freedNow = () => a.events.filter((e) => e.type === 'agent.state-changed' && e.data.from === 'ringing');
    await eventually(() => freedNow().length >= 2, 5000, 'both reserved agents freed');
    const freed = freedNow();
    expect(freed.every((e) => e.type === 'agent.state-changed' && e.data.to === 'ready')).toBe(true);
    expect(counts.taken ?? 0).toBe(0);
    expect(offerLegsOn(simA, callId)).toEqual([]);
    expect(offerLegsOn(simB, callId)).toEqual([]);
    expect(dialsOn(simA) + dialsOn(simB)).toBe(0);
    expect(Math.max(...ringingAtOnce)).toBeLessThanOrEqual(1);
    // The call is still the ACD's: waiting at the head of its queue or reserved for its next offer.
    const state = await a.service.acd!.core.calls.state(callId);
    expect(state?.state === 'waiting' || state?.state === 'offered').toBe(true);
  });
});
