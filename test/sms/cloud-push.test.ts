/**
 * Delivery reports and citizens' texts from the cloud SMS APIs, pushed to the service's
 * webhook the way Aliyun (SmsReport, SmsUp) and Tencent (status and reply callbacks) send
 * them: matched to the texts sent, told to the ticket backend, handed to onReply.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HotlineConfigSchema } from '../../src/app/config-schema.js';
import type { DeliveryReceipt, InboundSms, SmsReply } from '../../src/sms/index.js';
import type { ReferenceBackend } from '../../sim/ticket-backend/server.js';
import { SECRETS, bridgeConfig, startBackend, waitFor } from '../crm-bridge/harness.js';
import { foundationConfig, startHarness, type Harness } from '../support/service-harness.js';
import { ALIYUN_CREDENTIALS, tencentFixture } from './support/fixtures.js';
import { startAliyunPeer, type AliyunPeer } from './support/aliyun-peer.js';

const PUSH_TOKEN = 'push-path-secret-for-tests-0123456789';

describe('pushes from the cloud SMS APIs', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function aliyunService(): Promise<{ h: Harness; peer: AliyunPeer; backend: ReferenceBackend }> {
    const backend = await startBackend(500);
    closers.push(() => backend.close());
    const peer = await startAliyunPeer(ALIYUN_CREDENTIALS);
    closers.push(() => peer.close());
    const config = HotlineConfigSchema.parse({
      ...(await foundationConfig()),
      crmBridge: bridgeConfig(backend),
      sms: {
        gateway: {
          kind: 'aliyun',
          endpoint: peer.url,
          accessKeyIdEnv: 'ALIYUN_KEY_ID',
          accessKeySecretEnv: 'ALIYUN_KEY_SECRET',
          signName: '12345热线',
          templates: { acceptance: { id: 'SMS_100001', params: ['ticketNumber', 'workingDays'] }, survey: { id: 'SMS_100002', params: ['ticketNumber'] } },
          pushTokenEnv: 'SMS_PUSH_TOKEN',
        },
        numberDigestSecretEnv: 'SMS_DIGEST_SECRET',
        pollMs: 50,
      },
    });
    const h = await startHarness({
      config,
      crmSecrets: SECRETS,
      smsSecrets: { ALIYUN_KEY_ID: ALIYUN_CREDENTIALS.accessKeyId, ALIYUN_KEY_SECRET: ALIYUN_CREDENTIALS.accessKeySecret, SMS_DIGEST_SECRET: 'digest', SMS_PUSH_TOKEN: PUSH_TOKEN },
    });
    closers.push(() => h.close());
    await h.service.started;
    return { h, peer, backend };
  }

  const post = (h: Harness, path: string, body: unknown) =>
    fetch(`${h.service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('Aliyun: an SmsReport push marks the text delivered and reaches the ticket backend; an SmsUp push reaches onReply', async () => {
    const { h, peer, backend } = await aliyunService();
    const replies: SmsReply[] = [];
    h.service.sms!.onReply(async (r) => void replies.push(r));
    await h.service.sms!.send({ to: '13800000501', ticketNumber: 'SR-Y1', purpose: 'survey', idempotencyKey: 'survey:y1' });
    await waitFor('the text sent', () => peer.sent.length === 1);
    await waitFor('the text recorded as submitted', async () => (await h.service.sms!.statusOf('SR-Y1'))[0]?.state === 'submitted');
    const [bizId] = (await h.service.sms!.statusOf('SR-Y1'))[0]!.messageIds;

    const report = [{ phone_number: '13800000501', send_time: '2026-03-02 09:30:00', report_time: '2026-03-02 09:30:05', success: true, err_code: 'DELIVERED', err_msg: '用户接收成功', sms_size: '1', biz_id: bizId, out_id: 'survey:y1' }];
    expect((await post(h, `/webhooks/sms/wrong-token/report`, report)).status).toBe(404);
    expect((await post(h, `/webhooks/sms/${PUSH_TOKEN}/report`, [{ nonsense: true }])).status).toBe(400);
    const taken = await post(h, `/webhooks/sms/${PUSH_TOKEN}/report`, report);
    expect(taken.status).toBe(200);
    expect(await taken.json()).toEqual({ code: 0, msg: '接收成功' });
    expect(await h.service.sms!.statusOf('SR-Y1')).toEqual([expect.objectContaining({ state: 'delivered', messageIds: [bizId] })]);
    await waitFor('ticket.sms delivered at the ticket backend', () =>
      backend.recorder('city-tickets').ofCall('ticket:SR-Y1').some((m) => (m.body.data as { status: string }).status === 'delivered'),
    );

    const up = [{ phone_number: '13800000501', send_time: '2026-03-02 10:00:00', content: '5', sign_name: '12345热线', dest_code: '1234', sequence_id: 1234567890 }];
    expect((await post(h, `/webhooks/sms/${PUSH_TOKEN}/reply`, up)).status).toBe(200);
    expect(replies).toEqual([{ from: '13800000501', text: '5', receivedAt: '2026-03-02T02:00:00.000Z', ticketNumber: 'SR-Y1' }]);
  });

  it('Tencent: the status and reply callbacks as documented; a handler that fails asks for the callback again', async () => {
    const f = await tencentFixture();
    closers.push(() => f.close());
    const receipts: DeliveryReceipt[] = [];
    const inbound: InboundSms[] = [];
    let failOnce = true;
    f.gateway.onReceipt(async (r) => {
      if (failOnce) {
        failOnce = false;
        throw new Error('store away');
      }
      receipts.push(r);
    });
    f.gateway.onInbound(async (m) => void inbound.push(m));
    const status = [{ user_receive_time: '2015-10-17 08:03:04', nationcode: '86', mobile: '13800000502', report_status: 'FAIL', errmsg: 'MK:0001', description: '用户短信接收失败', sid: 'serial-9' }];
    expect(await f.gateway.push('report', status)).toEqual({ status: 500, body: { result: 1, errmsg: 'not stored; call back again' } });
    expect(await f.gateway.push('report', status)).toEqual({ status: 200, body: { result: 0, errmsg: 'OK' } });
    expect(receipts).toEqual([{ messageId: 'serial-9', status: 'failed', code: 'MK:0001', at: '2015-10-17T00:03:04.000Z' }]);
    expect(await f.gateway.push('reply', { extend: '', mobile: '13800000502', nationcode: '86', sign: '12345热线', text: '2', time: 1457336869 })).toMatchObject({ status: 200 });
    expect(inbound).toEqual([{ from: '13800000502', to: '', text: '2', receivedAt: '2016-03-07T07:47:49.000Z' }]);
    expect(await f.gateway.push('reply', { text: 'no number' })).toBeNull();
  });
});
