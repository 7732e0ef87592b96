/**
 * What follows a survey's end, on whichever instance ended it: the result to the ticket
 * backend (survey.result on the ticket's stream), a human callback for a dissatisfied
 * citizen, and the ticket's second dissatisfied result asks for supervision
 * (ticket.supervision-requested, Shangrao art. 13(5)).
 */
import type { Logger } from 'pino';
import type { DomainEventBus, SurveyResultData } from '../calls/index.js';
import type { SurveyMetrics } from './metrics.js';
import type { HumanCallbackPort } from './ports/human-callback.js';
import { placedAttempts, type SurveyJob } from './survey-job.js';
import { followUpOf, isDissatisfied } from './survey-rating.js';
import type { SurveyStore } from './survey-store.js';

export interface SurveyOutcomesDeps {
  store: SurveyStore;
  bus: DomainEventBus;
  humanCallback?: HumanCallbackPort;
  metrics?: SurveyMetrics;
  log: Logger;
}

export const ticketStream = (ticketNumber: string): string => `ticket:${ticketNumber}`;

export class SurveyOutcomes {
  constructor(private readonly deps: SurveyOutcomesDeps) {}

  /** A survey ended (`job` as it now stands in Redis); `dissatisfiedCount` includes it. */
  async ended(job: SurveyJob, dissatisfiedCount: number): Promise<void> {
    const { store, bus, log } = this.deps;
    const follow = followUpOf(job.rating, dissatisfiedCount);
    let humanCallbackJobId = job.humanCallbackJobId;
    if (follow.humanCallback && this.deps.humanCallback && !humanCallbackJobId) {
      try {
        humanCallbackJobId = await this.deps.humanCallback.schedule({ ticketNumber: job.ticketNumber, number: job.number, callId: job.callId, reference: job.id });
        if (humanCallbackJobId) await store.note(job.id, { humanCallbackJobId });
      } catch (err) {
        log.error({ err, surveyId: job.id }, 'dissatisfied: the human callback could not be scheduled');
      }
    }
    this.deps.metrics?.ended(job.outcome ?? 'unknown', job.rating);
    this.publish(job, { humanCallbackJobId, dissatisfiedCount });
    if (!follow.supervision) return;
    const dissatisfied = (await store.ofTicket(job.ticketNumber)).filter((j) => isDissatisfied(j.rating));
    bus.publish(
      'ticket.supervision-requested',
      ticketStream(job.ticketNumber),
      { ticketNumber: job.ticketNumber, reason: 'dissatisfied-twice', surveyIds: dissatisfied.map((j) => j.id), ratings: dissatisfied.map((j) => j.rating!) },
      0,
    );
    log.info({ surveyId: job.id, ticketNumber: job.ticketNumber, dissatisfiedCount }, 'second dissatisfied result: supervision requested');
  }

  /** The result as it stands (also for a survey whose calls failed and whose SMS went out). */
  publish(job: SurveyJob, extra: { humanCallbackJobId: string | null; dissatisfiedCount: number }): void {
    const data: SurveyResultData = {
      ticketNumber: job.ticketNumber,
      surveyId: job.id,
      outcome: job.outcome ?? 'unreachable',
      rating: job.rating,
      channel: job.channel,
      attempts: placedAttempts(job),
      surveyCallId: job.surveyCallId,
      dissatisfiedCount: extra.dissatisfiedCount,
      humanCallbackJobId: extra.humanCallbackJobId,
      smsSent: job.smsSent,
    };
    this.deps.bus.publish('survey.result', ticketStream(job.ticketNumber), data, 0);
  }
}
