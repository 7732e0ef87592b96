/**
 * A caller who has waited the queue's longestWaitSeconds leaves by its overflow: into another
 * queue (keeping their priority, served there by that queue's agents) or on to the dialplan
 * (the example's housing queue: the hand-off context's `queue` extension, app_queue).
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/service-harness.js';
import { callIdOf, callToQueue, eventsOf, untilAgent } from './support/acd-calls.js';
import { agentAt, agentMoves, continuedTo, queuedOn, untilOffered, useAcdScenarios, varsOn } from './support/acd-scenarios.js';

const start = useAcdScenarios();
const answers = { kind: 'answer', afterMs: 200 } as const;

describe('overflow after the longest wait', () => {
  it('into another queue: queued there with its skill and the same priority, answered by its agent', async () => {
    const h = await start((c) => {
      Object.assign(c.acd!.queues.general!, { longestWaitSeconds: 1, overflow: { kind: 'queue', queue: 'market' } });
    });
    // Below general's minimum level 3: nobody may take the call in general.
    await agentAt(h, 'junior', '1001', answers, { general: 1 });
    const channelId = await callToQueue(h);
    const callId = callIdOf(h, channelId);

    await agentAt(h, 'market', '1002', answers, { 'market-regulation': 5 });
    await untilOffered(h, channelId, 'market');
    await untilAgent(h, 'market', 'on-call');
    await eventually(() => eventsOf(h, callId, 'call.agent-answered').length === 1, 5000, 'call.agent-answered');
    expect(queuedOn(h, channelId).map((e) => e.data)).toEqual([
      { queue: 'general', skill: 'general', priority: 5 },
      { queue: 'market', skill: 'market-regulation', priority: 5 },
    ]);
    expect(eventsOf(h, callId, 'call.transferred').map((e) => e.data)).toEqual([{ target: 'queue:market', kind: 'queue', by: 'acd' }]);
    expect(agentMoves(h, 'junior')).toEqual(['ready']);

    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('completed');
    expect(h.record(callId)!.queue).toMatchObject({ queue: 'market', agentId: 'market', result: 'answered' });
    expect(await h.service.acd!.core.calls.waitingIds('general')).toEqual([]);
  });

  it('on to the dialplan: the queue extension of the hand-off context, told which queue (as the IVR hand-off does)', async () => {
    const h = await start((c) => {
      Object.assign(c.acd!.queues.general!, { longestWaitSeconds: 1, overflow: { kind: 'dialplan', context: 'hotline-ivr-handoff', extension: 'queue' } });
    });
    const channelId = await callToQueue(h);
    const callId = callIdOf(h, channelId);

    const ended = await h.ended(channelId);
    expect(ended.data.outcome).toBe('transferred');
    expect(continuedTo(h, channelId)).toEqual(['hotline-ivr-handoff/queue']);
    expect(h.record(callId)!.queue).toMatchObject({ queue: 'general', result: 'overflow-dialplan' });
    expect(eventsOf(h, callId, 'call.transferred').map((e) => e.data.target)).toEqual(['dialplan:hotline-ivr-handoff']);
    expect(await h.service.acd!.core.calls.state(callId)).toBeNull();
    // extensions.conf: `Queue(hotline-${HOTLINE_QUEUE})`; without the variables the caller
    // lands in no queue at all (`hotline-`) and drops to hotline-fallback.
    expect(varsOn(h, channelId)).toMatchObject({ HOTLINE_CALL_ID: callId, HOTLINE_QUEUE: 'general', HOTLINE_SKILL: 'general', QUEUE_PRIO: '5' });
  });
});
