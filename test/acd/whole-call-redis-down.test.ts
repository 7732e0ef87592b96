/**
 * The ACD keeps its callers and agents in Redis; with Redis gone a caller still reaches a
 * human: the service hands them to the dialplan's queue (the hand-off context's `queue`
 * extension, app_queue, told the queue), counting each such caller.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { redisProcess, type RedisProcess } from '../support/redis-process.js';
import { eventually } from '../support/service-harness.js';
import { callIdOf, eventsOf, untilAgent } from './support/acd-calls.js';
import { agentAt, continuedTo, heardOn, useAcdScenarios, varsOn } from './support/acd-scenarios.js';

let redis: RedisProcess | undefined;
// Registered first, so it runs after the services are closed.
afterEach(async () => {
  await redis?.kill();
  redis = undefined;
});
const start = useAcdScenarios();

async function fallbacksCounted(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('hotline_acd_fallbacks_total'));
  return Number(line?.split(' ')[1] ?? NaN);
}

describe('Redis stopped', () => {
  it('a new caller pressing for an agent is handed to the dialplan queue', async () => {
    redis = await redisProcess();
    const h = await start(undefined, { redisUrl: redis.url });
    // The ACD works before Redis goes: an agent logs in.
    await agentAt(h, 'a1001', '1001', { kind: 'answer', afterMs: 200 });
    await untilAgent(h, 'a1001', 'ready');

    await redis.kill();
    const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
    await eventually(() => heardOn(h, channel.id).includes('sound:hotline/zh/main-menu'), 10_000, 'main menu playing');
    h.sim.pressDigits(channel.id, '0');

    const ended = await h.ended(channel.id);
    const callId = callIdOf(h, channel.id);
    expect(ended.data.outcome).toBe('transferred');
    expect(continuedTo(h, channel.id)).toEqual(['hotline-ivr-handoff/queue']);
    expect(varsOn(h, channel.id)).toMatchObject({ HOTLINE_QUEUE: 'general', HOTLINE_SKILL: 'general', QUEUE_PRIO: '5', HOTLINE_CALL_ID: callId });
    expect(h.record(callId)!.queue).toMatchObject({ queue: 'general', result: 'fallback' });
    expect(eventsOf(h, callId, 'call.queued')).toEqual([]);
    expect(await fallbacksCounted(h.service.url)).toBe(1);
  });

  it('a caller already waiting when Redis goes leaves by the longest wait to the dialplan queue', async () => {
    redis = await redisProcess();
    // general overflows to a callback, which Redis cannot take now: the fallback takes the caller.
    const h = await start((c) => (c.acd!.queues.general!.longestWaitSeconds = 2), { redisUrl: redis.url });
    const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
    await eventually(() => heardOn(h, channel.id).includes('sound:hotline/zh/main-menu'), 10_000, 'main menu playing');
    h.sim.pressDigits(channel.id, '0');
    await eventually(() => h.events.some((e) => e.type === 'call.queued' && e.data.queue === 'general'), 10_000, 'call queued');
    await redis.kill();

    const ended = await h.ended(channel.id, 15_000);
    expect(ended.data.outcome).toBe('transferred');
    expect(continuedTo(h, channel.id)).toEqual(['hotline-ivr-handoff/queue']);
    expect(varsOn(h, channel.id)).toMatchObject({ HOTLINE_QUEUE: 'general' });
  });

  it('a caller hanging up while the overflow waits on a lost Redis: the fallback finds no channel, and nothing is left unhandled', async () => {
    redis = await redisProcess();
    const h = await start((c) => (c.acd!.queues.general!.longestWaitSeconds = 1), { redisUrl: redis.url });
    const unhandled: unknown[] = [];
    const note = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', note);
    try {
      const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
      await eventually(() => heardOn(h, channel.id).includes('sound:hotline/zh/main-menu'), 10_000, 'main menu playing');
      h.sim.pressDigits(channel.id, '0');
      await eventually(() => h.events.some((e) => e.type === 'call.queued' && e.data.queue === 'general'), 10_000, 'call queued');
      await redis.kill();
      // The overflow has begun (noted at once) and waits for Redis to take the call out: the caller leaves.
      await eventually(() => h.service.calls.session(channel.id)?.record.queue?.result === 'overflow-callback', 10_000, 'overflow begun');
      h.sim.hangupFromCaller(channel.id);
      expect((await h.ended(channel.id)).data.outcome).toBe('abandoned');
      // The callback is refused (Redis) and the fallback tries the dialplan queue on a channel that is gone.
      await eventually(() => h.sim.requests().some((r) => r.path.startsWith(`/channels/${channel.id}/variable`)), 10_000, 'the fallback tried');
      await new Promise((r) => setTimeout(r, 100));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', note);
    }
  });
});
