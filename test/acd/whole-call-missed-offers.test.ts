/**
 * Offers that fail: a phone ringing out or rejecting the call puts the call back at the head
 * of its queue (ahead of callers who came later) and pauses the agent `no-answer` (the
 * example's missesBeforePause is 1); an agent whose softphone is not registered is skipped,
 * paused `unreachable`, and the call goes to the next agent.
 */
import { describe, expect, it } from 'vitest';
import { NO_ANSWER_REASON, UNREACHABLE_REASON } from '../../src/acd/index.js';
import { eventually } from '../support/service-harness.js';
import { callIdOf, callToQueue, untilAgent } from './support/acd-calls.js';
import { agentAt, offeredTo, offerLegs, stateOf, untilAnswered, untilOffered, useAcdScenarios } from './support/acd-scenarios.js';

const start = useAcdScenarios();
const answers = { kind: 'answer', afterMs: 200 } as const;

describe('an offer not taken', () => {
  // The later caller queues while the phone still rings, so only the kept place can put the first ahead.
  const misses = [
    // 100 s at the simulator's speed 20: 5 s of ringing, time enough for the later caller.
    ['rings out', { ringTimeoutSeconds: 100 }, null],
    ['rejects busy (486)', { ringTimeoutSeconds: 300 }, 486],
    ['declines (603)', { ringTimeoutSeconds: 300 }, 603],
  ] as const;

  it.each(misses)('the agent whose phone %s is paused no-answer; the call is next in line, before a later caller', async (_, queue, rejection) => {
    const h = await start((c) => Object.assign(c.acd!.queues.general!, queue));
    await agentAt(h, 'misser', '1001', { kind: 'ring' });
    const first = await callToQueue(h);
    await untilOffered(h, first, 'misser');
    const later = await callToQueue(h, '13912345679');
    expect(await stateOf(h, 'misser'), 'still ringing when the later caller queued').toMatchObject({ kind: 'ringing' });
    if (rejection) {
      await eventually(() => offerLegs(h, callIdOf(h, first)).length === 1, 5000, 'the offer leg');
      h.sim.rejectChannel(offerLegs(h, callIdOf(h, first))[0]!, rejection);
    }

    await untilAgent(h, 'misser', 'not-ready', 10_000);
    expect(await stateOf(h, 'misser')).toMatchObject({ kind: 'not-ready', reason: NO_ANSWER_REASON });
    await eventually(() => offerLegs(h, callIdOf(h, first)).length === 0, 5000, 'the missed offer leg gone');

    await agentAt(h, 'taker', '1002', answers);
    await untilOffered(h, first, 'taker');
    await untilAgent(h, 'taker', 'on-call');
    expect(offeredTo(h, callIdOf(h, first))).toEqual(['misser', 'taker']);
    expect(offeredTo(h, callIdOf(h, later))).toEqual([]);
    expect(await untilAnswered(h, first)).toMatchObject({ agentId: 'taker', offeredTo: ['misser', 'taker'] });
  });

  it('with missesBeforePause 2 one miss leaves the agent ready to be rung again, the second pauses it', async () => {
    const h = await start((c) => (c.acd!.queues.general!.missesBeforePause = 2));
    await agentAt(h, 'misser', '1001', { kind: 'reject', status: 486, afterMs: 200 });
    const first = await callToQueue(h);
    await untilOffered(h, first, 'misser');
    // Back to ready after the first miss, and rung again (the only agent); the second miss pauses.
    await untilAgent(h, 'misser', 'not-ready');
    expect(await stateOf(h, 'misser')).toMatchObject({ reason: NO_ANSWER_REASON });
    expect(offeredTo(h, callIdOf(h, first))).toEqual(['misser', 'misser']);
  });
});

describe('an agent who cannot be reached', () => {
  it('is skipped and paused unreachable; the call goes to the next agent', async () => {
    const h = await start();
    // Logged in first (idle longest), softphone never registered: the originate is refused.
    await h.service.acd!.desk.login({ id: 'away', displayName: '坐席1003', endpoint: 'PJSIP/1003', skills: { general: 5 } });
    await new Promise((r) => setTimeout(r, 5));
    await agentAt(h, 'here', '1002', answers);
    const channelId = await callToQueue(h);

    expect(await untilAnswered(h, channelId)).toMatchObject({ agentId: 'here', offeredTo: ['here'] });
    expect(await stateOf(h, 'away')).toMatchObject({ kind: 'not-ready', reason: UNREACHABLE_REASON });
  });

  it('an agent whose softphone logged out is skipped the same way', async () => {
    const h = await start();
    await agentAt(h, 'gone', '1001', answers);
    h.sim.unregisterEndpoint('1001');
    await new Promise((r) => setTimeout(r, 5));
    await agentAt(h, 'here', '1002', answers);
    const channelId = await callToQueue(h);
    await untilAgent(h, 'here', 'on-call');
    expect(await stateOf(h, 'gone')).toMatchObject({ kind: 'not-ready', reason: UNREACHABLE_REASON });
    expect(offeredTo(h, callIdOf(h, channelId))).toEqual(['here']);
  });
});
