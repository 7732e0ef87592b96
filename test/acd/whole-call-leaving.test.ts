/**
 * A caller leaving the queue before an agent answers: the emergency key (the emergency
 * linkage puts them through to 110) or hanging up (abandoned).
 * Either way the call is out of the queue, and a phone ringing for it is hung up with its
 * agent ready again.
 */
import { describe, expect, it } from 'vitest';
import { eventually, type Harness } from '../support/service-harness.js';
import { callIdOf, callToQueue, eventsOf, untilAgent, type EditConfig } from './support/acd-calls.js';
import { agentAt, agentMoves, heardOn, offerLegs, untilOffered, useAcdScenarios } from './support/acd-scenarios.js';

const start = useAcdScenarios();
/** A ring timeout longer than any test (300 s at the simulator's speed 20 is 15 s): the phone rings until the caller leaves. */
const longRing: EditConfig = (c) => (c.acd!.queues.general!.ringTimeoutSeconds = 300);

/** A caller in the general queue with a1001's phone ringing for them (it never answers). */
async function ringingFor(h: Harness): Promise<{ channelId: string; callId: string }> {
  await agentAt(h, 'a1001', '1001', { kind: 'ring' });
  const channelId = await callToQueue(h);
  const callId = callIdOf(h, channelId);
  await untilOffered(h, channelId, 'a1001');
  await eventually(() => offerLegs(h, callId).length === 1, 5000, 'the agent phone ringing');
  return { channelId, callId };
}

async function outOfQueue(h: Harness, callId: string): Promise<void> {
  expect(await h.service.acd!.core.calls.state(callId)).toBeNull();
  expect(await h.service.acd!.core.calls.waitingIds('general')).not.toContain(callId);
}

/** The emergency linkage bridges the caller with 110 (emg-<callId>); the caller hangs up there: transferred. */
async function putThrough(h: Harness, channelId: string, callId: string): Promise<void> {
  const bridged = (): string[] => (h.sim.bridges().find((b) => b.id === `emg-${callId}`) as { channels: string[] } | undefined)?.channels ?? [];
  await eventually(() => bridged().length === 2, 10_000, 'caller and 110 bridged');
  expect(bridged()).toContain(channelId);
  expect(eventsOf(h, callId, 'call.emergency').map((e) => e.data)).toMatchObject([{ route: 'emergency-linkage', outcome: 'answered', target: 'PJSIP/110@carrier' }]);
  h.sim.hangupFromCaller(channelId);
  expect((await h.ended(channelId)).data.outcome).toBe('transferred');
}

describe('the emergency key while queued', () => {
  it('leaves the queue, hangs up the ringing phone (agent ready) and runs the emergency transfer', async () => {
    const h = await start(longRing);
    const { channelId, callId } = await ringingFor(h);
    h.sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'answer', afterMs: 200 });

    h.sim.pressDigits(channelId, '9');
    await putThrough(h, channelId, callId);
    expect(h.record(callId)!.queue).toMatchObject({ queue: 'general', result: 'emergency', offeredTo: ['a1001'] });

    await eventually(() => offerLegs(h, callId).length === 0, 5000, 'the ringing phone hung up');
    await untilAgent(h, 'a1001', 'ready');
    expect(agentMoves(h, 'a1001')).toEqual(['ready', 'ringing', 'ready']);
    await outOfQueue(h, callId);
  });

  it('works the same with no agent ringing', async () => {
    const h = await start();
    const channelId = await callToQueue(h);
    const callId = callIdOf(h, channelId);
    h.sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'answer', afterMs: 200 });
    h.sim.pressDigits(channelId, '9');
    await putThrough(h, channelId, callId);
    expect(h.record(callId)!.queue).toMatchObject({ result: 'emergency', offeredTo: [] });
    await outOfQueue(h, callId);
  });

  it('other keys leave the caller waiting', async () => {
    const h = await start((c) => (c.acd!.queues.general!.announceEverySeconds = 1));
    const channelId = await callToQueue(h);
    h.sim.pressDigits(channelId, '5');
    // Still queued when the next announcement comes.
    const before = heardOn(h, channelId).length;
    await eventually(() => heardOn(h, channelId).slice(before).includes('sound:hotline/zh/queue-position-after'), 8000, 'an announcement after the key');
    expect(await h.service.acd!.core.calls.state(callIdOf(h, channelId))).toMatchObject({ state: 'waiting' });
    expect(h.service.calls.session(channelId)).toBeDefined();
  });
});

describe('a caller abandoning while queued', () => {
  it('ends the call abandoned, releases the ringing agent and leaves the queue', async () => {
    const h = await start(longRing);
    const { channelId, callId } = await ringingFor(h);

    h.sim.hangupFromCaller(channelId);
    const ended = await h.ended(channelId);
    expect(ended.data.outcome).toBe('abandoned');
    expect(h.record(callId)!.queue).toMatchObject({ queue: 'general', result: 'abandoned', offeredTo: ['a1001'] });
    await eventually(() => offerLegs(h, callId).length === 0, 5000, 'the ringing phone hung up');
    await untilAgent(h, 'a1001', 'ready');
    expect(agentMoves(h, 'a1001')).toEqual(['ready', 'ringing', 'ready']);
    await outOfQueue(h, callId);
  });

  it('with no agent ringing: abandoned, out of the queue, the next caller is first', async () => {
    const h = await start((c) => (c.acd!.queues.general!.announceEverySeconds = 1));
    const first = await callToQueue(h);
    const second = await callToQueue(h, '13912345679');
    h.sim.hangupFromCaller(first);
    expect((await h.ended(first)).data.outcome).toBe('abandoned');
    const callId = callIdOf(h, first);
    expect(h.record(callId)!.queue).toMatchObject({ result: 'abandoned', offeredTo: [] });
    await outOfQueue(h, callId);
    expect(await h.service.acd!.core.calls.position(callIdOf(h, second))).toBe(1);
  });
});
