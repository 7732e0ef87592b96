/**
 * `acd.screenPop`: what the agent desktop's screen pop shows, and to whom.
 *
 * Confidentiality (DOMAIN.md clause 8): a centre may decide that agents see callers' numbers
 * masked. The roles listed in `wholeNumberRoles` see the whole number (and the caller's
 * name); every other role sees it masked. The same rule decides what an agent's phone shows:
 * when agents may not see the whole number, the ACD rings their softphones with the masked one.
 */
import { z } from 'zod';
import { ROLES } from '../../config/api-tokens.js';

export const ScreenPopConfigSchema = z.object({
  /** Agents need the whole number to take a ticket down; a centre may choose masking. */
  wholeNumberRoles: z.array(z.enum(ROLES)).default(['agent', 'supervisor']),
  /** The repeat-caller flag counts the caller's contacts over this many days. */
  repeatCallerDays: z.number().int().min(1).max(365).default(30),
  /** This many contacts in those days (as the ticket backend counts them) flag a repeat caller. */
  repeatCallerThreshold: z.number().int().min(1).max(1000).default(3),
  /** Each ticket look-up gets this long; the pop answers without it rather than keep the desk waiting. */
  lookupTimeoutMs: z.number().int().min(50).max(10_000).default(1500),
});

export type ScreenPopConfig = z.infer<typeof ScreenPopConfigSchema>;
