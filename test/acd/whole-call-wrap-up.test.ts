/**
 * Wrap-up after a call, on whole calls: over after the queue's wrapUpSeconds, ended early at
 * the desk, or extended; a caller waiting meanwhile is offered to the agent only once the
 * agent is ready again.
 */
import { describe, expect, it } from 'vitest';
import { callIdOf, callToQueue, untilAgent } from './support/acd-calls.js';
import { agentAt, agentMoves, offeredTo, stateOf, untilOffered, useAcdScenarios } from './support/acd-scenarios.js';

const start = useAcdScenarios();
const answers = { kind: 'answer', afterMs: 200 } as const;

/** One answered call of `agentId`, ended by the caller: the agent is in wrap-up. */
async function oneCallDone(h: Awaited<ReturnType<typeof start>>, agentId: string): Promise<void> {
  const channelId = await callToQueue(h);
  await untilAgent(h, agentId, 'on-call');
  h.sim.hangupFromCaller(channelId);
  await h.ended(channelId);
  await untilAgent(h, agentId, 'wrap-up');
}

describe('wrap-up', () => {
  it('ends by itself after wrapUpSeconds, and a caller who waited meanwhile is offered then', async () => {
    const h = await start((c) => (c.acd!.queues.general!.wrapUpSeconds = 1));
    await agentAt(h, 'a1001', '1001', answers);
    await oneCallDone(h, 'a1001');
    const waiting = await callToQueue(h, '13912345679');

    await untilOffered(h, waiting, 'a1001');
    expect(agentMoves(h, 'a1001')).toEqual(['ready', 'ringing', 'on-call', 'wrap-up', 'ready', 'ringing']);
  });

  it('ended early at the desk: ready at once and offered the waiting caller', async () => {
    const h = await start((c) => (c.acd!.queues.general!.wrapUpSeconds = 600));
    await agentAt(h, 'a1001', '1001', answers);
    await oneCallDone(h, 'a1001');
    const waiting = await callToQueue(h, '13912345679');
    expect(offeredTo(h, callIdOf(h, waiting))).toEqual([]);

    await h.service.acd!.desk.endWrapUp('a1001');
    await untilOffered(h, waiting, 'a1001');
    await untilAgent(h, 'a1001', 'on-call');
  });

  it('extended at the desk: still in wrap-up until the new end, then ready', async () => {
    const h = await start((c) => (c.acd!.queues.general!.wrapUpSeconds = 2));
    await agentAt(h, 'a1001', '1001', answers);
    await oneCallDone(h, 'a1001');
    const before = await stateOf(h, 'a1001');
    if (before?.kind !== 'wrap-up') throw new Error(`expected wrap-up, got ${before?.kind}`);

    const extended = await h.service.acd!.desk.extendWrapUp('a1001', 1);
    if (extended.to !== 'wrap-up') throw new Error('the extension left wrap-up');
    const after = await stateOf(h, 'a1001');
    expect(after).toMatchObject({ kind: 'wrap-up', until: before.until + 1000 });

    await untilAgent(h, 'a1001', 'ready', 10_000);
    const ready = await stateOf(h, 'a1001');
    // The sweep may not end it before the extended end.
    expect(ready!.since).toBeGreaterThanOrEqual(before.until + 1000);
  });
});
