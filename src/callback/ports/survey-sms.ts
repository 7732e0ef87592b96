/**
 * What the survey needs of the SMS feature: a text to the citizen when every call failed,
 * and the citizen's replies (a digit 1–5 is the rating). The wiring adapts the SMS service
 * to this; the survey never sees a gateway.
 */
export interface SurveySmsMessage {
  to: string;
  text: string;
  /** One text per key, whatever retries happen: `survey:<surveyId>`. */
  idempotencyKey: string;
  ticketNumber: string;
}

export interface SurveySmsReply {
  from: string;
  text: string;
  receivedAt: number;
}

export interface SurveySmsPort {
  /** Resolves once the SMS feature has taken the text (durably); rejects when it could not. */
  send(message: SurveySmsMessage): Promise<void>;
  /** Every inbound SMS; a handler that throws leaves the reply to be delivered again. Returns the unsubscribe function. */
  onReply(handler: (reply: SurveySmsReply) => Promise<void>): () => void;
}
