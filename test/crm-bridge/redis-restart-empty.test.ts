/**
 * Redis killed and started again empty (no persistence) under load, with the same bridge
 * running throughout: delivery resumes by itself, nothing accepted is lost, nothing reaches
 * a sink twice, each call's order and numbering hold. One sink is down around the kill, so
 * its backlog sits unread in Redis when Redis forgets it: only the writer's memory of
 * unread events can bring that back.
 */
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { withTimeout } from '../../src/shared/with-timeout.js';
import { SINKS, bridgeConfig, makeBridge, newBus, receiveTicketCreated, startBackend, uniquePrefix } from './harness.js';
import { CallLoad } from './call-load.js';
import { ownRedisScene, redisServerAvailable, startRestartableRedis } from './restartable-redis.js';

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.slice(name.length).trim()) : NaN;
}

describe.skipIf(!redisServerAvailable())('outbound: Redis restarted empty under load', () => {
  const scene = ownRedisScene();

  it('delivers every accepted event exactly once, in order, with increasing sequences, without restarting the bridge', { timeout: 90_000 }, async () => {
    const redis = (scene.redis = await startRestartableRedis());
    const backend = (scene.backend = await startBackend());
    const registry = new Registry();
    const bus = newBus();
    const handled: string[] = [];
    const config = bridgeConfig(backend, {
      sink: { retry: { attempts: 100, backoffMs: 20, maxBackoffMs: 100 } },
      // Few messages read ahead: most of a stalled sink's backlog stays unread in Redis.
      top: { readAhead: 20 },
    });
    const bridge = (scene.bridge = makeBridge(config, bus, uniquePrefix(), { redisUrl: redis.url, registry, onTicketEvent: (e) => void handled.push(e.eventId) }));
    await bridge.start();
    const load = new CallLoad(bus);
    const surveys = [
      { id: 'survey-1', callId: 'call-survey', at: new Date().toISOString(), type: 'survey.completed', data: { score: 5 } },
      { id: 'survey-2', callId: 'call-survey', at: new Date().toISOString(), type: 'survey.completed', data: { score: 4 } },
    ];
    // Redis up, both sinks up.
    await load.run(150);
    expect(bridge.publish(surveys[0]!)).toBe(true);
    await receiveTicketCreated(bridge, 'ticket-before');
    await vi.waitFor(() => expect(handled).toContain('ticket-before'), { timeout: 10_000 });

    // The city sink goes down: its backlog piles up unread in Redis, and its delivery shows as stuck.
    backend.fault('city-tickets').set('down');
    await load.run(250);
    await expect.poll(async () => metric(await registry.metrics(), 'crm_bridge_delivery_stuck_seconds{sink="city-tickets"}'), { timeout: 10_000 }).toBeGreaterThan(0.3);

    // Killed while events keep coming; they keep coming while it is away.
    await Promise.all([load.run(330), redis.kill()]);
    await load.run(450);
    await expect.poll(() => bridge.readiness().ok, { timeout: 10_000 }).toBe(false);
    expect(bridge.readiness().reason).toMatch(/Redis|reads failed/);
    // Scrapes answer from memory while Redis is away.
    const scrape = await withTimeout(registry.metrics(), 1000, '/metrics while Redis is away');
    expect(scrape).toContain('crm_bridge_sample_age_seconds');

    // Back, empty, while events keep coming; then the city comes back too.
    await Promise.all([load.run(520), redis.start()]);
    backend.fault('city-tickets').recover();
    await load.run(600);
    expect(bridge.publish(surveys[1]!)).toBe(true);
    await vi.waitFor(() => receiveTicketCreated(bridge, 'ticket-after'), { timeout: 10_000 });
    await vi.waitFor(() => expect(handled).toContain('ticket-after'), { timeout: 15_000 });

    const expected = [...load.published.values()].flat();
    for (const sink of SINKS) {
      const recorder = backend.recorder(sink);
      await vi.waitFor(() => expect(expected.filter((id) => !recorder.has(id))).toEqual([]), { timeout: 45_000, interval: 50 });
      await vi.waitFor(() => expect(surveys.every((s) => recorder.has(s.id))).toBe(true), { timeout: 10_000 });
      const keys = recorder.messages.map((m) => m.eventId);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toHaveLength(expected.length + surveys.length);
      for (const [callId, ids] of load.published) {
        const received = recorder.ofCall(callId);
        expect(received.map((m) => m.eventId)).toEqual(ids);
        expect(received.map((m) => m.sequence)).toEqual(ids.map((_, i) => i + 1));
      }
      // Another feature's events: numbers from a clock-seeded counter, still increasing after Redis forgot it.
      const [before, after] = recorder.ofCall('call-survey').map((m) => m.sequence);
      expect(before).toBeGreaterThan(Date.parse(surveys[0]!.at) * 1000 - 1);
      expect(after).toBeGreaterThan(before!);
    }
    const final = await registry.metrics();
    // The city's unread backlog came back from the writer's memory, not from Redis.
    expect(metric(final, 'crm_bridge_outbox_stored_again_total')).toBeGreaterThan(0);
    expect(load.total).toBe(600);
    await expect.poll(() => bridge.readiness(), { timeout: 10_000 }).toEqual({ ok: true });
  });
});
