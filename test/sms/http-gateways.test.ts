/**
 * What only the HTTP gateways do: a wrong secret is caught by the peer's signature check
 * and is a permanent failure; Tencent's per-number daily limit is not retried.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sms } from './gateway-contract.js';
import { aliyunFixture, tencentFixture } from './support/fixtures.js';

describe('HTTP SMS gateways', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('Aliyun: a request signed with the wrong secret is refused as SignatureDoesNotMatch, for good', async () => {
    const f = await aliyunFixture('not-the-secret');
    closers.push(f.close);
    expect(await f.gateway.submit(sms('13800000031'))).toMatchObject({ ok: false, failure: { kind: 'permanent', code: 'SignatureDoesNotMatch' } });
    expect(f.peer.badSignatures).toBe(1);
    expect(f.peer.sent).toEqual([]);
  });

  it('Aliyun: sends the purpose\'s template with its named parameters and the text\'s key as OutId', async () => {
    const f = await aliyunFixture();
    closers.push(f.close);
    expect((await f.gateway.submit(sms('+8613800000032'))).ok).toBe(true);
    expect(f.peer.sent).toEqual([{ phoneNumbers: '13800000032', signName: '12345热线', templateCode: 'SMS_100001', templateParam: { ticketNumber: 'SR-1', workingDays: '5' }, outId: 'acceptance:+8613800000032' }]);
  });

  it('Tencent: a request signed with the wrong key is refused as AuthFailure.SignatureFailure, for good', async () => {
    const f = await tencentFixture('not-the-key');
    closers.push(f.close);
    expect(await f.gateway.submit(sms('13800000033'))).toMatchObject({ ok: false, failure: { kind: 'permanent', code: 'AuthFailure.SignatureFailure' } });
    expect(f.peer.badSignatures).toBe(1);
  });

  it('Tencent: a number past its daily limit is a permanent failure (not retried today); parameters go in template order', async () => {
    const f = await tencentFixture();
    closers.push(f.close);
    f.peer.answerFor('+8613800000034', 'LimitExceeded.PhoneNumberDailyLimit');
    expect(await f.gateway.submit(sms('13800000034'))).toMatchObject({ ok: false, failure: { kind: 'permanent', code: 'LimitExceeded.PhoneNumberDailyLimit' } });
    expect((await f.gateway.submit(sms('13800000035'))).ok).toBe(true);
    expect(f.peer.sent).toEqual([{ phone: '+8613800000035', templateId: 'SMS_100001', params: ['SR-1', '5'], signName: '12345热线', sessionContext: 'acceptance:13800000035' }]);
  });
});
