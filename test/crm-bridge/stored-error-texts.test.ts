/**
 * Error texts the bridge keeps — a sink's answer in an outbound dead letter, a handler's
 * message in an inbound one — may carry a caller's number: they are stored masked, and cut
 * to a sane length.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrmBridge } from '../../src/crm-bridge/index.js';
import { MAX_ERROR_TEXT } from '../../src/crm-bridge/error-text.js';
import { crmKeys } from '../../src/crm-bridge/keys.js';
import { fieldMap, type RawStreamEntry } from '../../src/crm-bridge/outbox-entry.js';
import type { ReferenceBackend } from '../../sim/ticket-backend/server.js';
import { bridgeConfig, makeBridge, newBus, publishWholeCall, receiveTicketCreated, redisUrl, startBackend, uniquePrefix, waitFor } from './harness.js';

/** A sink that refuses every message, echoing the caller's number in a long answer, as some backends do. */
async function echoingSink(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(422, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'caller 13812345678 is not in our registry', trace: 'x'.repeat(2000) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, server };
}

describe('stored error texts', () => {
  let backend: ReferenceBackend;
  let bridge: CrmBridge | undefined;
  let sink: Server | undefined;
  afterEach(async () => {
    await bridge?.stop();
    sink?.close();
    await backend?.close();
  });

  it("masks a sink's answer in the dead letters and cuts it short", async () => {
    backend = await startBackend();
    const echo = await echoingSink();
    sink = echo.server;
    const config = bridgeConfig(backend);
    config.sinks = [{ ...config.sinks[0]!, url: echo.url }];
    const bus = newBus();
    bridge = makeBridge(config, bus, uniquePrefix());
    await bridge.start();
    publishWholeCall(bus, 'call-m', '13812345678', [0, 1]);

    await waitFor('the refused message in the dead letters', async () => (await bridge!.deadLetters.count('city-tickets')) === 1);
    const [dead] = (await bridge.deadLetters.list({ sink: 'city-tickets' })).items;
    expect(dead!.reason).toBe('rejected');
    expect(dead!.lastError).toContain('HTTP 422');
    expect(dead!.lastError).toContain('138******78');
    expect(dead!.lastError).not.toContain('13812345678');
    expect(dead!.lastError.length).toBeLessThanOrEqual(MAX_ERROR_TEXT + 1);
  });

  it("masks a failing handler's message in the inbound dead letters", async () => {
    backend = await startBackend();
    const prefix = uniquePrefix();
    const config = bridgeConfig(backend);
    config.inbound = { ...config.inbound!, handlerAttempts: 1 };
    bridge = makeBridge(config, newBus(), prefix, {
      onTicketEvent: (event) => {
        throw new Error(`acceptance SMS to ${event.type === 'ticket.created' ? event.data.callerNumber : '?'} failed`);
      },
    });
    await bridge.start();
    await receiveTicketCreated(bridge, 'ticket-m', '13912345678');

    const redis = new Redis(redisUrl());
    try {
      const deadKey = crmKeys(prefix).inboundDeadLetters();
      await waitFor('the ticket event in the inbound dead letters', async () => (await redis.xlen(deadKey)) === 1);
      const [[, fields]] = (await redis.xrange(deadKey, '-', '+')) as RawStreamEntry[] as [RawStreamEntry];
      const error = fieldMap(fields ?? []).error ?? '';
      expect(error).toBe('1 ticket event handler(s) failed: acceptance SMS to 139******78 failed');
    } finally {
      redis.disconnect();
    }
  });
});
