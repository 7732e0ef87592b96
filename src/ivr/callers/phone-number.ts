/**
 * One spelling per caller number, so the priority list, the restriction flags and the call
 * counters agree however the trunk presents a number: +86 / 0086 / 86 prefixes on mobiles
 * and a trunk 0 before a mobile are dropped; separators are ignored.
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

/** A caller number from outside (an HTTP path, a form): checked, then normalised. */
export const CallerNumberSchema = z
  .string()
  .max(32)
  .refine(isCallerNumber, 'a phone number: 5 to 20 digits, +86 allowed')
  .transform(normaliseNumber);
