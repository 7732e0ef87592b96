/**
 * An SMSC delivery receipt (deliver_sm with the receipt bit of esm_class): which message and
 * what became of it, from the receipted_message_id and message_state TLVs when present, else
 * from the receipt text of SMPP 3.4 Appendix B:
 *   id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:…
 */
import type { ReceiptStatus } from '../ports/sms-gateway.js';

const STAT: Record<string, ReceiptStatus> = {
  DELIVRD: 'delivered',
  EXPIRED: 'expired',
  DELETED: 'failed',
  UNDELIV: 'failed',
  REJECTD: 'rejected',
  ACCEPTD: 'unknown',
  ENROUTE: 'unknown',
  UNKNOWN: 'unknown',
};

/** message_state TLV values (SMPP 3.4 §5.2.28) with their receipt-text names. */
const STATE_NAMES: Record<number, string> = { 1: 'ENROUTE', 2: 'DELIVRD', 3: 'EXPIRED', 4: 'DELETED', 5: 'UNDELIV', 6: 'ACCEPTD', 7: 'UNKNOWN', 8: 'REJECTD' };

export const ESM_CLASS_RECEIPT_MASK = 0x3c;
export const ESM_CLASS_DELIVERY_RECEIPT = 0x04;

export function isDeliveryReceipt(esmClass: number): boolean {
  return (esmClass & ESM_CLASS_RECEIPT_MASK) === ESM_CLASS_DELIVERY_RECEIPT;
}

export function parseReceipt(text: string, tlv: { receiptedMessageId?: unknown; messageState?: unknown }): { messageId: string; status: ReceiptStatus; code: string } | null {
  const fields = new Map<string, string>();
  for (const m of text.matchAll(/(\w+(?: date)?):(\S*)/gi)) fields.set(m[1]!.toLowerCase(), m[2]!);
  const messageId = typeof tlv.receiptedMessageId === 'string' && tlv.receiptedMessageId ? tlv.receiptedMessageId : fields.get('id');
  const stateName = typeof tlv.messageState === 'number' ? STATE_NAMES[tlv.messageState] : undefined;
  const stat = (stateName ?? fields.get('stat') ?? '').toUpperCase();
  if (!messageId || !stat) return null;
  return { messageId, status: STAT[stat] ?? 'unknown', code: stat };
}

/** The receipt text an SMSC writes, for the test peer (and anyone replaying receipts). */
export function receiptText(messageId: string, stat: string, at: Date): string {
  const d = at.toISOString().replace(/[-:T]/g, '').slice(2, 12);
  const err = stat === 'DELIVRD' ? '000' : '001';
  return `id:${messageId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:${d} done date:${d} stat:${stat} err:${err} text:`;
}
