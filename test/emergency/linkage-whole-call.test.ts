/**
 * Emergency linkage over ARI as a citizen in danger meets it, through the real service and
 * the ARI simulator: the emergency key → the route's prompt → the centre rung with the
 * caller's own number → both bridged; failover to the next target; every target failing
 * (what to dial, an agent at top priority, an alert); the key pressed while queued; Redis
 * stopped the whole time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HotlineConfig } from '../../src/app/config-schema.js';
import type { DomainEventOf } from '../../src/calls/index.js';
import { agentProfile, callIdOf, callToQueue, eventsOf, simChannel, untilAgent, useAcdCalls } from '../acd/support/acd-calls.js';
import { hear } from '../ivr/support/sim-call.js';
import { redisProcess, type RedisProcess } from '../support/redis-process.js';
import { eventually, type Harness } from '../support/service-harness.js';

let redis: RedisProcess | undefined;
afterEach(async () => {
  await redis?.kill();
  redis = undefined;
});
const start = useAcdCalls();
const CITIZEN = '13912345678';

/** Two ways to the linkage centre: 119's line first (to see failover), then 110. */
const twoTargets = (config: HotlineConfig): void => {
  config.emergency!.routes['emergency-linkage']!.targets = [
    { endpoint: 'PJSIP/119@carrier', ringTimeoutSeconds: 5 },
    { endpoint: 'PJSIP/110@carrier', ringTimeoutSeconds: 5 },
  ];
};

function bridgeOf(h: Harness, callId: string): string[] | undefined {
  return (h.sim.bridges().find((b) => b.id === `emg-${callId}`) as { channels: string[] } | undefined)?.channels;
}

function receipts(h: Harness, callId: string): Array<DomainEventOf<'call.emergency'>['data']> {
  return eventsOf(h, callId, 'call.emergency').map((e) => e.data);
}

/** Dials 12345 and presses the emergency key (9) during the greeting. */
async function emergencyKey(h: Harness): Promise<{ channelId: string; callId: string }> {
  const channel = h.sim.placeCall({ from: CITIZEN, dialled: '12345' });
  await hear(h, channel.id, 'welcome-12345');
  h.sim.pressDigits(channel.id, '9');
  await eventually(() => h.events.some((e) => e.type === 'call.started' && e.data.channelId === channel.id), 5000, 'call started');
  return { channelId: channel.id, callId: callIdOf(h, channel.id) };
}

describe('the emergency key', () => {
  it('plays the route prompt, rings 110 with the caller’s own number, and bridges them in the service', async () => {
    const h = await start();
    h.sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'answer', ringingAfterMs: 100, afterMs: 1000 });
    const { channelId, callId } = await emergencyKey(h);
    await hear(h, channelId, 'transferring-110');
    await eventually(() => bridgeOf(h, callId)?.length === 2, 10_000, 'caller and 110 bridged');
    const centre = bridgeOf(h, callId)!.find((c) => c !== channelId)!;
    expect(centre).toBe(`emg-${callId}-1`);
    expect(simChannel(h, centre)?.caller.number).toBe(CITIZEN);
    expect(receipts(h, callId)).toEqual([
      expect.objectContaining({ route: 'emergency-linkage', label: '110', entry: 'menu', outcome: 'answered', target: 'PJSIP/110@carrier', attempts: [{ target: 'PJSIP/110@carrier', outcome: 'answered', cause: null }] }),
    ]);
    expect(receipts(h, callId)[0]!.answeredAfterMs).toBeGreaterThanOrEqual(0);
    // The centre hangs up: the caller's call ends, transferred, its receipt on the record.
    h.sim.hangupFromCaller(centre);
    expect((await h.ended(channelId)).data.outcome).toBe('transferred');
    expect(h.record(callId)!.emergency).toEqual(receipts(h, callId));
  });

  it('first target busy → the second answers; the receipt names both, with the busy cause', async () => {
    const h = await start(twoTargets);
    h.sim.setEndpointBehaviour('PJSIP/119@carrier', { kind: 'busy', afterMs: 100 });
    h.sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'answer', afterMs: 200 });
    const { channelId, callId } = await emergencyKey(h);
    await eventually(() => bridgeOf(h, callId)?.length === 2, 10_000, 'caller and the second target bridged');
    expect(bridgeOf(h, callId)).toContain(`emg-${callId}-2`);
    expect(receipts(h, callId)[0]).toMatchObject({
      outcome: 'answered',
      target: 'PJSIP/110@carrier',
      attempts: [
        { target: 'PJSIP/119@carrier', outcome: 'busy', cause: 17 },
        { target: 'PJSIP/110@carrier', outcome: 'answered', cause: null },
      ],
    });
    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('transferred');
    await eventually(() => simChannel(h, `emg-${callId}-2`) === undefined, 5000, 'the centre leg hung up');
  });

  it('every target failing: the caller hears what to dial, waits for an agent at top priority, and the failure is counted', async () => {
    const h = await start(twoTargets);
    h.sim.setEndpointBehaviour('PJSIP/119@carrier', { kind: 'congestion', afterMs: 100 });
    h.sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'no-answer' });
    h.sim.registerEndpoint('1001', { phone: { kind: 'answer', afterMs: 200 } });
    const { channelId, callId } = await emergencyKey(h);
    await hear(h, channelId, 'emergency-failed');
    await eventually(() => eventsOf(h, callId, 'call.queued').length > 0, 10_000, 'queued for an agent');
    expect(eventsOf(h, callId, 'call.queued')[0]!.data).toMatchObject({ queue: 'general', priority: 10 });
    expect(receipts(h, callId)[0]).toMatchObject({ outcome: 'failed', detail: 'no target answered', attempts: [{ outcome: 'failed' }, { outcome: 'no-answer', cause: 19 }] });
    const metrics = await (await fetch(`${h.service.url}/metrics`)).text();
    expect(metrics).toContain('hotline_emergency_transfers_total{route="emergency-linkage",outcome="failed"} 1');
    // An agent takes the caller.
    await h.service.acd!.desk.login({ id: 'a1001', ...agentProfile('1001') });
    await untilAgent(h, 'a1001', 'on-call');
    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('completed');
  });

  it('pressed while queued: out of the queue and put through to 110', async () => {
    const h = await start();
    h.sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'answer', afterMs: 200 });
    const channelId = await callToQueue(h, CITIZEN);
    const callId = callIdOf(h, channelId);
    h.sim.pressDigits(channelId, '9');
    await eventually(() => bridgeOf(h, callId)?.length === 2, 10_000, 'caller and 110 bridged');
    expect(receipts(h, callId)[0]).toMatchObject({ outcome: 'answered', entry: 'menu' });
    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('transferred');
    expect(h.record(callId)!.queue).toMatchObject({ result: 'emergency' });
  });

  it('works with Redis stopped before the call: nothing but Asterisk on the path', async () => {
    redis = await redisProcess();
    const h = await start(undefined, { redisUrl: redis.url });
    await redis.kill();
    h.sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'answer', afterMs: 200 });
    const { channelId, callId } = await emergencyKey(h);
    await eventually(() => bridgeOf(h, callId)?.length === 2, 10_000, 'caller and 110 bridged');
    expect(receipts(h, callId)[0]).toMatchObject({ outcome: 'answered' });
    h.sim.hangupFromCaller(channelId);
    await h.ended(channelId);
  });
});
