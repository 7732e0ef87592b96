/**
 * Redis is a dependency that may be absent: answering a call, the menu and the emergency key
 * depend on nothing but Asterisk; HTTP answers quickly whatever Redis does (metrics at once,
 * operator routes and the webhook 503, /readyz saying why); the parts that need Redis start
 * by themselves once it is back.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadHotlineConfig } from '../../src/app/load-config.js';
import { sendTicketEvent } from '../../sim/ticket-backend/server.js';
import { SECRETS } from '../crm-bridge/harness.js';
import { redisProcess, type RedisProcess } from '../support/redis-process.js';
import { startHarness, type Harness } from '../support/service-harness.js';

const TOKEN = 'ops-desk-token-for-redis-tests';
const apiTokens = [{ name: 'ops-desk', role: 'supervisor' as const, token: TOKEN }];

let h: Harness | undefined;
let redis: RedisProcess | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await redis?.kill();
  redis = undefined;
});

async function startService(redisUrl: string): Promise<Harness> {
  // The whole example config: the IVR, the ticket bridge (sinks unreachable: delivery just waits).
  const config = await loadHotlineConfig('config/hotline.example.yaml');
  return startHarness({ config, redisUrl, crmSecrets: SECRETS, apiTokens });
}

/** True once the channel has begun playing `sound` (a sound name without `sound:`). */
function heard(harness: Harness, channelId: string, sound: string): boolean {
  return harness.sim.events().some((e) => {
    const playback = e.event.playback as { media_uri?: string; target_uri?: string } | undefined;
    return e.event.type === 'PlaybackStarted' && playback?.target_uri === `channel:${channelId}` && playback.media_uri === `sound:${sound}`;
  });
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

describe('Redis down when the service starts', () => {
  it('answers, runs the menu and puts the emergency key through to 110; the bridge starts once Redis is back', async () => {
    redis = await redisProcess({ startNow: false });
    h = await startService(redis.url);

    const ready = await fetch(`${h.service.url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean; reason?: string }> };
    expect(body.checks.redis).toMatchObject({ ok: false });
    expect(body.checks['crm-bridge']).toMatchObject({ ok: false });
    expect(body.checks['crm-bridge']!.reason).toMatch(/Redis/);

    const caller = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
    const harness = h;
    await vi.waitFor(() => expect(heard(harness, caller.id, 'hotline/zh/main-menu')).toBe(true), { timeout: 10_000, interval: 20 });
    h.sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'answer', afterMs: 200 });
    h.sim.pressDigits(caller.id, '9');
    // The service itself puts the caller through to 110: Asterisk alone is on the path.
    const bridged = (): string[] => (harness.sim.bridges().find((b) => String(b.id).startsWith('emg-')) as { channels: string[] } | undefined)?.channels ?? [];
    await vi.waitFor(() => expect(bridged()).toHaveLength(2), { timeout: 10_000, interval: 20 });
    expect(bridged()).toContain(caller.id);
    h.sim.hangupFromCaller(caller.id);
    const ended = await h.ended(caller.id);
    expect(ended.data.outcome).toBe('transferred');
    expect(h.events.find((e) => e.callId === ended.callId && e.type === 'call.emergency')?.data).toMatchObject({ route: 'emergency-linkage', outcome: 'answered' });

    await redis.start();
    await h.service.started;
    await vi.waitFor(
      async () => {
        const res = await fetch(`${harness.service.url}/readyz`);
        expect(res.status).toBe(200);
      },
      { timeout: 15_000, interval: 100 },
    );
  });
});

describe('Redis lost while the service runs', () => {
  it('keeps /metrics quick, answers the operator routes and the webhook 503, and /readyz says why', async () => {
    redis = await redisProcess();
    h = await startService(redis.url);
    await h.service.started;
    const harness = h;
    await vi.waitFor(async () => expect((await fetch(`${harness.service.url}/readyz`)).status).toBe(200), { timeout: 10_000, interval: 50 });

    await redis.kill();

    const metrics = await timed(fetch(`${h.service.url}/metrics`));
    expect(metrics.value.status).toBe(200);
    expect(await metrics.value.text()).toContain('hotline_calls_active');
    expect(metrics.ms).toBeLessThan(1000);

    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const path of ['/priority-callers', '/caller-restrictions', '/crm-bridge/stats', '/crm-bridge/dead-letters']) {
      const res = await timed(fetch(`${h.service.url}${path}`, { headers: auth }));
      expect({ path, status: res.value.status }).toEqual({ path, status: 503 });
      expect(await res.value.json()).toMatchObject({ error_id: 'store-unavailable' });
      expect(res.ms).toBeLessThan(5000);
    }
    const put = await timed(
      fetch(`${h.service.url}/priority-callers/13812345678`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ note: 'elderly caller' }) }),
    );
    expect(put.value.status).toBe(503);

    const webhook = await timed(
      sendTicketEvent(`${h.service.url}/webhooks/ticket-events`, SECRETS.CRM_INBOUND_SECRET, {
        schema: 'hotline.ticket-event/v1',
        eventId: 'evt-redis-down',
        type: 'ticket.created',
        occurredAt: '2026-03-01T09:30:00.000+08:00',
        data: { ticketNumber: 'SR20260301-0042', callerNumber: '13812345678', callId: 'call-1', handlingUnit: '市住建局', dueDate: '2026-03-08' },
      }),
    );
    expect(webhook.value.status).toBe(503);
    expect(webhook.ms).toBeLessThan(5000);

    const ready = await timed(fetch(`${h.service.url}/readyz`));
    expect(ready.value.status).toBe(503);
    const report = (await ready.value.json()) as { checks: Record<string, { ok: boolean; reason?: string }> };
    expect(report.checks.redis).toMatchObject({ ok: false });
    expect(report.checks.redis!.reason).toMatch(/Redis does not answer/);
    expect(report.checks.ari).toEqual({ ok: true });
    expect(ready.ms).toBeLessThan(1000);

    // Calls go on meanwhile.
    const caller = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
    await vi.waitFor(() => expect(heard(harness, caller.id, 'hotline/zh/main-menu')).toBe(true), { timeout: 10_000, interval: 20 });
    h.sim.hangupFromCaller(caller.id);
    expect((await h.ended(caller.id)).data.outcome).toBe('abandoned');

    // Redis back (empty): the service is ready again by itself and the routes answer.
    await redis.start();
    await vi.waitFor(async () => expect((await fetch(`${harness.service.url}/readyz`)).status).toBe(200), { timeout: 15_000, interval: 100 });
    expect((await fetch(`${h.service.url}/priority-callers`, { headers: auth })).status).toBe(200);
  });
});
