/**
 * Who is served first when several callers wait: a priority caller (the IVR's list, from the
 * config or put there through the API) before ordinary callers who came earlier; and a
 * caller no agent may take yet is served once the queue's widening admits one.
 */
import { describe, expect, it } from 'vitest';
import { callIdOf, callToQueue, untilAgent } from './support/acd-calls.js';
import { agentAt, offeredTo, priorityCallToQueue, queuedOn, untilAnswered, untilOffered, useAcdScenarios } from './support/acd-scenarios.js';

const start = useAcdScenarios();
const answers = { kind: 'answer', afterMs: 200 } as const;
const TOKEN = 'supervisor-desk-token-for-acd-tests';

describe('priority callers first', () => {
  it('a priority caller of the config list, queued after an ordinary caller, gets the first free agent', async () => {
    const h = await start();
    const ordinary = await callToQueue(h);
    const priority = await priorityCallToQueue(h, '13800000001');
    expect(queuedOn(h, ordinary)[0]?.data.priority).toBe(5);
    expect(queuedOn(h, priority)[0]?.data.priority).toBe(9);

    await agentAt(h, 'a1001', '1001', answers);
    await untilOffered(h, priority, 'a1001');
    await untilAgent(h, 'a1001', 'on-call');
    expect(offeredTo(h, callIdOf(h, ordinary))).toEqual([]);

    // The ordinary caller is next, with the next free agent.
    await agentAt(h, 'a1002', '1002', answers);
    await untilOffered(h, ordinary, 'a1002');
  });

  it('a number put on the list through the API is served as a priority caller', async () => {
    const h = await start(undefined, { apiTokens: [{ name: 'supervisor-desk', role: 'supervisor', token: TOKEN }] });
    const put = await fetch(`${h.service.url}/priority-callers/13700000002`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'registered elderly caller' }),
    });
    expect(put.ok).toBe(true);
    const ordinary = await callToQueue(h);
    const priority = await priorityCallToQueue(h, '13700000002');
    await agentAt(h, 'a1001', '1001', answers);
    await untilOffered(h, priority, 'a1001');
    expect(offeredTo(h, callIdOf(h, ordinary))).toEqual([]);
  });
});

describe('widening after a wait', () => {
  it('an agent below the queue minimum gets the call once the wait reaches the widening step', async () => {
    // general: minLevel 3, then level 1 after 1 s (the example's 30 s, shortened).
    const h = await start((c) => (c.acd!.queues.general!.widening = [{ afterSeconds: 1, minLevel: 1 }]));
    await agentAt(h, 'junior', '1001', answers, { general: 1 });
    const channelId = await callToQueue(h);
    await untilOffered(h, channelId, 'junior');
    // Offered only after the step: the wait to the answer covers it.
    expect((await untilAnswered(h, channelId)).waitedMs).toBeGreaterThanOrEqual(1000);
  });

  it('a second skill admitted by widening helps only at its level', async () => {
    // general: after 1 s enterprise agents of level 6 and up (the example's 60 s step).
    const h = await start((c) => (c.acd!.queues.general!.widening = [{ afterSeconds: 1, skill: 'enterprise', minLevel: 6 }]));
    await agentAt(h, 'enterprise-5', '1001', answers, { enterprise: 5 });
    await agentAt(h, 'enterprise-7', '1002', answers, { enterprise: 7 });
    const channelId = await callToQueue(h);
    await untilOffered(h, channelId, 'enterprise-7');
    expect((await untilAnswered(h, channelId)).waitedMs).toBeGreaterThanOrEqual(1000);
    expect(offeredTo(h, callIdOf(h, channelId))).toEqual(['enterprise-7']);
  });
});
