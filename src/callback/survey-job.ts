/**
 * One satisfaction survey of a closed ticket, as Redis holds it. Pure: the hash read into
 * these types, and views of it.
 *
 *   pending ──claim──► calling ──answered──► done (rated | no-rating | hung-up)
 *      ▲                  │ ──busy / no answer / failed, window and attempts left──┐
 *      │                  │ ──lease ran out (the instance died)────────────────────┤
 *      └──────────────────┴──────────────────────────────────────────────────────────┘
 *   calling ──last attempt failed──► sms (text sent, a reply 1–5 awaited) ──reply──► done (rated)
 *                                └─► done (unreachable), without SMS
 *   pending / sms ──cancel (API)──► done (cancelled)
 */
import { maskNumber } from '../log/mask.js';
import type { SurveyRating, SurveyResultData } from '../calls/index.js';

export type SurveyState = 'pending' | 'calling' | 'sms' | 'done';
export type SurveyOutcome = SurveyResultData['outcome'];
export type AttemptResult = SurveyResultData['attempts'][number]['outcome'];

export interface SurveyAttempt {
  at: number;
  outcome: AttemptResult | 'lease-expired';
  cause: number | null;
}

export interface SurveyJob {
  id: string;
  ticketNumber: string;
  /** The citizen's number, whole: the dialer needs it. Never log it; `view()` masks it. */
  number: string;
  /** The call the ticket was taken on, when the backend said. */
  callId: string | null;
  closedAt: number;
  /** The review window's end (ms): no call at or after it. */
  windowUntil: number;
  createdAt: number;
  dueAt: number;
  /** Calls placed so far, the current one included. */
  attempts: number;
  state: SurveyState;
  owner: string | null;
  outcome: SurveyOutcome | null;
  rating: SurveyRating | null;
  channel: 'voice' | 'sms' | null;
  surveyCallId: string | null;
  humanCallbackJobId: string | null;
  smsSent: boolean;
  history: SurveyAttempt[];
}

export type SurveyJobView = Omit<SurveyJob, 'number' | 'closedAt' | 'windowUntil' | 'createdAt' | 'dueAt' | 'history'> & {
  number: string;
  closedAt: string;
  windowUntil: string;
  createdAt: string;
  dueAt: string | null;
  history: Array<Omit<SurveyAttempt, 'at'> & { at: string }>;
};

const iso = (ms: number): string => new Date(ms).toISOString();

/** A survey as the API shows it: the number masked, times in ISO 8601. */
export function view(job: SurveyJob): SurveyJobView {
  return {
    ...job,
    number: String(maskNumber(job.number)),
    closedAt: iso(job.closedAt),
    windowUntil: iso(job.windowUntil),
    createdAt: iso(job.createdAt),
    dueAt: job.state === 'pending' ? iso(job.dueAt) : null,
    history: job.history.map((a) => ({ ...a, at: iso(a.at) })),
  };
}

/** The attempts that were calls (a lease lost with its instance is not one), as survey.result lists them. */
export function placedAttempts(job: Pick<SurveyJob, 'history'>): SurveyResultData['attempts'] {
  return job.history.flatMap((a) => (a.outcome === 'lease-expired' ? [] : [{ at: iso(a.at), outcome: a.outcome, cause: a.cause }]));
}

/** Reads a job hash as Redis holds it (all strings). */
export function jobFromHash(h: Record<string, string>): SurveyJob | null {
  if (!h.id || !h.ticketNumber) return null;
  const num = (s: string | undefined): number => (s === undefined || s === '' ? 0 : Number(s));
  return {
    id: h.id,
    ticketNumber: h.ticketNumber,
    number: h.number ?? '',
    callId: h.callId || null,
    closedAt: num(h.closedAt),
    windowUntil: num(h.windowUntil),
    createdAt: num(h.createdAt),
    dueAt: num(h.dueAt),
    attempts: num(h.attempts),
    state: (h.state ?? 'pending') as SurveyState,
    owner: h.owner || null,
    outcome: (h.outcome || null) as SurveyOutcome | null,
    rating: h.rating ? (Number(h.rating) as SurveyRating) : null,
    channel: (h.channel || null) as SurveyJob['channel'],
    surveyCallId: h.surveyCallId || null,
    humanCallbackJobId: h.humanCallbackJobId || null,
    smsSent: h.smsSent === '1',
    history: h.history ? (JSON.parse(h.history) as SurveyAttempt[]) : [],
  };
}
