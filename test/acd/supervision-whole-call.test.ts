/**
 * Supervision on whole calls: a citizen goes from the menu through the ACD to an agent in
 * the real service (simulator, Redis), and a supervisor listens, whispers or barges over the
 * service's own registry and ACD core. The call goes on as before when the supervisor
 * leaves; when the call ends, the supervision ends with it and leaves nothing behind.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Supervision, snoopChannelId, supervisionIds } from '../../src/acd/supervision/index.js';
import { testLog, type Harness } from '../support/service-harness.js';
import { agentProfile, callIdOf, callToQueue, simChannel, talkBridge, untilAgent, useAcdCalls } from './support/acd-calls.js';

const start = useAcdCalls();
const ACTOR = { name: 'zhang-wei', role: 'supervisor' };

let supervision: Supervision | undefined;
afterEach(async () => {
  await supervision?.close();
  supervision = undefined;
});

/** A citizen talking to agent a1001 (on 1001); the supervisor's phone 1002 answers at once. */
async function talking(): Promise<{ h: Harness; s: Supervision; channelId: string; callId: string; agentLeg: string }> {
  const h = await start();
  h.sim.registerEndpoint('1001', { phone: { kind: 'answer', afterMs: 100 } });
  h.sim.registerEndpoint('1002', { phone: { kind: 'answer', afterMs: 0 } });
  await h.service.acd!.desk.login({ id: 'a1001', ...agentProfile('1001') });
  const channelId = await callToQueue(h);
  await untilAgent(h, 'a1001', 'on-call');
  const callId = callIdOf(h, channelId);
  await vi.waitFor(() => expect(talkBridge(h, callId)?.channels).toHaveLength(2));
  const agentLeg = talkBridge(h, callId)!.channels.find((c) => c !== channelId)!;
  const { core } = h.service.acd!;
  supervision = new Supervision({ ari: h.ari, agents: core.agents, redis: core.redis, keyPrefix: h.keyPrefix, log: testLog });
  supervision.attach(h.service.calls);
  return { h, s: supervision, channelId, callId, agentLeg };
}

async function gone(h: Harness, s: Supervision, id: string): Promise<void> {
  const ids = supervisionIds(id);
  await vi.waitFor(async () => {
    expect(h.sim.channels().map((c) => c.id as string).filter((c) => c.startsWith(ids.supervisorChannel))).toEqual([]);
    expect(h.sim.bridges().find((b) => b.id === ids.helperBridge)).toBeUndefined();
    expect(await s.list()).toEqual([]);
  }, { timeout: 5000 });
}

describe('supervision on a whole call', () => {
  it('barge: three in the call; the citizen hanging up ends the call, the supervision with it, and the agent goes to wrap-up', async () => {
    const { h, s, channelId, callId, agentLeg } = await talking();
    const { id } = await s.start({ mode: 'barge', agentId: 'a1001', supervisorEndpoint: 'PJSIP/1002', actor: ACTOR });
    await vi.waitFor(() => expect(talkBridge(h, callId)?.channels.slice().sort()).toEqual([channelId, agentLeg, supervisionIds(id).supervisorChannel].sort()));

    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('completed');
    await gone(h, s, id);
    await untilAgent(h, 'a1001', 'wrap-up');
    expect(simChannel(h, agentLeg)).toBeUndefined();
  });

  it('listen: the snoop is on the agent leg; the supervisor leaving changes nothing for the call, which ends as usual', async () => {
    const { h, s, channelId, callId, agentLeg } = await talking();
    const { id } = await s.start({ mode: 'listen', agentId: 'a1001', supervisorEndpoint: 'PJSIP/1002', actor: ACTOR });
    const ids = supervisionIds(id);
    await vi.waitFor(() => expect(h.sim.bridges().find((b) => b.id === ids.helperBridge)?.channels).toHaveLength(2));
    expect(h.sim.requests().filter((r) => r.path === `/channels/${agentLeg}/snoop`).map((r) => r.query)).toEqual([
      expect.objectContaining({ spy: 'both', whisper: 'none', snoopId: snoopChannelId(id, 1) }),
    ]);

    h.sim.hangupFromCaller(ids.supervisorChannel);
    await gone(h, s, id);
    expect(talkBridge(h, callId)?.channels.slice().sort()).toEqual([channelId, agentLeg].sort());
    expect(await h.service.acd!.desk.get('a1001')).toMatchObject({ state: { kind: 'on-call', callId } });

    h.sim.hangupFromCaller(agentLeg);
    expect((await h.ended(channelId)).data.outcome).toBe('completed');
    await untilAgent(h, 'a1001', 'wrap-up');
  });

  it('whisper: the agent hanging up ends the call and the supervision, snoop and helper bridge included', async () => {
    const { h, s, channelId, agentLeg } = await talking();
    const { id } = await s.start({ mode: 'whisper', agentId: 'a1001', supervisorEndpoint: 'PJSIP/1002', actor: ACTOR });
    await vi.waitFor(() => expect(h.sim.bridges().find((b) => b.id === supervisionIds(id).helperBridge)?.channels).toHaveLength(2));
    h.sim.hangupFromCaller(agentLeg);
    expect((await h.ended(channelId)).data.outcome).toBe('completed');
    await gone(h, s, id);
  });
});
