/**
 * The sender through the real service and an SMSC that refuses in every way it can:
 * permanent refusals recorded and told once, never retried; temporary ones retried until
 * they go through or the attempts run out; throttling; the daily cap; the opt-out list
 * through the supervisor API; a citizen's reply reaching onReply with its survey's ticket.
 */
import smpp from 'smpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmsReply } from '../../src/sms/index.js';
import { waitFor } from '../crm-bridge/harness.js';
import type { Harness } from '../support/service-harness.js';
import { SUPERVISOR_TOKEN, startSmsWorld, type SmsWorld } from './support/sms-harness.js';

describe('sending', () => {
  let world: SmsWorld;
  let h: Harness;
  beforeAll(async () => {
    world = await startSmsWorld({ dailyCapPerNumber: 2 });
    h = await world.start();
  });
  afterAll(async () => {
    await world.close();
  });

  const send = (to: string, ticketNumber: string, key: string, purpose: 'acceptance' | 'survey' = 'acceptance') =>
    h.service.sms!.send({ to, ticketNumber, purpose, idempotencyKey: key, params: { handlingUnit: '市水务局', workingDays: '5', dueDate: '2026-03-09' } });
  const texts = (ticketNumber: string) => h.service.sms!.statusOf(ticketNumber);
  const metric = async (name: string) => {
    const body = await h.service.metrics.metrics();
    return body.split('\n').filter((l) => l.startsWith(name)).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
  };

  it('refuses a request it cannot store as asked: a bad number, ticket number or key', async () => {
    await expect(send('not-a-number', 'SR-V1', 'acceptance:SR-V1')).rejects.toMatchObject({ code: 'sms:invalid-number' });
    await expect(send('13800000200', 'SR V1', 'acceptance:SR-V1')).rejects.toMatchObject({ code: 'sms:invalid-request' });
    await expect(send('13800000200', 'SR-V1', 'acceptance SR-V1')).rejects.toMatchObject({ code: 'sms:invalid-request' });
    expect(await texts('SR-V1')).toEqual([]);
  });

  it('a permanent refusal is recorded and told once, never retried', async () => {
    world.peer.refuse('13800000201', smpp.ESME_RINVDSTADR);
    expect(await send('13800000201', 'SR-P1', 'acceptance:SR-P1')).toEqual({ accepted: true, state: 'queued', reason: null });
    const rejected = await world.waitForSmsEvent('SR-P1', 'rejected');
    expect(rejected).toMatchObject({ code: 'ESME_RINVDSTADR', attempts: 1 });
    expect(await texts('SR-P1')).toEqual([expect.objectContaining({ state: 'rejected', code: 'ESME_RINVDSTADR', attempts: 1 })]);
    expect(world.smsEvents('SR-P1').map((e) => e.status)).toEqual(['rejected']);
  });

  it('a temporary refusal is retried with backoff until the text goes through', async () => {
    world.peer.failNext(2, smpp.ESME_RSYSERR);
    await send('13800000202', 'SR-T1', 'acceptance:SR-T1');
    await world.waitForSmsEvent('SR-T1', 'delivered');
    expect(await texts('SR-T1')).toEqual([expect.objectContaining({ state: 'delivered', attempts: 3 })]);
    expect(world.peer.texts.filter((t) => t.to === '13800000202')).toHaveLength(1);
  });

  it('temporary refusals that outlast the attempts end as failed, told once', async () => {
    world.peer.failNext(4, smpp.ESME_RMSGQFUL);
    await send('13800000203', 'SR-T2', 'acceptance:SR-T2');
    expect(await world.waitForSmsEvent('SR-T2', 'failed')).toMatchObject({ code: 'ESME_RMSGQFUL', attempts: 4 });
    expect(await texts('SR-T2')).toEqual([expect.objectContaining({ state: 'failed', attempts: 4 })]);
    expect(world.peer.texts.filter((t) => t.to === '13800000203')).toHaveLength(0);
  });

  it('throttling pauses the sender, then the text goes out', async () => {
    const before = await metric('sms_throttled_total');
    world.peer.failNext(1, smpp.ESME_RTHROTTLED);
    await send('13800000204', 'SR-H1', 'acceptance:SR-H1');
    await world.waitForSmsEvent('SR-H1', 'delivered');
    expect(await metric('sms_throttled_total')).toBe(before + 1);
    expect(await texts('SR-H1')).toEqual([expect.objectContaining({ state: 'delivered', attempts: 2 })]);
  });

  it('a number gets at most the daily cap; the rest is suppressed and told', async () => {
    for (const n of [1, 2]) expect((await send('13800000205', `SR-K${n}`, `acceptance:SR-K${n}`)).accepted).toBe(true);
    expect(await send('+8613800000205', 'SR-K3', 'acceptance:SR-K3')).toEqual({ accepted: false, state: 'suppressed', reason: 'daily-cap' });
    expect(await world.waitForSmsEvent('SR-K3', 'suppressed')).toMatchObject({ code: 'daily-cap' });
    await world.waitForSmsEvent('SR-K2', 'delivered');
    expect(world.peer.texts.filter((t) => t.to === '13800000205')).toHaveLength(2);
    // The same key again is a no-op, not a fourth text counted.
    expect(await send('13800000205', 'SR-K1', 'acceptance:SR-K1')).toMatchObject({ accepted: false, reason: 'duplicate' });
  });

  it('the opt-out list, kept by supervisors through the API, stops texts to a number', async () => {
    const url = (n: string) => `${h.service.url}/sms/opt-outs/${n}`;
    const auth = { authorization: `Bearer ${SUPERVISOR_TOKEN}` };
    expect((await fetch(url('13800000206'), { method: 'PUT', headers: auth })).status).toBe(204);
    expect(await (await fetch(url('13800000206'), { headers: auth })).json()).toEqual({ number: '13800000206', optedOut: true });
    expect((await fetch(url('13800000206'))).status).toBe(401);
    expect((await fetch(url('12345'), { headers: auth })).status).toBe(400);
    await world.ticketCreated(h, 'evt-o1', { ticketNumber: 'SR-O1', callerNumber: '13800000206' });
    expect(await world.waitForSmsEvent('SR-O1', 'suppressed')).toMatchObject({ code: 'opted-out' });
    const status = await (await fetch(`${h.service.url}/sms/tickets/SR-O1`, { headers: auth })).json();
    expect(status).toMatchObject({ ticketNumber: 'SR-O1', texts: [{ key: 'acceptance:SR-O1', state: 'suppressed', code: 'opted-out', purpose: 'acceptance' }] });
    expect(JSON.stringify(status)).not.toContain('13800000206');

    expect((await fetch(url('13800000206'), { method: 'DELETE', headers: auth })).status).toBe(204);
    expect(await (await fetch(url('13800000206'), { headers: auth })).json()).toEqual({ number: '13800000206', optedOut: false });
    await send('13800000206', 'SR-O2', 'acceptance:SR-O2');
    await world.waitForSmsEvent('SR-O2', 'delivered');
    expect(world.peer.texts.filter((t) => t.to === '13800000206')).toHaveLength(1);
  });

  it('a citizen\'s reply reaches onReply with the ticket of the survey text sent to them; TD opts out', async () => {
    const replies: SmsReply[] = [];
    const off = h.service.sms!.onReply(async (reply) => void replies.push(reply));
    await send('13800000207', 'SR-S1', 'survey:SR-S1', 'survey');
    await world.waitForSmsEvent('SR-S1', 'submitted');
    expect(await world.peer.sendFromCitizen('13800000207', ' 4 ')).toBe(smpp.ESME_ROK);
    expect(await world.peer.sendFromCitizen('13800000299', '5')).toBe(smpp.ESME_ROK);
    expect(replies).toEqual([
      expect.objectContaining({ from: '13800000207', text: '4', ticketNumber: 'SR-S1' }),
      expect.objectContaining({ from: '13800000299', text: '5', ticketNumber: null }),
    ]);
    expect(await world.peer.sendFromCitizen('13800000207', 'TD')).toBe(smpp.ESME_ROK);
    expect(await h.service.sms!.optOut.has('+8613800000207')).toBe(true);
    off();
  });
});
