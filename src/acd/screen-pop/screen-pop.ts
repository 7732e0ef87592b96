/**
 * The screen pop of one call, as one actor may see it: pure, a function of the call's live
 * record, what the ticket backend said about the caller, the actor's role and the config.
 *
 * Masking follows one rule (DOMAIN.md clause 8): a role not in `wholeNumberRoles` sees the
 * caller's number masked as the logs show it (138******78), no caller name, and any long
 * run of digits the caller keyed in the menu masked too (a number given for a callback).
 */
import type { CallRecord } from '../../calls/index.js';
import type { Role } from '../../config/api-tokens.js';
import { maskNumber, maskPhoneNumbers } from '../../log/mask.js';
import type { CallerOpenTicket } from '../ports/caller-lookups.js';
import type { ScreenPopConfig } from './config-schema.js';

/**
 * How the look-ups went: `ok`; `partial` (one of the two answered); `unavailable` (the
 * backend was slow, away or refused); `unconfigured` (no look-up backend); `no-number`
 * (an anonymous caller: nothing to look up).
 */
export type LookupOutcome = 'ok' | 'partial' | 'unavailable' | 'unconfigured' | 'no-number';

/** What the ticket backend said about the caller; null where it did not answer. */
export interface CallerFacts {
  tickets: CallerOpenTicket[] | null;
  /** Contacts in the last `repeatCallerDays` days. */
  contacts: number | null;
  lookup: LookupOutcome;
}

/** The call an agent's state names: offered (ringing) or talking. */
export interface PoppedCall {
  callId: string;
  queue: string;
  agentState: 'ringing' | 'on-call';
}

export interface ScreenPopView {
  callId: string;
  queue: string;
  agentState: PoppedCall['agentState'];
  caller: { number: string; masked: boolean; name: string | null };
  dialled: string;
  line: string;
  /** The menu nodes passed, in order, with the keys pressed in each (null: no input). */
  path: Array<{ node: string; input: string | null; outcome: string; at: string }>;
  wait: { enqueuedAt: string | null; waitedMs: number | null };
  repeatCaller: { days: number; threshold: number; contacts: number | null; repeat: boolean | null };
  /** The caller's open tickets; null when the backend did not answer (see `lookup`). */
  tickets: CallerOpenTicket[] | null;
  lookup: LookupOutcome;
}

export function seesWholeNumber(role: Role, config: Pick<ScreenPopConfig, 'wholeNumberRoles'>): boolean {
  return config.wholeNumberRoles.includes(role);
}

/**
 * The caller id the ACD rings an agent's phone with: the whole number when agents may see
 * it, else the masked one, so the softphone never receives what the desk would hide.
 */
export function agentPhoneCallerId(number: string, config: Pick<ScreenPopConfig, 'wholeNumberRoles'>): string {
  return seesWholeNumber('agent', config) ? number : String(maskNumber(number));
}

export function assembleScreenPop(input: {
  call: PoppedCall;
  record: CallRecord;
  facts: CallerFacts;
  role: Role;
  config: ScreenPopConfig;
  now: number;
}): ScreenPopView {
  const { call, record, facts, config } = input;
  const whole = seesWholeNumber(input.role, config);
  const number = record.caller.number;
  const shown = whole ? number : String(maskNumber(number));
  const name = whole && record.caller.name ? record.caller.name : null;
  return {
    callId: call.callId,
    queue: call.queue,
    agentState: call.agentState,
    caller: { number: shown, masked: shown !== number, name },
    dialled: record.dialled,
    line: record.line,
    path: record.path.map((step) => ({
      node: step.node,
      input: step.input === null || whole ? step.input : maskPhoneNumbers(step.input),
      outcome: step.outcome,
      at: step.at,
    })),
    wait: waitOf(record, input.now),
    repeatCaller: {
      days: config.repeatCallerDays,
      threshold: config.repeatCallerThreshold,
      contacts: facts.contacts,
      repeat: facts.contacts === null ? null : facts.contacts >= config.repeatCallerThreshold,
    },
    tickets: facts.tickets,
    lookup: facts.lookup,
  };
}

/** Waited so far while ringing; the wait the queue noted once answered (or left). */
function waitOf(record: CallRecord, now: number): ScreenPopView['wait'] {
  const note = record.queue;
  if (!note) return { enqueuedAt: null, waitedMs: null };
  const since = Date.parse(note.enqueuedAt);
  const waitedMs = note.waitedMs ?? (Number.isFinite(since) ? Math.max(0, now - since) : null);
  return { enqueuedAt: note.enqueuedAt, waitedMs };
}
