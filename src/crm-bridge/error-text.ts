/**
 * Error texts the bridge stores (dead letters) and logs: a sink's answer or a handler's
 * message may echo a caller's number, so numbers are masked by content — before the text is
 * cut short, so no number is cut into a fragment the mask no longer sees.
 */
import { maskPhoneNumbers } from '../log/mask.js';

export const MAX_ERROR_TEXT = 300;

export function storedErrorText(text: string): string {
  const masked = maskPhoneNumbers(text);
  return masked.length > MAX_ERROR_TEXT ? `${masked.slice(0, MAX_ERROR_TEXT)}…` : masked;
}
