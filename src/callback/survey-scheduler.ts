/**
 * The ticket events the survey acts on, each handler idempotent (the ticket bridge may run
 * it more than once) and throwing only when the event must be retried (Redis away):
 *   ticket.closed      → a survey in the review window's first calling instant, once per close
 *   ticket.supervised  → a human callback (Shangrao art. 13(7)), once per event
 */
import type { Logger } from 'pino';
import type { SatisfactionCallbackConfig } from './config-schema.js';
import type { SurveyMetrics } from './metrics.js';
import type { HumanCallbackPort } from './ports/human-callback.js';
import { attemptAt, reviewWindow, type SurveyTiming } from './survey-plan.js';
import type { ScheduleResult, SurveyStore } from './survey-store.js';

/** What the survey reads of ticket.closed (the ticket bridge's event, parsed at its door). */
export interface TicketClosed {
  eventId: string;
  data: { ticketNumber: string; callerNumber: string; callId: string | null; closedAt: string; satisfactionCallback: boolean };
}

export interface TicketSupervised {
  eventId: string;
  data: { ticketNumber: string; callerNumber?: string | undefined; reason: string };
}

export type ClosedResult = ScheduleResult | { result: 'disabled' } | { result: 'no-window' };

export interface SurveySchedulerDeps {
  store: SurveyStore;
  timing: SurveyTiming;
  config: SatisfactionCallbackConfig;
  humanCallback?: HumanCallbackPort;
  metrics?: SurveyMetrics;
  log: Logger;
  now(): number;
}

export class SurveyScheduler {
  constructor(private readonly deps: SurveySchedulerDeps) {}

  async ticketClosed(event: TicketClosed): Promise<ClosedResult> {
    const result = await this.schedule(event);
    this.deps.metrics?.scheduled(result.result);
    this.deps.log.info({ eventId: event.eventId, ticketNumber: event.data.ticketNumber, ...result }, 'ticket closed: satisfaction survey');
    return result;
  }

  private async schedule(event: TicketClosed): Promise<ClosedResult> {
    const { config, timing, store } = this.deps;
    if (!config.enabled || !event.data.satisfactionCallback) return { result: 'disabled' };
    const closedAt = Date.parse(event.data.closedAt);
    const window = reviewWindow(timing, closedAt);
    // A close told late (the backend was away) is still surveyed inside what is left of its window.
    const first = attemptAt(timing, window, Math.max(closedAt, this.deps.now()));
    if (first === null) return { result: 'no-window' };
    return store.schedule(
      { ticketNumber: event.data.ticketNumber, number: event.data.callerNumber, callId: event.data.callId, closedAt, windowUntil: window.until, firstAttemptAt: first },
      this.deps.now(),
    );
  }

  async ticketSupervised(event: TicketSupervised): Promise<string | null> {
    const { humanCallback, log } = this.deps;
    if (!humanCallback || !event.data.callerNumber) return null;
    const jobId = await humanCallback.schedule({ ticketNumber: event.data.ticketNumber, number: event.data.callerNumber, callId: null, reference: event.eventId });
    log.info({ eventId: event.eventId, ticketNumber: event.data.ticketNumber, jobId }, 'ticket under supervision: human callback');
    return jobId;
  }
}
