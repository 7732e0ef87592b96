/**
 * Every way a survey request is refused, named once, with a constant code callers can test
 * for and the HTTP status the API answers with.
 */
export const SURVEY_ERRORS = {
  noSuchSurvey: { code: 'survey:no-such-survey', status: 404 },
  /** Its call is under way: it cannot be moved or cancelled until the call is over. */
  calling: { code: 'survey:calling', status: 409 },
  /** It ended (rated, unreachable, cancelled …). */
  ended: { code: 'survey:ended', status: 409 },
  /** Awaiting an SMS reply: nothing to reschedule (it can be cancelled). */
  awaitingSms: { code: 'survey:awaiting-sms', status: 409 },
  /** The calling hours never open again after the time asked for. */
  noCallingHours: { code: 'survey:no-calling-hours', status: 400 },
} as const;

export type SurveyErrorSpec = (typeof SURVEY_ERRORS)[keyof typeof SURVEY_ERRORS];

export class SurveyError extends Error {
  override readonly name = 'SurveyError';
  readonly code: string;
  readonly status: number;
  constructor(spec: SurveyErrorSpec, message: string) {
    super(message);
    this.code = spec.code;
    this.status = spec.status;
  }
}
