/**
 * The satisfaction callback (满意度回访), public face for the wiring: after a ticket closes
 * the citizen is called from 12345 within the review window and inside the calling hours,
 * asked for a rating 1–5 by key, and the result goes to the ticket backend; a dissatisfied
 * citizen gets a human callback, a ticket's second dissatisfied result asks for supervision,
 * and a citizen never reached gets the survey by SMS.
 */
export { SatisfactionCallback, type SatisfactionCallbackOptions } from './satisfaction-callback.js';
export { SatisfactionCallbackConfigSchema, SurveyPromptsSchema, type SatisfactionCallbackConfig, type SatisfactionCallbackConfigInput, type SurveyPrompts } from './config-schema.js';
export { surveyConfigFaults, type SurveyFault, type HotlineForSurveyCheck } from './config-check.js';
export { SURVEY_ERRORS, SurveyError } from './errors.js';
export { reviewWindow, attemptAt, retryAt, plannedAttempts, type ReviewWindow, type SurveyTiming } from './survey-plan.js';
export { ratingOfKey, ratingOfSmsReply, isDissatisfied, followUpOf, RATING_LABELS } from './survey-rating.js';
export { SURVEY_ROLE, SURVEY_LEG_PREFIX, SURVEY_LINE } from './survey-dialer.js';
export { SurveyStore } from './survey-store.js';
export { surveyKeys, type SurveyKeys } from './keys.js';
export type { SurveyJob, SurveyJobView, SurveyState } from './survey-job.js';
export type { TicketClosed, TicketSupervised, ClosedResult } from './survey-scheduler.js';
export type { SurveySmsPort, SurveySmsMessage, SurveySmsReply } from './ports/survey-sms.js';
export type { HumanCallbackPort, HumanCallbackRequest } from './ports/human-callback.js';
export type { SurveyHandoff } from './ports/survey-handoff.js';
