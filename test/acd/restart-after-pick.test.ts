/**
 * The instance killed (SIGKILL) between its pick and the originate: Redis holds the call
 * offered to the agent, the agent ringing, and no leg anywhere. The restarted instance takes
 * the caller over, finds the offer's leg gone, puts the call back at the head of its queue
 * and the agent back to ready; the agent is rung again and takes the call. The pick here is
 * the real pick script's, run while no service runs (what the dead instance did last).
 */
import { describe, expect, it, vi } from 'vitest';
import { acdKeys, AcdConfigSchema, Router } from '../../src/acd/index.js';
import { exampleRaw } from '../ivr/support/example-config.js';
import { useAcdRestart } from './support/acd-restart.js';

const start = useAcdRestart('restart-after-pick');

/** The scene's ACD config, as the service reads it (acd-restart.ts edits the general queue so). */
function sceneAcd() {
  const acd = exampleRaw().acd;
  acd.queues.general = { ...acd.queues.general, widening: [], minLevel: 1, wrapUpSeconds: 60, ringTimeoutSeconds: 20, announceEverySeconds: 0 };
  acd.callbacks.missedCalls.enabled = false;
  return AcdConfigSchema.parse(acd);
}

describe('a service killed between a pick and its originate', () => {
  it('the restarted service frees the reservation: the call back at the head, the agent ready, rung and talking; completed once', async () => {
    const t = await start();
    const first = await t.service();
    const { channelId, callId } = await t.callToQueue('13912340041');
    await vi.waitFor(async () => expect(await t.queueEntry(callId)).toMatchObject({ state: 'waiting' }), { timeout: 15_000, interval: 20 });
    await t.delivered(callId, 'call.queued');
    await first.kill();

    await t.agent('a1', 'agent1', { kind: 'answer', afterMs: 100 });
    const picked = await new Router(t.redis, acdKeys(t.keyPrefix), sceneAcd()).pick('general', Date.now());
    expect(picked).toMatchObject({ callId, agentId: 'a1' });
    expect(await t.stateOf('a1')).toMatchObject({ kind: 'ringing', callId });
    expect(t.sim.channels().map((c) => c.id)).not.toContain(picked!.offerChannel);

    const second = await t.service();
    await second.logged(/the ACD takes the call over where it was/);
    await vi.waitFor(() => expect(t.bridge(callId)?.channels).toHaveLength(2), { timeout: 15_000, interval: 20 });
    expect(t.bridge(callId)!.channels).toContain(channelId);
    await t.untilAgent('a1', 'on-call');
    t.sim.hangupFromCaller(channelId);
    await t.untilAgent('a1', 'wrap-up');
    for (const events of await t.ticketsOf(callId)) {
      expect(events.filter((m) => m.type === 'call.started')).toHaveLength(1);
      expect(events.filter((m) => m.type === 'call.ended').map((m) => m.body.data)).toEqual([expect.objectContaining({ outcome: 'completed' })]);
    }
  }, 180_000);
});
