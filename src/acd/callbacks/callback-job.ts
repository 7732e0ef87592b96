/**
 * A callback job and what follows an attempt. A job is `pending` (waiting to be due, or due),
 * `leased` (an instance claimed it: it reserves an agent, then calls the citizen) or `done`
 * (connected, given up or cancelled). Pure: what Redis holds is read into these types and the
 * decisions are functions of them.
 *
 *   pending ──claim──► leased ──finish(connected | given-up)──► done
 *      ▲                 │ ──finish(no-answer | busy | failed), attempts left──┐
 *      │                 │ ──lease ran out, attempts left (the instance died)──┤
 *      └─────────────────┴─────────────────────────────────────────────────────┘
 *   leased ──finish or lease ran out, no attempts left──► done (given-up)
 *   pending ──cancel (the citizen got through on their own)──► done (cancelled)
 */
import { maskNumber } from '../../log/mask.js';
import { dialableNumber } from '../../calls/dial-string.js';

export { dialableNumber };

/** `satisfaction`: a citizen dissatisfied with a closed ticket (or the ticket under supervision) gets a human callback. */
export type CallbackKind = 'missed' | 'virtual-hold' | 'satisfaction';
export type MissedReason = 'abandoned' | 'closed';
/** What one attempt came to, as the dialer reports it. */
export type AttemptOutcome = 'connected' | 'no-answer' | 'busy' | 'failed' | 'given-up';
/** How a job ended. */
export type FinalOutcome = 'connected' | 'given-up' | 'cancelled';
export type JobState = 'pending' | 'leased' | 'done';

export interface AttemptRecord {
  at: number;
  outcome: AttemptOutcome | 'lease-expired';
}

export interface CallbackJob {
  id: string;
  kind: CallbackKind;
  /** The call that was missed, or that asked for virtual hold; a satisfaction callback's ticket's call, or `ticket:<number>`. */
  callId: string;
  /** The ticket a satisfaction callback is about; null for the others. */
  ticketNumber: string | null;
  /** The citizen's number, whole: the dialer needs it. Never log it; `view()` masks it. */
  number: string;
  /** The queue agents are reserved from. */
  queue: string;
  /** The reservation's priority and enqueued-at: virtual hold keeps the caller's place with them. */
  priority: number;
  enqueuedAt: number;
  reason: MissedReason | null;
  createdAt: number;
  /** When the job may next be claimed (epoch ms). */
  dueAt: number;
  /** Claims so far, the current one included. */
  attempts: number;
  state: JobState;
  owner: string | null;
  leaseUntil: number | null;
  outcome: FinalOutcome | null;
  history: AttemptRecord[];
}

/** A job as an API or a log line may show it: the number masked. */
export type CallbackJobView = Omit<CallbackJob, 'number'> & { number: string };

export function view(job: CallbackJob): CallbackJobView {
  return { ...job, number: String(maskNumber(job.number)) };
}

export type AfterAttempt = { next: 'retry'; dueAt: number } | { next: 'done'; outcome: Exclude<FinalOutcome, 'cancelled'> };

export interface RetryPolicy {
  maxAttempts: number;
  retryAfterMinutes: number;
}

/**
 * After an attempt: done when connected or given up by the dialer, or when no attempt is
 * left; else again after `retryAfterMinutes`, moved into the calling hours by `window`
 * (null: the hours never open again, so the job is given up).
 */
export function afterAttempt(job: Pick<CallbackJob, 'attempts'>, outcome: AttemptOutcome, policy: RetryPolicy, now: number, window: (at: Date) => Date | null): AfterAttempt {
  if (outcome === 'connected') return { next: 'done', outcome: 'connected' };
  if (outcome === 'given-up' || job.attempts >= policy.maxAttempts) return { next: 'done', outcome: 'given-up' };
  const due = window(new Date(now + policy.retryAfterMinutes * 60_000));
  return due ? { next: 'retry', dueAt: due.getTime() } : { next: 'done', outcome: 'given-up' };
}


/** Reads a job hash as Redis holds it (all strings). */
export function jobFromHash(h: Record<string, string>): CallbackJob | null {
  if (!h.id || !h.kind) return null;
  const num = (s: string | undefined): number | null => (s === undefined || s === '' ? null : Number(s));
  return {
    id: h.id,
    kind: h.kind as CallbackKind,
    callId: h.callId ?? '',
    ticketNumber: h.ticketNumber || null,
    number: h.number ?? '',
    queue: h.queue ?? '',
    priority: num(h.priority) ?? 0,
    enqueuedAt: num(h.enqueuedAt) ?? 0,
    reason: (h.reason || null) as MissedReason | null,
    createdAt: num(h.createdAt) ?? 0,
    dueAt: num(h.dueAt) ?? 0,
    attempts: num(h.attempts) ?? 0,
    state: (h.state ?? 'pending') as JobState,
    owner: h.owner || null,
    leaseUntil: h.state === 'leased' ? num(h.leaseUntil) : null,
    outcome: (h.outcome || null) as FinalOutcome | null,
    history: h.history ? (JSON.parse(h.history) as AttemptRecord[]) : [],
  };
}
