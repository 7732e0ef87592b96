/**
 * Places the survey calls that are due, on every instance: claims due surveys (leased,
 * capped across instances at the trunk's channels), calls the citizen from 12345 on a leg
 * `svy-<surveyId>-<attempt>` watched through the registry, and once answered runs the leg as
 * a call of its own with the survey flow. The lease is renewed while the call lasts (a
 * citizen put through to an agent still holds the trunk channel) and released only when the
 * leg is gone, so the cap counts channels, not intentions. What an attempt came to goes back
 * to the store: another call inside the window, the SMS survey, or the end.
 */
import type { Logger } from 'pino';
import { isGone, type AriEvent, type AriEventOf, type AriPort } from '../ari/index.js';
import { insideCallingHours } from '../calendar/index.js';
import { dialString, unansweredOutcome, type CallRegistry } from '../calls/index.js';
import { FailureStreak } from '../shared/failure-streak.js';
import type { SatisfactionCallbackConfig } from './config-schema.js';
import type { SurveyMetrics } from './metrics.js';
import type { SurveyHandoff } from './ports/survey-handoff.js';
import type { SurveySmsPort } from './ports/survey-sms.js';
import { SurveyFlow, type SurveyCallResult } from './survey-flow.js';
import type { AttemptResult, SurveyJob } from './survey-job.js';
import type { SurveyOutcomes } from './survey-outcomes.js';
import { retryAt, type SurveyTiming } from './survey-plan.js';
import type { SurveyStep, SurveyStore } from './survey-store.js';

export const SURVEY_ROLE = 'survey';
export const SURVEY_LEG_PREFIX = 'svy-';
/** The line tag of survey calls on their call records. */
export const SURVEY_LINE = 'satisfaction-survey';

export interface SurveyDialerDeps {
  store: SurveyStore;
  timing: SurveyTiming;
  config: SatisfactionCallbackConfig;
  ari: AriPort;
  outcomes: SurveyOutcomes;
  handoff: SurveyHandoff;
  sms?: SurveySmsPort;
  metrics?: SurveyMetrics;
  log: Logger;
  now(): number;
  everyMs: number;
}

interface Attempt {
  job: SurveyJob;
  channelId: string;
  startedAt: number;
  renew: NodeJS.Timeout;
  answered: boolean;
  result: SurveyCallResult | null;
  surveyCallId: string | null;
  over: boolean;
}

export class SurveyDialer {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> = Promise.resolve();
  private registry: CallRegistry | null = null;
  private readonly failures = new FailureStreak(10_000);
  private readonly attempts = new Map<string, Attempt>();

  constructor(private readonly deps: SurveyDialerDeps) {}

  /** Survey calls this instance has in flight. */
  get inFlight(): number {
    return this.attempts.size;
  }

  /** Hears the survey legs through the registry: their answer (StasisStart) and, unanswered, their end. */
  attach(registry: CallRegistry): () => void {
    this.registry = registry;
    registry.registerRole(SURVEY_ROLE, (event, args) => void this.answered(event, args));
    return registry.watchChannels(SURVEY_LEG_PREFIX, (event, channelId) => this.legEvent(event, channelId));
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.deps.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Calls in flight go on in Asterisk; their leases run out and their outcome is lost, not doubled.
    for (const attempt of this.attempts.values()) clearInterval(attempt.renew);
    this.attempts.clear();
  }

  /**
   * Claims what is due at `now` and calls each; run by the timer, and by tests with a clock
   * of their own. Ticks run one after the other, never two at once.
   */
  tick(now?: number): Promise<void> {
    const run = this.ticking.then(() => this.claim(now ?? this.deps.now()));
    this.ticking = run;
    return run;
  }

  private async claim(now: number): Promise<void> {
    const { store, ari, log, timing, config } = this.deps;
    try {
      if (!insideCallingHours(timing.calendar, timing.hours, new Date(now))) return;
      const room = config.maxConcurrentCalls - this.attempts.size;
      if (room <= 0) return;
      const jobs = await store.claimDue(now, room, ari.app);
      this.failures.succeeded();
      for (const job of jobs) {
        // Back from a lease lost with its instance, past its last attempt or its window: no call.
        if (job.attempts > timing.maxAttempts || now >= job.windowUntil) await this.settle(job, null, await this.afterLastCall(job));
        else await this.call(job, now);
      }
    } catch (err) {
      if (this.failures.failed(err)) log.warn({ err, failingInARow: this.failures.streak }, 'survey claim failed; retrying every tick');
    }
  }

  private async call(job: SurveyJob, now: number): Promise<void> {
    const { ari, config, store, log } = this.deps;
    const channelId = `${SURVEY_LEG_PREFIX}${job.id}-${job.attempts}`;
    const renewEvery = Math.max(1000, (config.leaseSeconds * 1000) / 3);
    const renew = setInterval(() => void store.renew(job.id, ari.app, this.deps.now()).catch(() => undefined), renewEvery);
    renew.unref();
    const attempt: Attempt = { job, channelId, startedAt: now, renew, answered: false, result: null, surveyCallId: null, over: false };
    this.attempts.set(channelId, attempt);
    try {
      await ari.originate({
        endpoint: dialString(config, job.number),
        channelId,
        callerId: config.callerId,
        timeoutSeconds: config.ringTimeoutSeconds,
        appArgs: `role:${SURVEY_ROLE},${job.id}`,
        variables: { HOTLINE_SURVEY_ID: job.id, HOTLINE_TICKET_NUMBER: job.ticketNumber },
      });
    } catch (err) {
      // 500 Allocation failed and the like: no channel, no event will follow.
      if (!isGone(err)) log.warn({ err, surveyId: job.id }, 'survey call could not be placed');
      await this.unanswered(attempt, null);
    }
  }

  private legEvent(event: AriEvent, channelId: string): void {
    const attempt = this.attempts.get(channelId);
    if (!attempt || attempt.answered || event.type !== 'ChannelDestroyed') return;
    void this.unanswered(attempt, event.cause ?? null);
  }

  /** The citizen answered: the leg runs as a call of its own with the survey flow. */
  private async answered(event: AriEventOf<'StasisStart'>, args: string[]): Promise<void> {
    const attempt = this.attempts.get(event.channel.id);
    if (!attempt || attempt.over || attempt.job.id !== args[0] || !this.registry) {
      // A leg of a survey this instance no longer holds (restarted, lease lost): not called twice.
      await this.deps.ari.hangup(event.channel.id).catch(() => undefined);
      return;
    }
    attempt.answered = true;
    this.deps.metrics?.called('answered');
    const { config, handoff, ari } = this.deps;
    // Keys pressed while the call is being set up (answered, its flow not yet running) are kept for it.
    const early: string[] = [];
    const channelId = event.channel.id;
    const stopEarly = ari.onEvent((e) => {
      if (e.type === 'ChannelDtmfReceived' && e.channel.id === channelId) early.push(e.digit);
    });
    const flow = new SurveyFlow({
      ticketNumber: attempt.job.ticketNumber,
      prompts: config.prompts,
      inputTimeoutMs: config.inputTimeoutSeconds * 1000,
      handoff,
      report: (result) => (attempt.result = result),
      earlyKeys: () => {
        stopEarly();
        return early.splice(0);
      },
    });
    const placed = this.registry.openPlaced(event.channel, { dialled: config.callerId, line: SURVEY_LINE, caller: { number: attempt.job.number, name: '' } }, flow);
    attempt.surveyCallId = placed.callId;
    await placed.ended;
    stopEarly();
    const result = attempt.result ?? { outcome: 'hung-up' as const };
    await this.over(attempt, 'answered', null, {
      next: 'done',
      outcome: result.outcome,
      rating: result.outcome === 'rated' ? result.rating : null,
      channel: 'voice',
      surveyCallId: placed.callId,
    });
  }

  /** Busy, no answer, or failed: again inside the window, else the SMS survey or the end. */
  private async unanswered(attempt: Attempt, cause: number | null): Promise<void> {
    if (attempt.over) return;
    const outcome = cause === null ? 'failed' : unansweredOutcome(cause);
    this.deps.metrics?.called(outcome);
    const { job } = attempt;
    const again = retryAt(this.deps.timing, { from: job.closedAt, until: job.windowUntil }, job.attempts, this.deps.now());
    await this.over(attempt, outcome, cause, again !== null ? { next: 'retry', dueAt: again } : await this.afterLastCall(job));
  }

  private async over(attempt: Attempt, outcome: AttemptResult, cause: number | null, step: SurveyStep): Promise<void> {
    if (attempt.over) return;
    attempt.over = true;
    clearInterval(attempt.renew);
    this.attempts.delete(attempt.channelId);
    this.deps.log.info({ surveyId: attempt.job.id, attempt: attempt.job.attempts, outcome, cause, next: step.next }, 'survey call over');
    await this.settle(attempt.job, { at: attempt.startedAt, outcome, cause }, step);
  }

  /** The last call failed: the survey by SMS when configured (a reply 1–5 is awaited), else the end. */
  private async afterLastCall(job: SurveyJob): Promise<SurveyStep> {
    const unreachable: SurveyStep = { next: 'done', outcome: 'unreachable', rating: null, channel: null, surveyCallId: null };
    const { sms, config, log } = this.deps;
    if (!sms || !config.sms) return unreachable;
    try {
      await sms.send({ to: job.number, text: config.sms.template.replaceAll('{ticketNumber}', job.ticketNumber), idempotencyKey: `survey:${job.id}`, ticketNumber: job.ticketNumber });
      return { next: 'sms', outcome: 'unreachable' };
    } catch (err) {
      log.error({ err, surveyId: job.id }, 'the SMS survey could not be sent');
      return unreachable;
    }
  }

  /** Writes what came of the call, then what follows: the result, the awaited SMS reply. */
  private async settle(job: SurveyJob, attempt: { at: number; outcome: AttemptResult; cause: number | null } | null, step: SurveyStep): Promise<void> {
    const { store, outcomes, ari, log, config } = this.deps;
    const now = this.deps.now();
    try {
      const written = await store.finishCall(job, ari.app, attempt, step, now);
      if (written.result !== 'recorded') {
        log.warn({ surveyId: job.id, result: written.result }, 'survey outcome not recorded: its lease was lost');
        return;
      }
      const history = attempt ? [...job.history, attempt] : job.history;
      if (step.next === 'done') {
        await outcomes.ended({ ...job, state: 'done', outcome: step.outcome, rating: step.rating, channel: step.channel, surveyCallId: step.surveyCallId, history }, written.dissatisfiedCount);
      } else if (step.next === 'sms') {
        await store.awaitSms(job, config.sms!.replyHours * 3600_000);
        outcomes.publish({ ...job, state: 'sms', outcome: 'unreachable', smsSent: true, history }, { humanCallbackJobId: null, dissatisfiedCount: written.dissatisfiedCount });
      }
    } catch (err) {
      log.error({ err, surveyId: job.id }, 'survey outcome not stored; the lease runs out and the survey is taken up again');
    }
  }
}
