/**
 * The surveys' figures (the centre is judged on satisfaction and its callback rate: Dehong
 * art. 29, Shangrao art. 22): surveys scheduled by result, calls by outcome, surveys ended
 * by outcome and rating, and the survey calls in flight on this instance.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { SurveyRating } from '../calls/index.js';

export interface SurveyMetrics {
  scheduled(result: string): void;
  called(outcome: string): void;
  ended(outcome: string, rating: SurveyRating | null): void;
  unregister(): void;
}

const NAMES = ['hotline_surveys_scheduled_total', 'hotline_survey_calls_total', 'hotline_surveys_ended_total', 'hotline_survey_calls_in_flight'] as const;

export function createSurveyMetrics(registry: Registry, inFlight: () => number): SurveyMetrics {
  const scheduled = new Counter({ name: NAMES[0], help: 'ticket.closed events by what the survey scheduling did (scheduled, exists, pending, not-dialable, no-window, disabled)', labelNames: ['result'] as const, registers: [registry] });
  const calls = new Counter({ name: NAMES[1], help: 'Survey calls by outcome (answered, busy, no-answer, failed)', labelNames: ['outcome'] as const, registers: [registry] });
  const ended = new Counter({ name: NAMES[2], help: 'Surveys ended by outcome and rating (1 very satisfied … 5 very dissatisfied, none)', labelNames: ['outcome', 'rating'] as const, registers: [registry] });
  new Gauge({
    name: NAMES[3],
    help: 'Survey calls this instance has in flight (the cap holds across instances)',
    registers: [registry],
    collect() {
      this.set(inFlight());
    },
  });
  return {
    scheduled: (result) => scheduled.inc({ result }),
    called: (outcome) => calls.inc({ outcome }),
    ended: (outcome, rating) => ended.inc({ outcome, rating: rating === null ? 'none' : String(rating) }),
    unregister: () => {
      for (const name of NAMES) registry.removeSingleMetric(name);
    },
  };
}
