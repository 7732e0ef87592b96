/**
 * The contract every SMS gateway adapter keeps, run on each against its protocol peer
 * (an SMSC over SMPP, Aliyun's and Tencent's APIs over HTTP): texts taken come back with
 * their ids; refusals come back typed, permanent or transient, throttling said as such;
 * a transient failure does not stick.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutgoingSms, SmsGateway } from '../../src/sms/index.js';

export interface GatewayFixture {
  gateway: SmsGateway;
  /** National numbers of the texts the peer took, in order. */
  accepted(): string[];
  /** Makes the peer refuse this number for good; answers the code the adapter must report. */
  refuseForGood(to: string): string;
  /** The next `n` submits are throttled. */
  throttleNext(n: number): void;
  /** The next `n` submits meet the gateway's temporary trouble. */
  troubleNext(n: number): void;
  close(): Promise<void>;
}

export function sms(to: string, text = 'Ticket SR-1 accepted'): OutgoingSms {
  return { to, text, purpose: 'acceptance', params: { ticketNumber: 'SR-1', workingDays: '5' }, reference: `acceptance:${to}` };
}

export function describeGatewayContract(name: string, setup: () => Promise<GatewayFixture>): void {
  describe(`SMS gateway contract: ${name}`, () => {
    let f: GatewayFixture;
    beforeEach(async () => {
      f = await setup();
    });
    afterEach(async () => {
      await f.close();
    });

    it('a text the gateway takes comes back with its message ids', async () => {
      const result = await f.gateway.submit(sms('13800000011'));
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.messageIds.length).toBeGreaterThanOrEqual(1);
      expect(f.accepted()).toEqual(['13800000011']);
    });

    it('a refused number is a permanent failure with the gateway\'s code, and nothing is sent', async () => {
      const code = f.refuseForGood('13800000012');
      const result = await f.gateway.submit(sms('13800000012'));
      expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent', code } });
      expect(f.accepted()).toEqual([]);
    });

    it('throttling is a transient failure that says so', async () => {
      f.throttleNext(1);
      const result = await f.gateway.submit(sms('13800000013'));
      expect(result).toMatchObject({ ok: false, failure: { kind: 'transient', throttled: true } });
    });

    it('the gateway\'s temporary trouble is transient and not throttling; the next try goes through', async () => {
      f.troubleNext(1);
      const first = await f.gateway.submit(sms('13800000014'));
      expect(first).toMatchObject({ ok: false, failure: { kind: 'transient' } });
      if (!first.ok) expect(first.failure.throttled).toBeFalsy();
      const second = await f.gateway.submit(sms('13800000014'));
      expect(second.ok).toBe(true);
      expect(f.accepted()).toEqual(['13800000014']);
    });
  });
}
