/**
 * The record of one call: who, which line, when each phase happened, the path through the
 * menu and how it ended. Built by the call session, published with `call.ended`, kept in
 * Redis while the call lives so a restarted service can pick the call up again.
 */
import type { CallOutcome } from './domain-events.js';

export interface CallPathStep {
  at: string;
  /** The menu node or flow step. */
  node: string;
  /** The caller's input that led on (a digit, a ticket number…); null for no input. */
  input: string | null;
  /** What the step decided: 'option-1', 'timeout', 'invalid', 'closed-hours', 'queue:general'… */
  outcome: string;
}

export interface CallPhases {
  /** StasisStart seen. */
  entered: string;
  answered?: string;
  flowStarted?: string;
  flowEnded?: string;
  /** First hangup request from either side. */
  hangupRequested?: string;
  /** StasisEnd seen: the call has left the service. */
  ended?: string;
}

export interface CallRecord {
  callId: string;
  channelId: string;
  caller: { number: string; name: string };
  /** The number dialled (the Stasis argument). */
  dialled: string;
  /** The hotline line the number belongs to (main, merged hotlines…). */
  line: string;
  phases: CallPhases;
  path: CallPathStep[];
  /** True when a restarted service took the call over mid-way. */
  adopted: boolean;
  /** The sequence number of the last domain event the call published (0 before the first). */
  lastEventSequence: number;
  outcome?: CallOutcome;
  endedBy?: 'caller' | 'service' | 'asterisk';
  hangupCause?: number | null;
  hangupCauseText?: string | null;
}
