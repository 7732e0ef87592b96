/**
 * What the ticket backend hears of a ticket's texts: `ticket.sms` domain events. They are a
 * ticket's, not a call's: `callId` is `ticket:<ticketNumber>` (the series the event belongs
 * to) and the sequence 0, numbered by the ticket bridge (see SEQUENCE_DESCRIPTION). Event
 * ids are derived from the text and its status, so a status told twice (a receipt repeated,
 * a result recorded again after a restart) is one event downstream.
 */
import type { DomainEvent } from '../calls/index.js';
import type { SmsPurpose } from './config-schema.js';

export type SmsEventStatus = 'submitted' | 'delivered' | 'failed' | 'rejected' | 'suppressed';

export interface SmsStatusReport {
  key: string;
  ticketNumber: string;
  purpose: SmsPurpose;
  status: SmsEventStatus;
  messageIds: string[];
  code: string;
  attempts: number;
  gateway: string;
}

export function ticketSmsEvent(report: SmsStatusReport, at = new Date()): DomainEvent {
  return {
    id: `sms:${report.key}:${report.status}`,
    callId: `ticket:${report.ticketNumber}`,
    sequence: 0,
    at: at.toISOString(),
    type: 'ticket.sms',
    data: {
      ticketNumber: report.ticketNumber,
      purpose: report.purpose,
      idempotencyKey: report.key,
      status: report.status,
      messageIds: report.messageIds,
      code: report.code,
      attempts: report.attempts,
      gateway: report.gateway,
    },
  };
}
