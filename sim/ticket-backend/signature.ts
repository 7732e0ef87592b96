/**
 * The receiving side's signature check, written from the documented scheme on its own
 * (not by importing the bridge's), so a mistake in either shows up in the tests.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_AGE_SECONDS = 300;

export function hmacHex(secret: string, timestamp: string, payload: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex');
}

export function checkSignature(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  payload: string,
  nowMs = Date.now(),
): string | null {
  const timestamp = headers['x-hotline-timestamp'];
  const signature = headers['x-hotline-signature'];
  if (typeof timestamp !== 'string' || !/^[0-9]+$/.test(timestamp)) return 'missing or malformed X-Hotline-Timestamp';
  if (typeof signature !== 'string' || !signature.startsWith('sha256=')) return 'missing or malformed X-Hotline-Signature';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_AGE_SECONDS) return 'stale timestamp';
  const expected = Buffer.from(hmacHex(secret, timestamp, payload), 'hex');
  const given = Buffer.from(signature.slice('sha256='.length), 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'signature mismatch';
  return null;
}

/** Headers for a request the reference backend sends (ticket events to the hotline). */
export function signRequest(secret: string, eventId: string, body: string, nowMs = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    'content-type': 'application/json',
    'x-hotline-event-id': eventId,
    'x-hotline-timestamp': timestamp,
    'x-hotline-signature': `sha256=${hmacHex(secret, timestamp, body)}`,
  };
}
