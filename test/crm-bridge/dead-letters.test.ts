import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrmBridge } from '../../src/crm-bridge/index.js';
import { buildHttpServer } from '../../src/http/server.js';
import { crmBridgeAdminRoutes } from '../../src/http/routes/crm-bridge-admin.js';
import { ApiAuth } from '../../src/http/auth.js';
import type { ReferenceBackend } from '../../sim/ticket-backend/server.js';
import { bridgeConfig, log, makeBridge, newBus, publishWholeCall, startBackend, uniquePrefix, waitFor } from './harness.js';

interface DeadLetterView {
  id: string;
  sink: string;
  eventId: string;
  callId: string;
  sequence: number;
  reason: string;
  attempts: number;
}

describe('outbound: dead letters after the retry budget, then replay', () => {
  let backend: ReferenceBackend;
  let bridge: CrmBridge;
  let http: FastifyInstance;
  afterEach(async () => {
    await http?.close();
    await bridge?.stop();
    await backend?.close();
  });

  async function setUp() {
    backend = await startBackend();
    const bus = newBus();
    const registry = new Registry();
    bridge = makeBridge(bridgeConfig(backend, { sink: { retry: { attempts: 3, backoffMs: 10, maxBackoffMs: 20 } } }), bus, uniquePrefix(), { registry });
    await bridge.start();
    const auth = new ApiAuth([{ name: 'ops-desk', role: 'supervisor', token: 'ops-desk-token-0001' }], log);
    http = await buildHttpServer({ log, plugins: [crmBridgeAdminRoutes({ bridge, guard: auth.require('supervisor') })] });
    const base = await http.listen({ host: '127.0.0.1', port: 0 });
    const api = async (method: string, path: string, body?: unknown) => {
      const authorization = 'Bearer ops-desk-token-0001';
      const res = await fetch(`${base}${path}`, {
        method,
        ...(body === undefined ? { headers: { authorization } } : { headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    return { bus, registry, api };
  }

  it('dead-letters a call held behind its failed message, shows it in the API and metrics, and replays it in order', async () => {
    const { bus, registry, api } = await setUp();
    backend.fault('city-tickets').set('down');
    const ids = publishWholeCall(bus, 'call-d', undefined, [0, 3]);

    await waitFor('three dead letters', async () => (await bridge.deadLetters.count('city-tickets')) === 3);
    const listed = await api('GET', '/crm-bridge/dead-letters?sink=city-tickets');
    expect(listed.status).toBe(200);
    const items = listed.body.items as DeadLetterView[];
    expect(items.map((d) => [d.eventId, d.sequence, d.reason])).toEqual([
      [ids[0], 1, 'exhausted'],
      [ids[1], 2, 'held-behind'],
      [ids[2], 3, 'held-behind'],
    ]);
    expect(items[0]!.attempts).toBe(3);
    expect(listed.body.total).toEqual({ 'city-tickets': 3 });
    // The other sink is not held up by this one.
    await waitFor('province to have all three', () => backend.recorder('provincial-platform').messages.length === 3);

    // Dead letters in Redis are counted by the background sample, not at scrape time.
    await waitFor('the dead letters to be sampled', async () => (await registry.metrics()).includes('crm_bridge_dead_letters{sink="city-tickets"} 3'));
    const metrics = await registry.metrics();
    expect(metrics).toContain('crm_bridge_dead_lettered_total{sink="city-tickets",reason="exhausted"} 1');
    expect(metrics).toContain('crm_bridge_dead_lettered_total{sink="city-tickets",reason="held-behind"} 2');
    expect(metrics).toContain('crm_bridge_dead_letters{sink="city-tickets"} 3');
    expect(metrics).toContain('crm_bridge_delivered_total{sink="provincial-platform"} 3');

    // A later event of the held call must not overtake the dead ones.
    const [fourth] = publishWholeCall(bus, 'call-d', undefined, [3, 4]);
    await waitFor('the fourth to be held too', async () => (await bridge.deadLetters.count('city-tickets')) === 4);

    backend.fault('city-tickets').recover();
    // Replaying one of the chain replays the whole chain, in order.
    const replay = await api('POST', '/crm-bridge/dead-letters/replay', { sink: 'city-tickets', id: items[1]!.id });
    expect(replay.status).toBe(200);
    expect(replay.body.count).toBe(4);
    const city = backend.recorder('city-tickets');
    await waitFor('the city to receive the call', () => city.messages.length === 4);
    expect(city.messages.map((m) => m.eventId)).toEqual([...ids, fourth]);
    expect(city.messages.map((m) => m.sequence)).toEqual([1, 2, 3, 4]);
    expect(await bridge.deadLetters.count('city-tickets')).toBe(0);
    expect(await registry.metrics()).toContain('crm_bridge_replayed_total{sink="city-tickets"} 4');
  });

  it('dead-letters a permanently refused message at once and replays all on request', async () => {
    const { bus, api } = await setUp();
    backend.fault('provincial-platform').set('reject', 1);
    const [id] = publishWholeCall(bus, 'call-r', undefined, [0, 1]);
    await waitFor('one dead letter', async () => (await bridge.deadLetters.count('provincial-platform')) === 1);
    const listed = await api('GET', '/crm-bridge/dead-letters');
    expect((listed.body.items as DeadLetterView[]).map((d) => [d.sink, d.eventId, d.reason, d.attempts])).toEqual([
      ['provincial-platform', id, 'rejected', 1],
    ]);
    const replay = await api('POST', '/crm-bridge/dead-letters/replay', {});
    expect(replay.body.count).toBe(1);
    await waitFor('province to receive it', () => backend.recorder('provincial-platform').has(id!));
  });

  it('answers 404 for an unknown sink or dead letter and 400 for a bad replay request', async () => {
    const { api } = await setUp();
    expect((await api('GET', '/crm-bridge/dead-letters?sink=nowhere')).status).toBe(404);
    const unknown = await api('POST', '/crm-bridge/dead-letters/replay', { sink: 'city-tickets', id: '1-0' });
    expect(unknown.status).toBe(404);
    const bad = await api('POST', '/crm-bridge/dead-letters/replay', { id: 'not-an-id' });
    expect(bad.status).toBe(400);
    expect(bad.body.error_id).toBe('invalid-request');
  });
});
