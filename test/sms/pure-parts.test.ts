/**
 * The SMS part's pure decisions: how a text is cut for SMPP, what a receipt says, what the
 * acceptance text promises, when a long text counts as delivered, which numbers are one.
 */
import { describe, expect, it } from 'vitest';
import { CalendarConfigSchema, WorkingDayCalendar } from '../../src/calendar/index.js';
import { acceptanceRequest } from '../../src/sms/acceptance.js';
import { SmsConfigSchema } from '../../src/sms/config-schema.js';
import { normaliseNumber, numberDigester } from '../../src/sms/number-digest.js';
import { overallReceipt } from '../../src/sms/receipt-status.js';
import { encodeText } from '../../src/sms/smpp/encoding.js';
import { isDeliveryReceipt, parseReceipt, receiptText } from '../../src/sms/smpp/receipt-text.js';
import { renderTemplate } from '../../src/sms/template.js';

describe('SMPP encoding', () => {
  it('one part up to 70 UCS-2 or 160 default-alphabet characters, then 67 or 153 per part with a concatenation UDH', () => {
    expect(encodeText('中'.repeat(70), 1)).toHaveLength(1);
    const parts = encodeText('中'.repeat(71), 7);
    expect(parts).toHaveLength(2);
    expect(parts.map((p) => [p.dataCoding, p.esmClass])).toEqual([[8, 0x40], [8, 0x40]]);
    expect([...parts[0]!.shortMessage.subarray(0, 6)]).toEqual([0x05, 0x00, 0x03, 7, 2, 1]);
    expect(parts[0]!.shortMessage.length).toBe(6 + 67 * 2);
    expect(encodeText('a'.repeat(160), 1)).toEqual([expect.objectContaining({ dataCoding: 0, esmClass: 0 })]);
    expect(encodeText('a'.repeat(161), 1).map((p) => p.shortMessage.length)).toEqual([6 + 153, 6 + 8]);
  });

  it('writes UCS-2 big-endian and never cuts a character outside the BMP in two', () => {
    expect([...encodeText('中', 1)[0]!.shortMessage]).toEqual([0x4e, 0x2d]);
    const parts = encodeText('中'.repeat(66) + '😀' + '中'.repeat(10), 1);
    expect(parts[0]!.shortMessage.length).toBe(6 + 66 * 2);
    expect(parts[1]!.shortMessage.subarray(6, 10).swap16().toString('utf16le')).toBe('😀');
  });
});

describe('delivery receipts', () => {
  it('reads the receipt text of SMPP 3.4 Appendix B, the TLVs first when present', () => {
    const text = receiptText('smsc-1a', 'DELIVRD', new Date('2026-03-02T01:02:03Z'));
    expect(text).toMatch(/^id:smsc-1a sub:001 dlvrd:001 submit date:2603020102 done date:2603020102 stat:DELIVRD err:000 text:$/);
    expect(parseReceipt(text, {})).toEqual({ messageId: 'smsc-1a', status: 'delivered', code: 'DELIVRD' });
    expect(parseReceipt('id:x stat:UNDELIV err:001', {})).toMatchObject({ status: 'failed' });
    expect(parseReceipt('id:x stat:EXPIRED', {})).toMatchObject({ status: 'expired' });
    expect(parseReceipt('', { receiptedMessageId: 'y', messageState: 8 })).toEqual({ messageId: 'y', status: 'rejected', code: 'REJECTD' });
    expect(parseReceipt('no receipt here', {})).toBeNull();
    expect(isDeliveryReceipt(0x04)).toBe(true);
    expect(isDeliveryReceipt(0x44)).toBe(true);
    expect(isDeliveryReceipt(0x40)).toBe(false);
  });

  it('a long text is delivered when every part is, failed as soon as one part is not', () => {
    expect(overallReceipt(['a', 'b'], { a: 'delivered' })).toBeNull();
    expect(overallReceipt(['a', 'b'], { a: 'delivered', b: 'delivered' })).toEqual({ state: 'delivered' });
    expect(overallReceipt(['a', 'b'], { b: 'expired' })).toEqual({ state: 'failed' });
    expect(overallReceipt(['a'], { a: 'unknown' })).toBeNull();
  });
});

describe('the acceptance text', () => {
  const config = SmsConfigSchema.shape.acceptance.parse({});
  const calendar = new WorkingDayCalendar(
    CalendarConfigSchema.parse({ timeZone: 'Asia/Shanghai', years: { 2026: { holidays: [{ name: '清明节', from: '2026-04-04', to: '2026-04-06' }] } } }),
  );
  const data = { ticketNumber: 'SR-9', callerNumber: '13800000301', sendAcceptanceSms: true };

  it('promises the category\'s working days, counted on the holiday calendar', () => {
    // Thursday 2 April 2026, a consultation: Friday the 3rd, then over the Qingming holiday (4–6 April) to Tuesday the 7th.
    const request = acceptanceRequest({ ...data, category: 'consult' }, '2026-04-02T10:00:00+08:00', config, calendar);
    expect(request).toMatchObject({ idempotencyKey: 'acceptance:SR-9', params: { workingDays: '2', dueDate: '2026-04-07', handlingUnit: '相关单位' } });
    const complaint = acceptanceRequest({ ...data, category: 'complaint', handlingUnit: '市场监管局' }, '2026-04-02T10:00:00+08:00', config, calendar);
    expect(complaint!.params).toMatchObject({ workingDays: '10', handlingUnit: '市场监管局' });
  });

  it('keeps the ticket backend\'s due date; sends nothing when the ticket asks for none', () => {
    expect(acceptanceRequest({ ...data, dueDate: '2026-05-01' }, '2026-04-02T10:00:00+08:00', config, calendar)!.params.dueDate).toBe('2026-05-01');
    expect(acceptanceRequest({ ...data, sendAcceptanceSms: false }, '2026-04-02T10:00:00+08:00', config, calendar)).toBeNull();
    expect(renderTemplate('工单{ticketNumber},{unknown}', { ticketNumber: 'SR-9' })).toBe('工单SR-9,{unknown}');
  });
});

describe('numbers', () => {
  it('+86, 86 and the national form of a mobile are one number, and one digest', () => {
    expect(normaliseNumber('+8613800000301')).toBe('13800000301');
    expect(normaliseNumber('008613800000301')).toBe('13800000301');
    const digest = numberDigester('secret');
    expect(digest('+8613800000301')).toBe(digest('13800000301'));
    expect(digest('13800000301')).not.toBe(numberDigester('other')('13800000301'));
    expect(digest('13800000301')).not.toContain('13800000301');
  });
});
