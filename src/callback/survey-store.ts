/**
 * The satisfaction surveys in Redis, shared by every service instance: scheduled once per
 * ticket close (a ticket.closed delivered twice writes one survey), claimed under a lease by
 * one instance at a time and never more calls in flight than the trunk's cap, retried inside
 * the review window and the calling hours, and durable: a survey is written before the
 * ticket event is acknowledged, and one claimed by an instance that dies comes back when its
 * lease runs out. When a call may be placed is decided in survey-plan.ts; this file keeps the
 * surveys.
 */
import type { Redis } from 'ioredis';
import { dialableNumber, type SurveyRating } from '../calls/index.js';
import { jobFromHash, type AttemptResult, type SurveyJob, type SurveyOutcome } from './survey-job.js';
import type { SurveyKeys } from './keys.js';
import { runSurveyScript } from './redis-scripts.js';
import { isDissatisfied } from './survey-rating.js';

/** A done survey stays readable this long: outcomes by ticket, and the second dissatisfied result. */
const DONE_TTL_MS = 180 * 24 * 3600 * 1000;

export interface NewSurvey {
  ticketNumber: string;
  number: string;
  callId: string | null;
  closedAt: number;
  windowUntil: number;
  firstAttemptAt: number;
}

export type ScheduleResult =
  | { result: 'scheduled' | 'exists'; surveyId: string; dueAt: number }
  /** The ticket has a survey open already (another close while it waits). */
  | { result: 'pending'; surveyId: string }
  | { result: 'not-dialable' };

/** What follows a call or an SMS reply: another call at `dueAt`, an SMS awaited, or the end. */
export type SurveyStep =
  | { next: 'retry'; dueAt: number }
  | { next: 'sms'; outcome: 'unreachable' }
  | { next: 'done'; outcome: SurveyOutcome; rating: SurveyRating | null; channel: 'voice' | 'sms' | null; surveyCallId: string | null };

export type FinishResult = { result: 'recorded'; dissatisfiedCount: number } | { result: 'not-yours' } | { result: 'unknown' };

export class SurveyStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: SurveyKeys,
    private readonly limits: { maxConcurrentCalls: number; leaseSeconds: number },
  ) {}

  /** The survey id of a ticket's close: the same close gives the same id (idempotent per ticket close). */
  static idOf(ticketNumber: string, closedAt: number): string {
    return `sv-${ticketNumber}-${closedAt}`;
  }

  async schedule(survey: NewSurvey, now: number): Promise<ScheduleResult> {
    const number = dialableNumber(survey.number);
    if (!number) return { result: 'not-dialable' };
    const id = SurveyStore.idOf(survey.ticketNumber, survey.closedAt);
    const fields: Record<string, string | number> = {
      id,
      ticketNumber: survey.ticketNumber,
      number,
      callId: survey.callId ?? '',
      closedAt: survey.closedAt,
      windowUntil: survey.windowUntil,
      createdAt: now,
      dueAt: survey.firstAttemptAt,
      attempts: 0,
      state: 'pending',
      history: '[]',
    };
    const [result, surveyId] = (await runSurveyScript(
      this.redis,
      'sv-schedule',
      [this.keys.job(id), this.keys.due(), this.keys.open(survey.ticketNumber), this.keys.ticket(survey.ticketNumber)],
      [id, survey.firstAttemptAt, now, this.keys.jobPrefix(), ...Object.entries(fields).flat()],
    )) as [string, string];
    if (result === 'pending') return { result: 'pending', surveyId };
    return { result: result as 'scheduled' | 'exists', surveyId, dueAt: survey.firstAttemptAt };
  }

  /** Due surveys for `owner`, at most `limit`, never more in flight across instances than the cap. */
  async claimDue(now: number, limit: number, owner: string): Promise<SurveyJob[]> {
    const claimed = (await runSurveyScript(
      this.redis,
      'sv-claim',
      [this.keys.leased(), this.keys.due()],
      [now, Math.max(0, Math.floor(limit)), owner, this.limits.leaseSeconds * 1000, this.limits.maxConcurrentCalls, this.keys.jobPrefix()],
    )) as string[][];
    return claimed.map((flat) => jobFromHash(pairs(flat))).filter((j): j is SurveyJob => j !== null);
  }

  async renew(surveyId: string, owner: string, now: number): Promise<boolean> {
    return (await runSurveyScript(this.redis, 'sv-renew', [this.keys.job(surveyId), this.keys.leased()], [surveyId, owner, now + this.limits.leaseSeconds * 1000])) === 1;
  }

  /** A call of a survey this owner claimed is over: what it came to, and what follows. */
  finishCall(job: SurveyJob, owner: string, attempt: { at: number; outcome: AttemptResult; cause: number | null } | null, step: SurveyStep, now: number): Promise<FinishResult> {
    const record = attempt ? JSON.stringify(attempt) : '';
    return this.finish(job, ['calling', owner, String(job.attempts)], record, step, now);
  }

  /** A rating by SMS reply, for a survey awaiting one. */
  finishBySms(job: SurveyJob, rating: SurveyRating, now: number): Promise<FinishResult> {
    return this.finish(job, ['sms', '', ''], '', { next: 'done', outcome: 'rated', rating, channel: 'sms', surveyCallId: job.surveyCallId }, now);
  }

  private async finish(job: SurveyJob, expect: [string, string, string], record: string, step: SurveyStep, now: number): Promise<FinishResult> {
    const done = step.next === 'done' ? step : null;
    const [result, dissatisfiedCount] = (await runSurveyScript(
      this.redis,
      'sv-finish',
      [this.keys.job(job.id), this.keys.leased(), this.keys.due(), this.keys.open(job.ticketNumber), this.keys.dissatisfied(job.ticketNumber)],
      [
        job.id,
        ...expect,
        record,
        now,
        step.next,
        step.next === 'retry' ? step.dueAt : '',
        step.next === 'retry' ? '' : step.outcome,
        done?.rating ?? '',
        done?.channel ?? '',
        done?.surveyCallId ?? '',
        isDissatisfied(done?.rating ?? null) ? 1 : 0,
        DONE_TTL_MS,
      ],
    )) as [number, number?];
    if (result === -1) return { result: 'unknown' };
    if (result !== 1) return { result: 'not-yours' };
    return { result: 'recorded', dissatisfiedCount: dissatisfiedCount ?? 0 };
  }

  /** Notes a field that follows the outcome (the human callback's job id). */
  async note(surveyId: string, fields: { humanCallbackJobId?: string }): Promise<void> {
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
    if (entries.length > 0) await this.redis.hset(this.keys.job(surveyId), Object.fromEntries(entries));
  }

  /** The survey awaiting an SMS reply from this number, for `ttlMs`. */
  async awaitSms(job: SurveyJob, ttlMs: number): Promise<void> {
    await this.redis.set(this.keys.smsReply(job.number), job.id, 'PX', Math.max(1, Math.floor(ttlMs)));
  }

  /** The survey awaiting an SMS reply from this number, if any. */
  async awaitingSms(number: string): Promise<SurveyJob | null> {
    const dialable = dialableNumber(number);
    if (!dialable) return null;
    const id = await this.redis.get(this.keys.smsReply(dialable));
    const job = id ? await this.get(id) : null;
    return job?.state === 'sms' ? job : null;
  }

  async smsAnswered(job: SurveyJob): Promise<void> {
    await this.redis.del(this.keys.smsReply(job.number));
  }

  async cancel(surveyId: string, now: number): Promise<'cancelled' | 'calling' | 'done' | 'unknown'> {
    const job = await this.get(surveyId);
    if (!job) return 'unknown';
    const result = (await runSurveyScript(this.redis, 'sv-cancel', [this.keys.job(surveyId), this.keys.due(), this.keys.open(job.ticketNumber)], [surveyId, now, DONE_TTL_MS])) as 'cancelled' | 'calling' | 'done' | 'unknown';
    if (result === 'cancelled' && job.state === 'sms') await this.smsAnswered(job);
    return result;
  }

  async reschedule(surveyId: string, dueAt: number, windowUntil: number): Promise<'rescheduled' | 'calling' | 'sms' | 'done' | 'unknown'> {
    return (await runSurveyScript(this.redis, 'sv-reschedule', [this.keys.job(surveyId), this.keys.due()], [surveyId, dueAt, windowUntil])) as 'rescheduled' | 'calling' | 'sms' | 'done' | 'unknown';
  }

  async get(surveyId: string): Promise<SurveyJob | null> {
    return jobFromHash(await this.redis.hgetall(this.keys.job(surveyId)));
  }

  /** Every survey of a ticket still kept, oldest first. */
  async ofTicket(ticketNumber: string): Promise<SurveyJob[]> {
    const ids = await this.redis.zrange(this.keys.ticket(ticketNumber), 0, -1);
    const jobs = await Promise.all(ids.map((id) => this.get(id)));
    return jobs.filter((j): j is SurveyJob => j !== null);
  }

  /** Surveys waiting (soonest due first) and being called: their counts and the first `limit`. */
  async pending(limit = 100): Promise<{ waiting: number; calling: number; jobs: SurveyJob[] }> {
    const [waiting, calling] = await Promise.all([this.redis.zcard(this.keys.due()), this.redis.zcard(this.keys.leased())]);
    if (limit <= 0) return { waiting, calling, jobs: [] };
    const [due, leased] = await Promise.all([this.redis.zrange(this.keys.due(), 0, limit - 1), this.redis.zrange(this.keys.leased(), 0, limit - 1)]);
    const jobs = await Promise.all([...due, ...leased].slice(0, limit).map((id) => this.get(id)));
    return { waiting, calling, jobs: jobs.filter((j): j is SurveyJob => j !== null) };
  }
}

function pairs(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}
