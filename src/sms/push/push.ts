/**
 * What a cloud SMS API pushes back (delivery reports, citizens' texts), read the way each
 * provider writes it, and how it wants to be answered.
 */
import type { DeliveryReceipt, InboundSms } from '../ports/sms-gateway.js';

export type PushKind = 'report' | 'reply';

export interface PushAnswer {
  status: number;
  body: unknown;
}

export interface PushParse {
  /** The reports in a push, or null when the body is not one. */
  report(body: unknown): DeliveryReceipt[] | null;
  reply(body: unknown): InboundSms[] | null;
  /** The answer that tells the provider it was taken (ok), or to push again. */
  answer(ok: boolean): PushAnswer;
}
