/**
 * The SMPP adapter against an in-process SMSC (the `smpp` package's own server): long
 * Chinese texts in UCS-2 parts, receipts matched to message ids, citizens' texts, the
 * bind's life (a drop, a refused password).
 */
import smpp from 'smpp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SmppGateway } from '../../src/sms/smpp/smpp-gateway.js';
import type { DeliveryReceipt, InboundSms } from '../../src/sms/index.js';
import { sms } from './gateway-contract.js';
import { SMPP_CREDENTIALS, log, smppFixture, smppGatewayConfig } from './support/fixtures.js';
import { startSmppPeer } from './support/smpp-peer.js';
import { CHINESE_200 } from './support/texts.js';

describe('SMPP gateway', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('sends a 200-character Chinese text as three UCS-2 parts the SMSC puts back together', async () => {
    const f = await smppFixture();
    closers.push(f.close);
    expect(Array.from(CHINESE_200)).toHaveLength(200);
    const result = await f.gateway.submit(sms('13800000021', CHINESE_200));
    expect(result.ok).toBe(true);
    expect(f.peer.texts).toHaveLength(1);
    expect(f.peer.texts[0]).toMatchObject({ to: '13800000021', from: '12345', text: CHINESE_200, dataCoding: 8, parts: 3 });
    if (result.ok) expect(result.messageIds).toEqual(f.peer.texts[0]!.messageIds);
  });

  it('sends a plain ASCII text in the default alphabet, one part', async () => {
    const f = await smppFixture();
    closers.push(f.close);
    await f.gateway.submit(sms('13800000022', 'Ticket SR-9 accepted, reply 1-5'));
    expect(f.peer.texts[0]).toMatchObject({ text: 'Ticket SR-9 accepted, reply 1-5', dataCoding: 0, parts: 1 });
  });

  it('hands on delivery receipts by message id, and citizens\' texts; a failing handler makes the SMSC deliver again', async () => {
    const f = await smppFixture();
    closers.push(f.close);
    const receipts: DeliveryReceipt[] = [];
    const inbound: InboundSms[] = [];
    let failNext = true;
    f.gateway.onReceipt(async (r) => void receipts.push(r));
    f.gateway.onInbound(async (m) => {
      if (failNext) {
        failNext = false;
        throw new Error('store unavailable');
      }
      inbound.push(m);
    });
    const result = await f.gateway.submit(sms('13800000023'));
    if (!result.ok) throw new Error('submit failed');
    expect(await f.peer.sendReceipt(result.messageIds[0]!, 'UNDELIV')).toBe(smpp.ESME_ROK);
    expect(receipts).toEqual([expect.objectContaining({ messageId: result.messageIds[0], status: 'failed', code: 'UNDELIV' })]);
    expect(await f.peer.sendFromCitizen('13800000023', '4')).toBe(smpp.ESME_RX_T_APPN);
    expect(await f.peer.sendFromCitizen('13800000023', '4')).toBe(smpp.ESME_ROK);
    expect(inbound).toEqual([expect.objectContaining({ from: '13800000023', text: '4' })]);
  });

  it('binds again after the SMSC drops the session, and sends', async () => {
    const f = await smppFixture();
    closers.push(f.close);
    f.peer.dropSessions();
    await vi.waitFor(() => expect(f.peer.binds()).toBe(2), { timeout: 5000 });
    expect((await f.gateway.submit(sms('13800000024'))).ok).toBe(true);
    expect(f.gateway.unreadiness()).toBeNull();
  });

  it('a refused password leaves it unbound and not ready; submits fail as transient', async () => {
    const peer = await startSmppPeer(SMPP_CREDENTIALS);
    closers.push(() => peer.close());
    const gateway = new SmppGateway(smppGatewayConfig(peer.port, { responseTimeoutMs: 200 }), 'wrong-password', log);
    closers.push(() => gateway.stop());
    await gateway.start();
    await vi.waitFor(() => expect(gateway.unreadiness()).toMatch(/bind refused: ESME_RBINDFAIL/), { timeout: 5000 });
    expect(await gateway.submit(sms('13800000025'))).toMatchObject({ ok: false, failure: { kind: 'transient', code: 'not-bound' } });
    expect(peer.texts).toEqual([]);
  });
});
