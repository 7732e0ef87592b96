/**
 * The screen pop's two questions to the ticket backend (open tickets, contacts in the last
 * days), asked at once and each time-boxed: the pop answers with what came back in time and
 * says which part is missing, so a slow or absent backend never keeps a ringing agent waiting.
 */
import { withTimeout } from '../../shared/with-timeout.js';
import type { CallerLookups } from '../ports/caller-lookups.js';
import type { ScreenPopConfig } from './config-schema.js';
import type { CallerFacts } from './screen-pop.js';

export interface FactsOutcome {
  facts: CallerFacts;
  /** Why a look-up gave nothing (for the log). */
  failures: unknown[];
}

export async function lookUpCaller(
  lookups: CallerLookups | undefined,
  number: string,
  config: Pick<ScreenPopConfig, 'repeatCallerDays' | 'lookupTimeoutMs'>,
): Promise<FactsOutcome> {
  if (!lookups) return { facts: { tickets: null, contacts: null, lookup: 'unconfigured' }, failures: [] };
  if (!/\d/.test(number)) return { facts: { tickets: null, contacts: null, lookup: 'no-number' }, failures: [] };
  const ms = config.lookupTimeoutMs;
  const signal = AbortSignal.timeout(ms);
  // The signal stops the requests; withTimeout answers even from an adapter that ignores it.
  const [tickets, contacts] = await Promise.allSettled([
    withTimeout(lookups.openTicketsOf(number, signal), ms, 'open tickets look-up'),
    withTimeout(lookups.repeatCallerCount(number, config.repeatCallerDays, signal), ms, 'contact count look-up'),
  ]);
  const failures = [tickets, contacts].filter((r) => r.status === 'rejected').map((r) => r.reason as unknown);
  const lookup = failures.length === 0 ? 'ok' : failures.length === 2 ? 'unavailable' : 'partial';
  return {
    facts: {
      tickets: tickets.status === 'fulfilled' ? tickets.value : null,
      contacts: contacts.status === 'fulfilled' ? contacts.value : null,
      lookup,
    },
    failures,
  };
}
