/**
 * Caller numbers, two ways in:
 *   - from the trunk (`normaliseNumber`): whatever the carrier presents, reduced to one
 *     spelling so the priority list, the restriction flags and the call counters agree:
 *     +86 / 0086 / 86 prefixes on mobiles and a trunk 0 before a mobile are dropped,
 *     separators ignored. Lenient on purpose: a call is never refused for its number.
 *   - from an operator (`CallerNumberSchema`, an HTTP path): strict. Digits only, the shape
 *     of a Chinese mobile or of a fixed line with its area code, never a service number,
 *     so nothing but a citizen's number can be put on a list.
 */
import { z } from 'zod';

export function normaliseNumber(raw: string): string {
  let digits = raw.replace(/[^0-9]/g, '');
  if (/^0086\d+$/.test(digits)) digits = digits.slice(4);
  else if (/^861\d{10}$/.test(digits)) digits = digits.slice(2);
  if (/^01\d{10}$/.test(digits)) digits = digits.slice(1);
  return digits;
}

/** True for something that can be a caller's number after normalising (5–20 digits). */
export function isCallerNumber(raw: string): boolean {
  return /^[0-9]{5,20}$/.test(normaliseNumber(raw));
}

/** A mobile: 1, then 3–9, then 9 digits. */
const MOBILE = /^1[3-9]\d{9}$/;
/** A fixed line with its area code: 0, a 2-digit (10, 2x) or 3-digit area code, 7–8 digits. */
const FIXED_LINE = /^0(?:10|2\d|[3-9]\d{2})[1-9]\d{6,7}$/;

export type CitizenNumberCheck = { ok: true; number: string } | { ok: false; reason: string };

/**
 * Checks a number an operator typed; answers the normalised number or why it was refused.
 * Accepted: `13812345678`, `057187654321`, with `+86`, `0086` or `86` in front (dropped; a
 * fixed line written after the country code loses its trunk 0, so `+8657187654321` is
 * `057187654321`), and a trunk 0 before a mobile.
 */
export function checkCitizenNumber(raw: string): CitizenNumberCheck {
  const refuse = (reason: string): CitizenNumberCheck => ({ ok: false, reason });
  if (!/^\+?\d+$/.test(raw)) return refuse('digits only (a leading +86 allowed): no spaces, signs or other characters');
  if (raw.length > 20) return refuse('too long for a phone number');
  if (raw.startsWith('+') && !raw.startsWith('+86')) return refuse('only Chinese numbers (+86) are served');
  // A valid national number never starts with 8, so a leading 86 is always the country code.
  let digits = raw.replace(/^(?:\+86|0086|86)/, '');
  if (digits !== raw && !digits.startsWith('0') && !MOBILE.test(digits)) digits = `0${digits}`;
  if (/^01[3-9]\d{9}$/.test(digits)) digits = digits.slice(1);
  // Emergency (110, 119, 120, 122) and hotline numbers (12345, 96128) are all this short.
  if (digits.length <= 5) return refuse("a service number (5 digits or fewer), not a citizen's");
  if (/^(\d)\1+$/.test(digits)) return refuse('not a real number: every digit the same');
  if (!MOBILE.test(digits) && !FIXED_LINE.test(digits)) {
    return refuse('not the shape of a Chinese mobile (1[3-9] and 9 more digits) or of a fixed line with its area code (0, 2–3 digits, 7–8 digits)');
  }
  return { ok: true, number: digits };
}

/** A citizen's number from outside (an HTTP path): checked strictly, then normalised. */
export const CallerNumberSchema = z.string().transform((raw, ctx) => {
  const checked = checkCitizenNumber(raw);
  if (checked.ok) return checked.number;
  ctx.addIssue({ code: 'custom', message: checked.reason });
  return z.NEVER;
});
