/**
 * Dial strings for calls the service places to citizens (callbacks, satisfaction surveys)
 * over a trunk: a template with `{number}` where the citizen's number goes.
 */
import { z } from 'zod';

/** A dial string with `{number}` where the citizen's number goes, e.g. `PJSIP/{number}@carrier`. */
export const TrunkEndpoint = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]*\/[^\s]+$/, 'a dial string such as PJSIP/{number}@carrier')
  .refine((s) => s.split('{number}').length === 2, 'must contain {number} exactly once');

/** The dial string for a number: the template with the number in place. */
export function dialString(config: { trunkEndpoint: string }, number: string): string {
  return config.trunkEndpoint.replace('{number}', number);
}

/** A number the trunk can dial: digits (a leading + allowed), separators dropped; null for withheld or short numbers. */
export function dialableNumber(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const cleaned = raw.replace(/[\s()-]/g, '');
  // 7 digits at least: a local fixed line; shorter ones are service numbers, not citizens.
  return /^\+?\d{7,20}$/.test(cleaned) ? cleaned : null;
}
