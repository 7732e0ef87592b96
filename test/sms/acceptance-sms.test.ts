/**
 * The acceptance SMS through the real service: the ticket backend posts ticket.created to
 * the signed webhook, the text goes out over SMPP once per ticket whatever happens to the
 * event, and what became of it reaches the ticket backend as ticket.sms events.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { smsKeys } from '../../src/sms/keys.js';
import { waitFor } from '../crm-bridge/harness.js';
import { CHINESE_200 } from './support/texts.js';
import { SMS_SECRETS, startSmsWorld, type SmsWorld } from './support/sms-harness.js';

describe('acceptance SMS', () => {
  let world: SmsWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('goes out once when ticket.created arrives twice and again under a new event id', async () => {
    world = await startSmsWorld();
    const h = await world.start();
    const data = { ticketNumber: 'SR-A1', callerNumber: '13800000101', category: 'complaint', handlingUnit: '市住建局' };
    expect((await world.ticketCreated(h, 'evt-a1', data)).status).toBe(202);
    expect((await world.ticketCreated(h, 'evt-a1', data)).status).toBe(200);
    expect((await world.ticketCreated(h, 'evt-a1-resent', data)).status).toBe(202);

    const delivered = await world.waitForSmsEvent('SR-A1', 'delivered');
    expect(delivered).toMatchObject({ purpose: 'acceptance', idempotencyKey: 'acceptance:SR-A1', code: 'DELIVRD', gateway: 'smpp' });
    // Both events were handled, and the text is done: nothing is left to send.
    await waitFor('both ticket events handled', async () => (await h.service.crmBridge!.stats()).inboundHandled >= 2);
    const texts = await h.service.sms!.statusOf('SR-A1');
    expect(texts).toEqual([expect.objectContaining({ state: 'delivered', attempts: 1 })]);
    expect(await depth(h.keyPrefix)).toBe(0);
    expect(world.peer.texts.filter((t) => t.to === '13800000101')).toHaveLength(1);
    expect(world.peer.texts[0]!.text).toContain('SR-A1');
    expect(world.peer.texts[0]!.text).toContain('市住建局');
    expect(world.peer.texts[0]!.text).toContain('10个工作日');
    expect(world.smsEvents('SR-A1').map((e) => e.status)).toEqual(['submitted', 'delivered']);
  });

  it('is sent once across a restart between storing it and sending it', async () => {
    world = await startSmsWorld();
    // First life: the SMSC refuses the bind, so the text is stored and cannot go out.
    const first = await world.start({ smsSecrets: { ...SMS_SECRETS, SMS_SMPP_PASSWORD: 'not-the-password' } });
    expect((await world.ticketCreated(first, 'evt-r1', { ticketNumber: 'SR-R1', callerNumber: '13800000102', category: 'consult' })).status).toBe(202);
    await waitFor('the text stored and tried', async () => (await first.service.sms!.statusOf('SR-R1')).some((t) => t.attempts >= 1 && t.state === 'queued'));
    expect(world.peer.texts).toEqual([]);
    // The gateway being away is told, but it does not make the service unready: calls go on.
    expect(first.service.sms!.gatewayProblem()).toMatch(/bind refused: ESME_RBINDFAIL/);
    expect(await first.service.metrics.metrics()).toMatch(/^sms_gateway_ready 0$/m);
    expect((await first.service.readiness.report(1000)).checks.sms).toEqual({ ok: true });
    // The process dies: nothing drains, nothing is flushed.
    await first.service.sms!.stop();
    await first.service.crmBridge!.stop();
    await first.crash();

    const second = await world.start({ keyPrefix: first.keyPrefix });
    const delivered = await world.waitForSmsEvent('SR-R1', 'delivered');
    expect(delivered).toMatchObject({ idempotencyKey: 'acceptance:SR-R1' });
    expect(world.peer.texts.map((t) => t.to)).toEqual(['13800000102']);
    expect(world.peer.texts[0]!.text).toContain('2个工作日');
    expect(await second.service.sms!.statusOf('SR-R1')).toEqual([expect.objectContaining({ state: 'delivered' })]);
    expect(await depth(second.keyPrefix)).toBe(0);
  });

  it('a 200-character Chinese text arrives whole over SMPP, and its delivery receipt reaches the ticket backend', async () => {
    world = await startSmsWorld({ templates: { acceptance: CHINESE_200.slice(0, 190) + '{ticketNumber}' } });
    const h = await world.start();
    await world.ticketCreated(h, 'evt-c1', { ticketNumber: 'SR-C1234', callerNumber: '13800000103' });
    const delivered = await world.waitForSmsEvent('SR-C1234', 'delivered');
    const [text] = world.peer.texts;
    expect(text).toMatchObject({ to: '13800000103', text: CHINESE_200.slice(0, 190) + 'SR-C1234', dataCoding: 8, parts: 3 });
    expect(Array.from(text!.text)).toHaveLength(198);
    expect(delivered.messageIds).toEqual(text!.messageIds);
    const messages = world.backend.recorder('city-tickets').ofCall('ticket:SR-C1234');
    expect(messages.map((m) => m.sequence)).toEqual([...messages.map((m) => m.sequence)].sort((a, b) => a - b));
  });

  it('a category of its own, a due date given, a ticket that asks for no SMS', async () => {
    world = await startSmsWorld();
    const h = await world.start();
    await world.ticketCreated(h, 'evt-d1', { ticketNumber: 'SR-D1', callerNumber: '13800000104', dueDate: '2026-03-09', category: 'help' });
    await world.ticketCreated(h, 'evt-d2', { ticketNumber: 'SR-D2', callerNumber: '13800000105', sendAcceptanceSms: false });
    await world.waitForSmsEvent('SR-D1', 'delivered');
    await waitFor('both ticket events handled', async () => (await h.service.crmBridge!.stats()).inboundHandled >= 2);
    expect(world.peer.texts.map((t) => t.to)).toEqual(['13800000104']);
    expect(world.peer.texts[0]!.text).toContain('5个工作日');
    expect(world.peer.texts[0]!.text).toContain('2026-03-09');
    expect(await h.service.sms!.statusOf('SR-D2')).toEqual([]);
  });
});

async function depth(keyPrefix: string): Promise<number> {
  const redis = new Redis(inject('redisUrl'));
  try {
    return await redis.zcard(smsKeys(keyPrefix).due());
  } finally {
    await redis.quit();
  }
}
