/**
 * What a waiting caller hears between the music: their place in the queue and, once the
 * queue has answered a call, the expected wait in minutes (acd.announcements, every
 * announceEverySeconds), as `number:<n>` between the example's prompts.
 */
import { describe, expect, it } from 'vitest';
import { eventually, type Harness } from '../support/service-harness.js';
import { callToQueue } from './support/acd-calls.js';
import { agentAt, heardOn, untilAnswered, useAcdScenarios } from './support/acd-scenarios.js';

const start = useAcdScenarios();
const sound = (prompt: string): string => `sound:hotline/zh/${prompt}`;
const POSITION = (n: number) => [sound('queue-position-before'), `number:${n}`, sound('queue-position-after')];
const WAIT = (minutes: number) => [sound('queue-wait-before'), `number:${minutes}`, sound('queue-wait-after')];

/** True once the channel heard `items` one right after the other. */
function heardInOrder(h: Harness, channelId: string, items: string[]): boolean {
  const all = heardOn(h, channelId);
  return all.some((_, i) => items.every((item, j) => all[i + j] === item));
}

describe('position and wait announcements', () => {
  it('tells each caller their place; no expected wait before the queue answered a call', async () => {
    const h = await start((c) => (c.acd!.queues.general!.announceEverySeconds = 1));
    const first = await callToQueue(h);
    const second = await callToQueue(h, '13912345679');

    await eventually(() => heardInOrder(h, second, POSITION(2)), 8000, 'second caller told place 2');
    await eventually(() => heardInOrder(h, first, POSITION(1)), 8000, 'first caller told place 1');
    expect(heardOn(h, first)).not.toContain(sound('queue-wait-before'));
    expect(heardOn(h, second)).not.toContain(sound('queue-wait-before'));
    expect(heardOn(h, second)).not.toContain('number:1');
  });

  it('once a call was answered, the next caller hears place 1 and an expected wait of 1 minute', async () => {
    const h = await start((c) => (c.acd!.queues.general!.announceEverySeconds = 1));
    const first = await callToQueue(h);
    const second = await callToQueue(h, '13912345679');
    await agentAt(h, 'a1001', '1001', { kind: 'answer', afterMs: 200 });
    await untilAnswered(h, first);

    // A wait of seconds is announced as 1 minute, never 0.
    await eventually(() => heardInOrder(h, second, [...POSITION(1), ...WAIT(1)]), 8000, 'place 1 and 1 minute');
  });

  it('announces nothing with announceEverySeconds 0', async () => {
    const h = await start((c) => {
      c.acd!.queues.general!.announceEverySeconds = 0;
      // Something else on a timer, to know time passed: the overflow after 2 s.
      c.acd!.queues.general!.longestWaitSeconds = 2;
      c.acd!.queues.general!.overflow = { kind: 'dialplan', context: 'hotline-ivr-handoff', extension: 'queue' };
    });
    const channelId = await callToQueue(h);
    await h.ended(channelId);
    expect(heardOn(h, channelId)).not.toContain(sound('queue-position-before'));
  });
});
