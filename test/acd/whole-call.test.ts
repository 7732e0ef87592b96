/**
 * The ACD as a citizen meets it: from the menu to an agent and back, through the real
 * service, the ARI simulator (agents' softphones registered or not) and a real Redis.
 */
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { callbackKeys } from '../../src/acd/callbacks/index.js';
import { eventually } from '../support/service-harness.js';
import { agentProfile, callIdOf, callToQueue, eventsOf, simChannel, talkBridge, untilAgent, useAcdCalls } from './support/acd-calls.js';

const start = useAcdCalls();

describe('a caller reaches an agent through the ACD', () => {
  it('rings the ready agent with the caller number, bridges both on answer, and puts the agent in wrap-up when the agent hangs up', async () => {
    const h = await start();
    h.sim.registerEndpoint('1001', { phone: { kind: 'answer', afterMs: 400 } });
    await h.service.acd!.desk.login({ id: 'a1001', ...agentProfile('1001') });
    const channelId = await callToQueue(h);
    const callId = callIdOf(h, channelId);

    await untilAgent(h, 'a1001', 'on-call');
    await eventually(() => talkBridge(h, callId)?.channels.length === 2, 5000, 'caller and agent bridged');
    const bridge = talkBridge(h, callId);
    expect(bridge?.channels).toHaveLength(2);
    expect(bridge?.channels).toContain(channelId);
    const agentLeg = bridge!.channels.find((c) => c !== channelId)!;
    expect(simChannel(h, agentLeg)?.caller.number).toBe('13912345678');
    expect(eventsOf(h, callId, 'call.offered')).toMatchObject([{ data: { queue: 'general', agentId: 'a1001' } }]);
    expect(eventsOf(h, callId, 'call.agent-answered')).toMatchObject([{ data: { queue: 'general', agentId: 'a1001' } }]);

    h.sim.hangupFromCaller(agentLeg);
    const ended = await h.ended(channelId);
    expect(ended.data.outcome).toBe('completed');
    await untilAgent(h, 'a1001', 'wrap-up');
    const record = h.record(callId)!;
    expect(record.queue).toMatchObject({ queue: 'general', agentId: 'a1001', result: 'answered', endedBy: 'agent', offeredTo: ['a1001'] });
    expect(record.queue!.waitedMs).toBeGreaterThanOrEqual(0);
    // Wrap-up of the test config's queue is 1 s: the sweep puts the agent back to ready.
    await untilAgent(h, 'a1001', 'ready', 5000);
    const changes = h.events.filter((e) => e.type === 'agent.state-changed' && e.data.agentId === 'a1001').map((e) => e.type === 'agent.state-changed' && e.data.to);
    expect(changes).toEqual(['ready', 'ringing', 'on-call', 'wrap-up', 'ready']);
  });

  it('the caller hanging up while talking ends the agent leg and the call as completed', async () => {
    const h = await start();
    h.sim.registerEndpoint('1001', { phone: { kind: 'answer', afterMs: 200 } });
    await h.service.acd!.desk.login({ id: 'a1001', ...agentProfile('1001') });
    const channelId = await callToQueue(h);
    await untilAgent(h, 'a1001', 'on-call');
    const callId = callIdOf(h, channelId);
    await eventually(() => talkBridge(h, callId)?.channels.length === 2, 5000, 'caller and agent bridged');
    const agentLeg = talkBridge(h, callId)!.channels.find((c) => c !== channelId)!;
    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('completed');
    await eventually(() => simChannel(h, agentLeg) === undefined, 5000, 'agent leg gone');
    await untilAgent(h, 'a1001', 'wrap-up');
    expect(h.record(callId)!.queue).toMatchObject({ result: 'answered', endedBy: 'caller' });
  });
});

describe('a caller waiting when the service shuts down', () => {
  it('is handed back to the dialplan: not abandoned, and no callback scheduled', async () => {
    const h = await start();
    const channelId = await callToQueue(h);
    const callId = callIdOf(h, channelId);
    const jobKey = callbackKeys(h.keyPrefix).job(`cb-m-${callId}`);
    await h.service.shutdown(0);
    const ended = await h.ended(channelId);
    expect(ended.data.outcome).toBe('transferred');
    expect(h.record(callId)!.queue).toMatchObject({ queue: 'general', result: 'fallback' });
    const redis = new Redis(inject('redisUrl'));
    try {
      expect(await redis.exists(jobKey)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });
});
