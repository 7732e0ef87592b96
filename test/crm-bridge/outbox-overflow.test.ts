/**
 * The outbox's memory is bounded while Redis is away: past `maxBufferedEvents` it refuses new
 * calls and progress details, still takes the rest of the calls it has, refuses everything
 * past the hard limit, says so once, counts every refusal — and delivers every event it
 * accepted once Redis is back.
 */
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import type { DomainEventBus } from '../../src/calls/index.js';
import { bridgeConfig, makeBridge, newBus, startBackend, uniquePrefix } from './harness.js';
import { ownRedisScene, redisServerAvailable, startRestartableRedis } from './restartable-redis.js';

const started = (bus: DomainEventBus, callId: string) =>
  bus.publish('call.started', callId, { channelId: `ch-${callId}`, caller: '13812345678', callerName: '', dialled: '12345', line: 'main' }, 1);
const choice = (bus: DomainEventBus, callId: string, sequence: number) =>
  bus.publish('call.ivr-choice', callId, { node: `menu-${sequence}`, input: '1', outcome: 'matched', next: null }, sequence);
const ended = (bus: DomainEventBus, callId: string, sequence: number) =>
  bus.publish('call.ended', callId, { channelId: `ch-${callId}`, outcome: 'completed', endedBy: 'caller', hangupCause: 16, hangupCauseText: null, durationMs: 1000 }, sequence);

describe.skipIf(!redisServerAvailable())('outbound: the outbox memory is bounded while Redis is away', () => {
  const scene = ownRedisScene();

  it('refuses new calls and progress details when full, keeps and delivers every accepted event, and logs one line per overflow', { timeout: 60_000 }, async () => {
    const redis = (scene.redis = await startRestartableRedis());
    await redis.kill();
    const backend = (scene.backend = await startBackend());
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const registry = new Registry();
    const bus = newBus();
    const config = bridgeConfig(backend, { top: { maxBufferedEvents: 100 } });
    config.sinks = config.sinks.slice(0, 1);
    const bridge = (scene.bridge = makeBridge(config, bus, uniquePrefix(), { redisUrl: redis.url, registry, log }));
    await bridge.start();

    // 100 events of ten calls fill the buffer.
    for (let c = 0; c < 10; c++) {
      started(bus, `c${c}`);
      for (let sequence = 2; sequence <= 10; sequence++) choice(bus, `c${c}`, sequence);
    }
    expect(await registry.metrics()).toContain('crm_bridge_outbox_buffered 100');
    started(bus, 'c10'); // a new call: refused
    ended(bus, 'c10', 2); // and the rest of it
    choice(bus, 'c0', 11); // a progress detail: refused
    for (let c = 0; c < 10; c++) ended(bus, `c${c}`, c === 0 ? 12 : 11); // the calls it has end: accepted, up to the hard limit
    bus.publish('call.recorded', 'c1', { recordingName: 'r', recordingId: 'r', durationSeconds: 1, sha256: 'ab'.repeat(32), sm3: 'cd'.repeat(32), sizeBytes: 16_044, retainUntil: '2029-12-02T00:00:00.000Z' }, 12); // past the hard limit: refused
    expect(bridge.publish({ id: 'survey-1', callId: 'c2', at: new Date().toISOString(), type: 'survey.completed', data: {} })).toBe(false);

    const metrics = await registry.metrics();
    expect(metrics).toContain('crm_bridge_events_refused_total{reason="new-call"} 2');
    expect(metrics).toContain('crm_bridge_events_refused_total{reason="non-essential"} 1');
    expect(metrics).toContain('crm_bridge_events_refused_total{reason="buffer-full"} 2');
    expect(metrics).toContain('crm_bridge_outbox_buffered 110');
    expect(lines.filter((l) => l.includes('TICKET OUTBOX FULL'))).toHaveLength(1);
    await expect.poll(() => bridge.readiness().ok, { timeout: 10_000 }).toBe(false);

    await redis.start();
    const city = backend.recorder('city-tickets');
    await vi.waitFor(() => expect(city.messages).toHaveLength(110), { timeout: 30_000, interval: 50 });
    expect(city.ofCall('c0').map((m) => m.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12]);
    for (let c = 1; c < 10; c++) expect(city.ofCall(`c${c}`).map((m) => m.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(city.ofCall('c10')).toEqual([]);
    const over = lines.filter((l) => l.includes('overflow over'));
    expect(over).toHaveLength(1);
    expect(JSON.parse(over[0]!)).toMatchObject({ refused: { 'new-call': 2, 'non-essential': 1, 'buffer-full': 2 }, refusedTotal: 5, callsRefused: 1 });
    expect(lines.filter((l) => l.includes('TICKET OUTBOX FULL'))).toHaveLength(1);
  });
});
