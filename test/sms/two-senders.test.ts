/**
 * Two service instances on one Redis send from one outbox: each text goes out once (the
 * claim under lease is atomic), whichever instance stored it and whichever sends it.
 */
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { DomainEvent } from '../../src/calls/index.js';
import { createSmsService, type SmsService } from '../../src/sms/index.js';
import { waitFor } from '../crm-bridge/harness.js';
import { SMPP_CREDENTIALS, log } from './support/fixtures.js';
import { SMS_SECRETS, smsConfig } from './support/sms-harness.js';
import { startSmppPeer, type SmppPeer } from './support/smpp-peer.js';

describe('two senders, one outbox', () => {
  let peer: SmppPeer | undefined;
  const services: SmsService[] = [];
  afterEach(async () => {
    for (const s of services.splice(0)) await s.stop();
    await peer?.close();
  });

  it('sends every text once', async () => {
    peer = await startSmppPeer(SMPP_CREDENTIALS);
    const prefix = `test-${randomUUID().slice(0, 8)}:`;
    const events: DomainEvent[] = [];
    for (let i = 0; i < 2; i++) {
      const sms = createSmsService({
        config: smsConfig(peer.port, { concurrency: 4 }),
        redisUrl: inject('redisUrl'),
        keyPrefix: prefix,
        log,
        secrets: SMS_SECRETS,
        registry: new Registry(),
        publish: (e) => void events.push(e),
      });
      services.push(sms);
      await sms.start();
    }
    const numbers = Array.from({ length: 60 }, (_, i) => `1380000${String(400 + i).padStart(4, '0')}`);
    await Promise.all(numbers.map((to, i) => services[i % 2]!.send({ to, ticketNumber: `SR-M${i}`, purpose: 'notice', idempotencyKey: `notice:SR-M${i}`, text: `Ticket SR-M${i} accepted` })));
    await waitFor('every text delivered', () => events.filter((e) => e.type === 'ticket.sms' && e.data.status === 'delivered').length === numbers.length);
    expect(peer.texts.map((t) => t.to).sort()).toEqual([...numbers].sort());
    expect(new Set(events.filter((e) => e.type === 'ticket.sms' && e.data.status === 'submitted').map((e) => e.id)).size).toBe(numbers.length);
  });
});
