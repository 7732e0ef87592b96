/**
 * Callback jobs in Redis, shared by every service instance: scheduled once (per number per
 * calling day for missed calls), claimed under a lease by one instance at a time and never
 * more in flight than the cap, retried inside the calling hours, and durable: a job is
 * written before `schedule…` returns, and one claimed by an instance that dies comes back
 * when its lease runs out. When a callback may be placed is decided in src/calendar/calling-window.ts and
 * what follows an attempt in callback-job.ts; this file only keeps the jobs.
 */
import type { Redis } from 'ioredis';
import type { ScheduleConfig, WorkingDayCalendar } from '../../calendar/index.js';
import {
  afterAttempt,
  dialableNumber,
  jobFromHash,
  view,
  type AttemptOutcome,
  type CallbackJob,
  type CallbackJobView,
  type CallbackKind,
  type MissedReason,
} from './callback-job.js';
import type { CallbacksConfig } from './config-schema.js';
import type { CallbackKeys } from './keys.js';
import type { CallbackMetrics } from './metrics.js';
import { insideCallingHours, msUntilEndOf, nextCallingInstant } from '../../calendar/index.js';
import { runCallbackScript } from './redis-scripts.js';

/** A done job stays readable this long (the call record, the API), then goes. */
const DONE_TTL_MS = 7 * 24 * 3600 * 1000;

export interface MissedCall {
  callId: string;
  /** The caller's number as it came in; withheld or short numbers are not called back. */
  number: string | null | undefined;
  queue: string;
  missedAt: number;
  reason: MissedReason;
}

export interface VirtualHoldRequest {
  callId: string;
  /** The number confirmed or keyed by the caller. */
  number: string;
  queue: string;
  /** The caller's priority and enqueued-at in the ACD queue: the reservation keeps the caller's place with them. */
  priority: number;
  enqueuedAt: number;
}

export interface SatisfactionCallbackRequest {
  ticketNumber: string;
  number: string;
  /** The call the ticket was taken on, when known: the callback's events go on its stream. */
  callId: string | null;
  /** What the callback answers (the survey's id, the supervision's event): one job per reference. */
  reference: string;
  queue: string;
  priority: number;
}

export type ScheduleResult =
  /** `replaced`: the missed-call job a virtual-hold request took the place of. */
  | { result: 'scheduled'; jobId: string; dueAt: number; replaced?: string }
  /** `pending`: the number has a job waiting or in flight; `called-today`: a missed-call job was scheduled for that calling day already. */
  | { result: 'already'; jobId: string; why: 'pending' | 'called-today' | 'same-call' }
  | { result: 'disabled' }
  | { result: 'not-dialable' }
  | { result: 'no-calling-hours' };

export type FinishResult =
  | { result: 'retry'; dueAt: number; attempts: number }
  | { result: 'done'; outcome: 'connected' | 'given-up' }
  /** The lease ran out and the job went back: another attempt may be under way; nothing recorded. */
  | { result: 'not-yours' }
  | { result: 'unknown' };

export interface ClaimResult {
  jobs: CallbackJob[];
  /** Jobs whose lease ran out with no attempt left: given up (the call record should say so). */
  givenUp: Array<{ jobId: string; kind: CallbackKind }>;
}

export interface CallbackStoreOptions {
  redis: Redis;
  keys: CallbackKeys;
  config: CallbacksConfig;
  calendar: WorkingDayCalendar;
  /** The calling hours, resolved (resolveCallingHours). */
  callingHours: ScheduleConfig;
  metrics?: CallbackMetrics;
}

export class CallbackStore {
  private readonly redis: Redis;
  private readonly keys: CallbackKeys;
  private readonly config: CallbacksConfig;
  private readonly calendar: WorkingDayCalendar;
  private readonly hours: ScheduleConfig;
  private readonly metrics: CallbackMetrics | undefined;

  constructor(options: CallbackStoreOptions) {
    this.metrics = options.metrics;
    this.redis = options.redis;
    this.keys = options.keys;
    this.config = options.config;
    this.calendar = options.calendar;
    this.hours = options.callingHours;
  }

  /** The next instant a missed-call callback may be placed at or after `at`. */
  nextWindow(at: number): number | null {
    return nextCallingInstant(this.calendar, this.hours, new Date(at))?.getTime() ?? null;
  }

  /** A missed call: one callback for the next calling window, unless the number has one pending or had one that calling day. */
  async scheduleMissed(missed: MissedCall, now: number): Promise<ScheduleResult> {
    const result = await this.scheduleMissedCall(missed, now);
    this.metrics?.scheduled('missed', result.result);
    return result;
  }

  private async scheduleMissedCall(missed: MissedCall, now: number): Promise<ScheduleResult> {
    if (!this.config.missedCalls.enabled) return { result: 'disabled' };
    const number = dialableNumber(missed.number);
    if (!number) return { result: 'not-dialable' };
    const dueAt = this.nextWindow(Math.max(now, missed.missedAt));
    if (dueAt === null) return { result: 'no-calling-hours' };
    // Once per number per calling day: the day the callback falls on, so an evening's miss
    // called back next morning and a miss later that morning make one call, not two.
    const day = this.calendar.dateAt(new Date(dueAt));
    const ttl = msUntilEndOf(day, new Date(now), this.calendar.timeZone);
    const job = {
      id: `cb-m-${missed.callId}`,
      kind: 'missed' as const,
      callId: missed.callId,
      number,
      queue: this.config.queue ?? missed.queue,
      priority: this.config.missedCalls.priority,
      enqueuedAt: missed.missedAt,
      reason: missed.reason,
      ticketNumber: null,
    };
    return this.schedule(job, dueAt, now, { dayKey: this.keys.day(day, number), dayTtlMs: ttl, supersede: false });
  }

  /** Virtual hold: due at once, the caller's place kept (priority, enqueued-at). */
  async scheduleVirtualHold(request: VirtualHoldRequest, now: number): Promise<ScheduleResult> {
    const number = dialableNumber(request.number);
    if (!number) {
      this.metrics?.scheduled('virtual-hold', 'not-dialable');
      return { result: 'not-dialable' };
    }
    const job = {
      id: `cb-v-${request.callId}`,
      kind: 'virtual-hold' as const,
      callId: request.callId,
      number,
      queue: this.config.queue ?? request.queue,
      priority: request.priority,
      enqueuedAt: request.enqueuedAt,
      reason: null,
      ticketNumber: null,
    };
    // No once-a-day rule: the caller asked. A missed-call job still waiting gives way to this one.
    const result = await this.schedule(job, now, now, { dayKey: this.keys.day('-', number), dayTtlMs: 0, supersede: true });
    this.metrics?.scheduled('virtual-hold', result.result);
    return result;
  }

  /**
   * A human callback about a ticket (the citizen was dissatisfied with it, or it is under
   * supervision): an agent of `queue` reserved first, then the citizen called, inside the
   * calling hours. One per ticket at a time: a second request while one is pending is `already`.
   */
  async scheduleSatisfaction(request: SatisfactionCallbackRequest, now: number): Promise<ScheduleResult> {
    const number = dialableNumber(request.number);
    if (!number) {
      this.metrics?.scheduled('satisfaction', 'not-dialable');
      return { result: 'not-dialable' };
    }
    const dueAt = this.nextWindow(now);
    if (dueAt === null) return { result: 'no-calling-hours' };
    const job = {
      id: `cb-s-${request.ticketNumber}-${request.reference}`,
      kind: 'satisfaction' as const,
      callId: request.callId ?? `ticket:${request.ticketNumber}`,
      number,
      queue: request.queue,
      priority: request.priority,
      enqueuedAt: now,
      reason: null,
      ticketNumber: request.ticketNumber,
    };
    const result = await this.schedule(job, dueAt, now, { dayKey: this.keys.day('-', number), dayTtlMs: 0, supersede: false, ownerKey: this.keys.ticket(request.ticketNumber) });
    this.metrics?.scheduled('satisfaction', result.result);
    return result;
  }

  /**
   * Due jobs for `owner`, leased for `leaseSeconds` (renew while working on one), at most
   * `limit` and never more in flight across instances than `maxConcurrent`. Missed-call
   * jobs only inside the calling hours; virtual-hold jobs at any hour.
   */
  async claimDue(now: number, limit: number, owner: string): Promise<ClaimResult> {
    const missedAllowed = insideCallingHours(this.calendar, this.hours, new Date(now));
    const [givenUp, claimed] = (await runCallbackScript(
      this.redis,
      'cb-claim',
      [this.keys.leased(), this.keys.due('virtual-hold'), this.keys.due('missed'), this.keys.due('satisfaction')],
      [now, Math.max(0, Math.floor(limit)), owner, this.config.leaseSeconds * 1000, this.config.maxConcurrent, this.config.maxAttempts, missedAllowed ? 1 : 0, this.keys.jobPrefix(), DONE_TTL_MS],
    )) as [string[], string[][]];
    const lost = Object.entries(pairs(givenUp)).map(([jobId, kind]) => ({ jobId, kind: kind as CallbackKind }));
    for (const { kind } of lost) this.metrics?.attempted(kind, 'lease-expired', 'given-up');
    const jobs = claimed.map((flat) => jobFromHash(pairs(flat))).filter((j): j is CallbackJob => j !== null);
    return { jobs, givenUp: lost };
  }

  /** Keeps a claimed job this owner's for another lease; false when it is not (any more). */
  async renew(jobId: string, owner: string, now: number): Promise<boolean> {
    const renewed = await runCallbackScript(this.redis, 'cb-renew', [this.keys.job(jobId), this.keys.leased()], [jobId, owner, now + this.config.leaseSeconds * 1000]);
    return renewed === 1;
  }

  /** An attempt's outcome: the job is retried later (inside the calling hours for missed calls) or done. */
  async finish(jobId: string, owner: string, outcome: AttemptOutcome, now: number): Promise<FinishResult> {
    const job = await this.get(jobId);
    if (!job) return { result: 'unknown' };
    if (job.state !== 'leased' || job.owner !== owner) return { result: 'not-yours' };
    const window = job.kind !== 'virtual-hold' ? (at: Date) => nextCallingInstant(this.calendar, this.hours, at) : (at: Date) => at;
    const next = afterAttempt(job, outcome, this.config, now, window);
    const done = await runCallbackScript(
      this.redis,
      'cb-finish',
      [this.keys.job(jobId), this.keys.leased(), this.keys.due(job.kind)],
      [jobId, owner, job.attempts, now, outcome, next.next, next.next === 'retry' ? next.dueAt : next.outcome, DONE_TTL_MS],
    );
    if (done === -1) return { result: 'unknown' };
    if (done !== 1) return { result: 'not-yours' };
    this.metrics?.attempted(job.kind, outcome, next.next === 'done' ? next.outcome : null);
    return next.next === 'retry' ? { result: 'retry', dueAt: next.dueAt, attempts: job.attempts } : { result: 'done', outcome: next.outcome };
  }

  /** The citizen got through on their own: their pending job goes (one in flight is left to its dialer). */
  async cancel(number: string, now: number): Promise<{ result: 'cancelled' | 'in-flight'; jobId: string } | { result: 'none' }> {
    const dialable = dialableNumber(number);
    if (!dialable) return { result: 'none' };
    const [result, jobId] = (await runCallbackScript(
      this.redis,
      'cb-cancel',
      [this.keys.number(dialable), this.keys.due('virtual-hold'), this.keys.due('missed')],
      [this.keys.jobPrefix(), now, DONE_TTL_MS],
    )) as [string, string?];
    return result === 'none' ? { result: 'none' } : { result: result as 'cancelled' | 'in-flight', jobId: jobId! };
  }

  async get(jobId: string): Promise<CallbackJob | null> {
    return jobFromHash(await this.redis.hgetall(this.keys.job(jobId)));
  }

  /** Jobs waiting or in flight: their count, and the first `limit` (soonest due, then in flight) with numbers masked. */
  async pending(limit = 100): Promise<{ count: number; waiting: number; inFlight: number; jobs: CallbackJobView[] }> {
    const kinds: CallbackKind[] = ['virtual-hold', 'missed', 'satisfaction'];
    const [vh, missed, satisfaction, inFlight] = await Promise.all([...kinds.map((k) => this.redis.zcard(this.keys.due(k))), this.redis.zcard(this.keys.leased())]);
    // No list asked for (the count alone, every few seconds): ZRANGE 0 -1 would read every job id.
    const ids = limit > 0 ? await Promise.all([...kinds.map((k) => this.redis.zrange(this.keys.due(k), 0, limit - 1, 'WITHSCORES')), this.redis.zrange(this.keys.leased(), 0, limit - 1)]) : [[], [], [], []];
    const waitingIds = [...scored(ids[0]!), ...scored(ids[1]!), ...scored(ids[2]!)].sort((a, b) => a.score - b.score).map((s) => s.id);
    const all = await Promise.all([...waitingIds, ...ids[3]!].slice(0, limit).map((id) => this.get(id)));
    const waiting = vh! + missed! + satisfaction!;
    this.metrics?.pendingSeen({ waiting, inFlight: inFlight! });
    return { count: waiting + inFlight!, waiting, inFlight: inFlight!, jobs: all.filter((j): j is CallbackJob => j !== null).map(view) };
  }

  private async schedule(job: Omit<CallbackJob, 'createdAt' | 'dueAt' | 'attempts' | 'state' | 'owner' | 'leaseUntil' | 'outcome' | 'history'>, dueAt: number, now: number, rule: { dayKey: string; dayTtlMs: number; supersede: boolean; ownerKey?: string }): Promise<ScheduleResult> {
    const fields: Record<string, string | number> = {
      id: job.id,
      kind: job.kind,
      callId: job.callId,
      number: job.number,
      queue: job.queue,
      priority: job.priority,
      enqueuedAt: job.enqueuedAt,
      reason: job.reason ?? '',
      ticketNumber: job.ticketNumber ?? '',
      createdAt: now,
      dueAt,
      attempts: 0,
      state: 'pending',
      history: '[]',
    };
    const [result, jobId, replaced] = (await runCallbackScript(
      this.redis,
      'cb-schedule',
      [this.keys.job(job.id), this.keys.due(job.kind), rule.ownerKey ?? this.keys.number(job.number), rule.dayKey, this.keys.due('missed')],
      [job.id, dueAt, rule.dayTtlMs, rule.supersede ? 1 : 0, this.keys.jobPrefix(), now, DONE_TTL_MS, ...Object.entries(fields).flat()],
    )) as [string, string, string?];
    if (result === 'scheduled') return replaced ? { result: 'scheduled', jobId, dueAt, replaced } : { result: 'scheduled', jobId, dueAt };
    const why = result === 'exists' ? 'same-call' : (result as 'pending' | 'called-today');
    return { result: 'already', jobId, why };
  }
}

function pairs(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}

function scored(flat: string[]): Array<{ id: string; score: number }> {
  const out: Array<{ id: string; score: number }> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ id: flat[i]!, score: Number(flat[i + 1]) });
  return out;
}
