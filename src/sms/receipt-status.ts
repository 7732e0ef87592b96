/**
 * A text's delivery from its parts' receipts: a long text has one gateway id per part, and
 * is delivered when every part is, failed as soon as one part is not. Pure.
 */
import type { ReceiptStatus } from './ports/sms-gateway.js';

export function overallReceipt(messageIds: string[], receipts: Record<string, string>): { state: 'delivered' | 'failed' } | null {
  const statuses = messageIds.map((id) => receipts[id] as ReceiptStatus | undefined);
  if (statuses.some((s) => s === 'failed' || s === 'expired' || s === 'rejected')) return { state: 'failed' };
  if (statuses.length > 0 && statuses.every((s) => s === 'delivered')) return { state: 'delivered' };
  return null;
}
