/**
 * Request signing, both ways: `X-Hotline-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`
 * with `X-Hotline-Timestamp` in unix seconds. The timestamp is inside the MAC so a captured
 * request cannot be replayed later than the receiver's skew window.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const HEADER_EVENT_ID = 'x-hotline-event-id';
export const HEADER_TIMESTAMP = 'x-hotline-timestamp';
export const HEADER_SIGNATURE = 'x-hotline-signature';
export const DEFAULT_MAX_SKEW_SECONDS = 300;

export function signPayload(secret: string, timestamp: number, payload: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex')}`;
}

/** The three headers of a signed request. */
export function signedHeaders(secret: string, eventId: string, payload: string, now = Date.now()): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    'X-Hotline-Event-Id': eventId,
    'X-Hotline-Timestamp': String(timestamp),
    'X-Hotline-Signature': signPayload(secret, timestamp, payload),
  };
}

const SignatureHeaders = z.object({
  [HEADER_TIMESTAMP]: z.string().regex(/^[0-9]{1,12}$/, 'unix seconds'),
  [HEADER_SIGNATURE]: z.string().regex(/^sha256=[0-9a-f]{64}$/, 'sha256=<64 hex digits>'),
});

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: string };

/** Checks headers (lower-case names, as node gives them) against the raw body. */
export function verifySignature(
  secret: string,
  headers: Record<string, unknown>,
  payload: string,
  options: { now?: number; maxSkewSeconds?: number } = {},
): VerifyResult {
  const parsed = SignatureHeaders.safeParse(headers);
  if (!parsed.success) {
    return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  }
  const timestamp = Number(parsed.data[HEADER_TIMESTAMP]);
  const skew = Math.abs(Math.floor((options.now ?? Date.now()) / 1000) - timestamp);
  if (skew > (options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS)) return { ok: false, reason: `timestamp is ${skew} s away from now` };
  const expected = Buffer.from(signPayload(secret, timestamp, payload));
  const given = Buffer.from(parsed.data[HEADER_SIGNATURE]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'signature does not match' };
  return { ok: true, timestamp };
}
