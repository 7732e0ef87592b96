/**
 * The satisfaction callback assembled from the hotline config: the store over Redis, the
 * timing on the shared calendar, the scheduling of ticket events, the dialer, the outcomes,
 * the SMS replies, and what supervisors may do with pending surveys.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AriPort } from '../ari/index.js';
import { addDays, CalendarConfigSchema, instantOf, nextCallingInstant, resolveCallingHours, WorkingDayCalendar, type CalendarConfig } from '../calendar/index.js';
import type { CallRegistry, DomainEventBus } from '../calls/index.js';
import { SatisfactionCallbackConfigSchema, type SatisfactionCallbackConfig, type SatisfactionCallbackConfigInput } from './config-schema.js';
import { SURVEY_ERRORS, SurveyError } from './errors.js';
import { surveyKeys } from './keys.js';
import { createSurveyMetrics, type SurveyMetrics } from './metrics.js';
import type { HumanCallbackPort } from './ports/human-callback.js';
import type { SurveyHandoff } from './ports/survey-handoff.js';
import type { SurveySmsPort, SurveySmsReply } from './ports/survey-sms.js';
import { takeSmsReply, type SmsReplyResult } from './sms-replies.js';
import { SurveyDialer } from './survey-dialer.js';
import { view, type SurveyJob, type SurveyJobView } from './survey-job.js';
import { SurveyOutcomes } from './survey-outcomes.js';
import { plannedAttempts, type SurveyTiming } from './survey-plan.js';
import { SurveyScheduler, type ClosedResult, type TicketClosed, type TicketSupervised } from './survey-scheduler.js';
import { SurveyStore } from './survey-store.js';

export interface SatisfactionCallbackOptions {
  config: SatisfactionCallbackConfig | SatisfactionCallbackConfigInput;
  calendar: CalendarConfig | undefined;
  redis: Redis;
  keyPrefix: string;
  ari: AriPort;
  bus: DomainEventBus;
  log: Logger;
  metrics?: Registry;
  handoff?: SurveyHandoff;
  humanCallback?: HumanCallbackPort;
  sms?: SurveySmsPort;
  /** How often due surveys are claimed. */
  everyMs?: number;
  now?: () => number;
}

export class SatisfactionCallback {
  readonly config: SatisfactionCallbackConfig;
  readonly timing: SurveyTiming;
  readonly store: SurveyStore;
  readonly dialer: SurveyDialer;
  private readonly scheduler: SurveyScheduler;
  private readonly outcomes: SurveyOutcomes;
  private readonly metrics: SurveyMetrics | undefined;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly detach: Array<() => void> = [];

  constructor(private readonly options: SatisfactionCallbackOptions) {
    const config = (this.config = SatisfactionCallbackConfigSchema.parse(options.config));
    const calendarConfig = options.calendar ?? CalendarConfigSchema.parse({});
    const hours = resolveCallingHours(config.callingHours, calendarConfig);
    // The config check reports this with its path at start-up; reaching here without it is a wiring fault.
    if (!hours) throw new Error('satisfactionCallback.callingHours names a schedule the calendar does not have');
    this.timing = { calendar: new WorkingDayCalendar(calendarConfig), hours, reviewWorkingDays: config.reviewWorkingDays, maxAttempts: config.maxAttempts, retryAfterMinutes: config.retryAfterMinutes };
    this.now = options.now ?? Date.now;
    this.log = options.log.child({ part: 'survey' });
    this.store = new SurveyStore(options.redis, surveyKeys(options.keyPrefix), config);
    this.metrics = options.metrics ? createSurveyMetrics(options.metrics, () => this.dialer.inFlight) : undefined;
    const common = { store: this.store, config, log: this.log, metrics: this.metrics, now: this.now, humanCallback: options.humanCallback };
    this.outcomes = new SurveyOutcomes({ ...common, bus: options.bus });
    this.scheduler = new SurveyScheduler({ ...common, timing: this.timing });
    this.dialer = new SurveyDialer({ ...common, timing: this.timing, ari: options.ari, outcomes: this.outcomes, handoff: options.handoff ?? {}, sms: options.sms, everyMs: options.everyMs ?? 5000 });
  }

  /** Hears the survey legs through the registry and, with an SMS port, the citizens' replies; then places due calls on a timer. */
  start(registry: CallRegistry): void {
    this.detach.push(this.dialer.attach(registry));
    const sms = this.options.sms;
    if (sms && this.config.sms) this.detach.push(sms.onReply(async (reply) => void (await this.smsReply(reply))));
    this.dialer.start();
  }

  stop(): void {
    this.dialer.stop();
    for (const off of this.detach.splice(0)) off();
    this.metrics?.unregister();
  }

  ticketClosed(event: TicketClosed): Promise<ClosedResult> {
    return this.scheduler.ticketClosed(event);
  }

  ticketSupervised(event: TicketSupervised): Promise<string | null> {
    return this.scheduler.ticketSupervised(event);
  }

  smsReply(reply: SurveySmsReply): Promise<SmsReplyResult> {
    return takeSmsReply({ store: this.store, outcomes: this.outcomes, log: this.log, now: this.now }, reply);
  }

  /** Surveys waiting for a call or being called, numbers masked. */
  async pending(limit: number): Promise<{ waiting: number; calling: number; surveys: SurveyJobView[] }> {
    const { waiting, calling, jobs } = await this.store.pending(limit);
    return { waiting, calling, surveys: jobs.map(view) };
  }

  /** One survey, with the attempts planned for it from its close. */
  async inspect(surveyId: string): Promise<SurveyJobView & { plannedAttempts: string[] }> {
    const job = await this.existing(surveyId);
    return { ...view(job), plannedAttempts: plannedAttempts(this.timing, job.closedAt).attempts.map((t) => new Date(t).toISOString()) };
  }

  /** Every survey of a ticket still kept (outcomes, ratings, attempts), oldest first. */
  async ofTicket(ticketNumber: string): Promise<SurveyJobView[]> {
    return (await this.store.ofTicket(ticketNumber)).map(view);
  }

  /** Moves a waiting survey's next call to `at`, or the calling hours' next opening after it. */
  async reschedule(surveyId: string, at: number): Promise<SurveyJobView> {
    const job = await this.existing(surveyId);
    const due = nextCallingInstant(this.timing.calendar, this.timing.hours, new Date(at));
    if (!due) throw new SurveyError(SURVEY_ERRORS.noCallingHours, 'the calling hours never open after that time');
    // A supervisor's time beyond the review window widens it to the end of that day: the retries still fit.
    const dayEnd = endOfDay(this.timing, due.getTime());
    const result = await this.store.reschedule(job.id, due.getTime(), Math.max(job.windowUntil, dayEnd));
    if (result !== 'rescheduled') throw refused(result, surveyId);
    this.log.info({ surveyId, dueAt: due.toISOString() }, 'survey rescheduled');
    return view((await this.store.get(surveyId))!);
  }

  async cancel(surveyId: string): Promise<SurveyJobView> {
    await this.existing(surveyId);
    const result = await this.store.cancel(surveyId, this.now());
    if (result !== 'cancelled') throw refused(result, surveyId);
    const job = (await this.store.get(surveyId))!;
    this.log.info({ surveyId }, 'survey cancelled');
    this.outcomes.publish(job, { humanCallbackJobId: null, dissatisfiedCount: 0 });
    return view(job);
  }

  private async existing(surveyId: string): Promise<SurveyJob> {
    const job = await this.store.get(surveyId);
    if (!job) throw new SurveyError(SURVEY_ERRORS.noSuchSurvey, `no survey ${surveyId}`);
    return job;
  }
}

function refused(state: string, surveyId: string): SurveyError {
  if (state === 'unknown') return new SurveyError(SURVEY_ERRORS.noSuchSurvey, `no survey ${surveyId}`);
  if (state === 'calling') return new SurveyError(SURVEY_ERRORS.calling, `survey ${surveyId} is being called`);
  if (state === 'sms') return new SurveyError(SURVEY_ERRORS.awaitingSms, `survey ${surveyId} awaits an SMS reply`);
  return new SurveyError(SURVEY_ERRORS.ended, `survey ${surveyId} has ended`);
}

/** The end of the centre's day `at` falls on. */
function endOfDay(timing: SurveyTiming, at: number): number {
  const date = timing.calendar.dateAt(new Date(at));
  return instantOf(addDays(date, 1), 0, timing.calendar.timeZone).getTime();
}
