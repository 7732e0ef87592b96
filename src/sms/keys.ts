/**
 * Every Redis key the SMS part owns, named once. All live under `<prefix>sms:`.
 * Numbers never appear in a key: indexes by number use its keyed digest (number-digest.ts).
 */
import { keyspace } from '../redis/connection.js';

export interface SmsKeys {
  /** Hash: one text (its request, state, attempts, gateway ids, result), by its idempotency key. */
  message(key: string): string;
  /** Sorted set: idempotency key → when it is next due to be tried (a claim pushes it out by the lease). */
  due(): string;
  /** Set: idempotency keys of a ticket's texts. */
  ticket(ticketNumber: string): string;
  /** String with TTL: gateway message id → idempotency key, for delivery receipts. */
  gatewayId(messageId: string): string;
  /** Hash: a text's gateway message id → its receipt status (long texts have one id per part). */
  receipts(key: string): string;
  /** Counter with TTL: texts accepted for one number on one day. */
  dailyCount(digest: string, day: string): string;
  /** Set: digests of numbers that asked for no more texts. */
  optOut(): string;
  /** String with TTL: the ticket of the last survey text sent to a number (a reply is matched to it). */
  lastSurvey(digest: string): string;
}

export function smsKeys(prefix: string): SmsKeys {
  const k = keyspace(`${prefix}sms:`);
  return {
    message: (key) => k('msg', key),
    due: () => k('due'),
    ticket: (ticketNumber) => k('ticket', ticketNumber),
    gatewayId: (messageId) => k('gw-id', messageId),
    receipts: (key) => k('receipts', key),
    dailyCount: (digest, day) => k('daily', day, digest),
    optOut: () => k('opt-out'),
    lastSurvey: (digest) => k('last-survey', digest),
  };
}
