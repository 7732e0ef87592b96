import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from '../support/service-harness.js';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0).reverse()) await h.close();
});
async function harness(...args: Parameters<typeof startHarness>): Promise<Harness> {
  const h = await startHarness(...args);
  open.push(h);
  return h;
}

describe('recovery', () => {
  it('a restarted service adopts a call still up in Asterisk, with the same call id', async () => {
    // A prompt long enough for the restart to happen while it plays.
    const first = await harness({ speed: 1 });
    const channel = await first.sim.placeCall({ from: '13812345678', dialled: '96128' });
    await eventually(() => first.sim.events().some((e) => e.event.type === 'PlaybackStarted'), 5000, 'prompt started');
    const callId = first.service.calls.session(channel.id)!.callId;
    // The crash comes after the record reached Redis (writes are asynchronous to the call).
    const stored = async (): Promise<boolean> => (await first.service.redis.exists(`${first.keyPrefix}calls:live:${channel.id}`)) === 1;
    for (let i = 0; i < 100 && !(await stored()); i++) await new Promise((r) => setTimeout(r, 20));
    await first.crash();

    const second = await harness({ simulator: first.sim, keyPrefix: first.keyPrefix });
    const ended = await second.ended(channel.id, 15_000);
    expect(ended.callId).toBe(callId);
    expect(ended.data.outcome).toBe('completed');
    const record = second.record(callId)!;
    expect(record).toMatchObject({ adopted: true, line: 'housing-96128', dialled: '96128' });
    // Phases from before the restart are kept.
    expect(record.phases.answered).toBeDefined();
    expect(second.events.filter((e) => e.type === 'call.started')).toHaveLength(0);
  });

  it('on SIGTERM-style shutdown, takes no new calls and hands live ones back to the dialplan', async () => {
    const h = await harness({ speed: 1 });
    const live = await h.sim.placeCall({ from: '13812345678', dialled: '12345' });
    await eventually(() => h.service.calls.session(live.id) !== undefined, 5000, 'call taken');
    const shutdown = h.service.shutdown(100);
    const ended = await h.ended(live.id);
    await shutdown;
    expect(ended.data).toMatchObject({ outcome: 'transferred', endedBy: 'service' });
    // The dialplan got it back: it left the app with no hangup request from the service.
    const ofChannel = h.sim.events().filter((e) => (e.event.channel as { id?: string } | undefined)?.id === live.id).map((e) => e.event.type);
    expect(ofChannel).toContain('StasisEnd');
    expect(ofChannel.slice(0, ofChannel.indexOf('StasisEnd'))).not.toContain('ChannelHangupRequest');
  });

  it(
    'recovers after Asterisk is gone longer than ari-client retries, and takes calls again',
    async () => {
      // Real time: ari-client's own retry window is fixed, whatever the simulator's speed.
      const h = await harness({ speed: 1 });
      const states: string[] = [];
      h.ari.onConnectionChange((s) => states.push(s));
      await h.sim.outage(50_000);
      await eventually(() => states.at(-1) === 'connected', 75_000, 'reconnected');
      const ready = await fetch(`${h.service.url}/readyz`);
      expect(ready.status).toBe(200);
      const channel = await h.sim.placeCall({ from: '13812345678', dialled: '12345' });
      expect((await h.ended(channel.id)).data.outcome).toBe('completed');
      expect(states).toContain('disconnected');
    },
    120_000,
  );
});

describe('health endpoints', () => {
  it('answers healthz, readyz and metrics', async () => {
    const h = await harness();
    expect(await (await fetch(`${h.service.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${h.service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { ari: true, redis: true, accepting: true } });
    const channel = await h.sim.placeCall({ from: '13812345678', dialled: '12345' });
    await h.ended(channel.id);
    const metrics = await (await fetch(`${h.service.url}/metrics`)).text();
    expect(metrics).toMatch(/hotline_calls_started_total\{line="main"\} 1/);
    expect(metrics).toMatch(/hotline_calls_ended_total\{outcome="completed",ended_by="service"\} 1/);
    const missing = await fetch(`${h.service.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error_id: 'not-found' });
  });
});
