/**
 * Whom the ACD rings, on whole calls: among the agents with the queue's skill the one idle
 * longest (idle since login or the last call), never an agent without the skill, and on an
 * equal idle time the higher level.
 */
import { describe, expect, it } from 'vitest';
import { agentProfile, callIdOf, callToQueue, untilAgent } from './support/acd-calls.js';
import { agentAt, agentMoves, deskAt, offeredTo, untilOffered, useAcdScenarios } from './support/acd-scenarios.js';

const start = useAcdScenarios();
const answers = { kind: 'answer', afterMs: 200 } as const;

describe('routing by skill and idle time', () => {
  it('rings the agent idle longest of those with the skill', async () => {
    const h = await start();
    await agentAt(h, 'first', '1001', answers);
    await new Promise((r) => setTimeout(r, 5)); // two logins, two distinct instants
    await agentAt(h, 'second', '1002', answers);

    const one = await callToQueue(h);
    await untilOffered(h, one, 'first');
    await untilAgent(h, 'first', 'on-call');
    // The one who took a call is busy; the next call goes to the other.
    const two = await callToQueue(h, '13912345679');
    await untilOffered(h, two, 'second');
    expect(offeredTo(h, callIdOf(h, one))).toEqual(['first']);
    expect(offeredTo(h, callIdOf(h, two))).toEqual(['second']);
  });

  it('the agent whose last call ended longer ago is the one idle longest', async () => {
    // A wrap-up only the agent ends: no sweep races the test's end of it.
    const h = await start((c) => (c.acd!.queues.general!.wrapUpSeconds = 600));
    await agentAt(h, 'early', '1001', answers);
    await new Promise((r) => setTimeout(r, 5));
    await agentAt(h, 'late', '1002', answers);
    // `early` takes a call and ends it: idle again from the end of its wrap-up, after `late`.
    const one = await callToQueue(h);
    await untilAgent(h, 'early', 'on-call');
    h.sim.hangupFromCaller(one);
    await untilAgent(h, 'early', 'wrap-up');
    await h.service.acd!.desk.endWrapUp('early');

    const two = await callToQueue(h, '13912345679');
    await untilOffered(h, two, 'late');
    expect(offeredTo(h, callIdOf(h, two))).toEqual(['late']);
  });

  it('never rings an agent without the skill, however long idle', async () => {
    const h = await start();
    await agentAt(h, 'enterprise-only', '1001', answers, { enterprise: 9 });
    const channelId = await callToQueue(h);
    // Ready through the routing pass of the enqueue and the next tick: the call waits on.
    await new Promise((r) => setTimeout(r, 1500));
    await agentAt(h, 'general', '1002', answers);
    await untilAgent(h, 'general', 'on-call');
    expect(offeredTo(h, callIdOf(h, channelId))).toEqual(['general']);
    expect(agentMoves(h, 'enterprise-only')).toEqual(['ready']);
  });

  it('on an equal idle time the higher level gets the call', async () => {
    const h = await start();
    const desk = deskAt(h, Date.now() - 10_000);
    h.sim.registerEndpoint('1001', { phone: answers });
    h.sim.registerEndpoint('1002', { phone: answers });
    // `a-low` sorts first among equal idle times: only the level can put `b-high` ahead.
    await desk.login({ id: 'a-low', ...agentProfile('1001', { general: 4 }) });
    await desk.login({ id: 'b-high', ...agentProfile('1002', { general: 8 }) });
    const channelId = await callToQueue(h);
    await untilOffered(h, channelId, 'b-high');
    expect(offeredTo(h, callIdOf(h, channelId))).toEqual(['b-high']);
    expect(agentMoves(h, 'a-low')).toEqual(['ready']);
  });
});
