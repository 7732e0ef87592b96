/**
 * A citizen's SMS reply to the survey text: a digit 1–5 is the rating of the survey awaiting
 * a reply from that number; anything else, or no survey awaiting one, is left to others.
 */
import type { Logger } from 'pino';
import type { SurveySmsReply } from './ports/survey-sms.js';
import type { SurveyOutcomes } from './survey-outcomes.js';
import { ratingOfSmsReply } from './survey-rating.js';
import type { SurveyStore } from './survey-store.js';

export type SmsReplyResult = 'rated' | 'no-survey' | 'not-a-rating' | 'already';

export async function takeSmsReply(deps: { store: SurveyStore; outcomes: SurveyOutcomes; log: Logger; now(): number }, reply: SurveySmsReply): Promise<SmsReplyResult> {
  const { store, outcomes, log } = deps;
  const job = await store.awaitingSms(reply.from);
  if (!job) return 'no-survey';
  const rating = ratingOfSmsReply(reply.text);
  if (rating === null) return 'not-a-rating';
  const written = await store.finishBySms(job, rating, deps.now());
  if (written.result !== 'recorded') return 'already';
  await store.smsAnswered(job);
  log.info({ surveyId: job.id, ticketNumber: job.ticketNumber, rating }, 'survey rated by SMS');
  await outcomes.ended({ ...job, state: 'done', outcome: 'rated', rating, channel: 'sms' }, written.dissatisfiedCount);
  return 'rated';
}
