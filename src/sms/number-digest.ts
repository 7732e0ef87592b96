/**
 * Numbers as the SMS part stores them in indexes (opt-out list, daily caps, reply matching):
 * a keyed digest, so the indexes alone never give a number away (DOMAIN.md clause 8), and a
 * number written as +8613812345678, 8613812345678 or 13812345678 is the same citizen.
 */
import { createHmac } from 'node:crypto';

const PHONE = /^\+?[0-9]{3,20}$/;

export function isPhoneNumber(value: string): boolean {
  return PHONE.test(value);
}

/** The national form of a Chinese mobile (country code dropped); other numbers keep their digits. */
export function normaliseNumber(number: string): string {
  const digits = number.replace(/\D/g, '');
  const national = /^(?:0086|86)(1[3-9]\d{9})$/.exec(digits);
  return national ? national[1]! : digits;
}

export type NumberDigest = (number: string) => string;

/** HMAC-SHA256 under the deployment's secret, hex: the same number always gives the same digest. */
export function numberDigester(secret: string): NumberDigest {
  return (number) => createHmac('sha256', secret).update(normaliseNumber(number)).digest('hex').slice(0, 32);
}
