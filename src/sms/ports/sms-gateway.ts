/**
 * What the SMS part needs from a gateway: submit a text, and hear back delivery receipts and
 * the citizens' replies. One contract (test/sms/gateway-contract.ts) holds every adapter to
 * it: SMPP (an operator's SMSC), Aliyun's and Tencent Cloud's SMS APIs.
 *
 * A submit never throws for the gateway's own refusals: it answers with a typed failure.
 * `transient` may succeed later (throttled, link down, timeout, the gateway's 5xx);
 * `permanent` never will for this text (bad number, refused content, a template missing).
 */
import type { SmsPurpose } from '../config-schema.js';

export interface OutgoingSms {
  /** The whole number: digits, optionally a leading +. */
  to: string;
  /** The rendered text (what an SMSC sends). */
  text: string;
  /** Template gateways send the purpose's template with these parameters instead of the text. */
  purpose: SmsPurpose;
  params: Record<string, string>;
  /** The text's idempotency key; a gateway that takes one uses it to drop repeats. */
  reference: string;
}

export interface SmsFailure {
  kind: 'transient' | 'permanent';
  /** The gateway's own code: `ESME_RTHROTTLED`, `isv.MOBILE_NUMBER_ILLEGAL`, `RequestLimitExceeded` … */
  code: string;
  detail: string;
  /** The gateway asked to slow down: the sender backs off as a whole, not only this text. */
  throttled?: boolean;
}

export type SubmitResult = { ok: true; messageIds: string[] } | { ok: false; failure: SmsFailure };

export type ReceiptStatus = 'delivered' | 'failed' | 'expired' | 'rejected' | 'unknown';

export interface DeliveryReceipt {
  /** The id the gateway gave at submit (one part's, for a long text). */
  messageId: string;
  status: ReceiptStatus;
  /** The gateway's words: `DELIVRD`, `UNDELIV`, an error code. */
  code: string;
  at: string;
}

export interface InboundSms {
  /** The citizen's whole number. */
  from: string;
  to: string;
  text: string;
  receivedAt: string;
}

/** Receipt and inbound handlers finish before the gateway acknowledges; a handler that throws makes the gateway deliver again where it can. */
export type GatewayHandler<T> = (item: T) => Promise<void>;

export interface SmsGateway {
  /** `smpp`, `aliyun`, `tencent`: the metrics label. */
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  submit(message: OutgoingSms): Promise<SubmitResult>;
  onReceipt(handler: GatewayHandler<DeliveryReceipt>): void;
  onInbound(handler: GatewayHandler<InboundSms>): void;
  /** Why texts cannot go out now, or null (answered from memory). */
  unreadiness(): string | null;
}
