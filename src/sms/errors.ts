/**
 * Every way the SMS part fails, named once, each with a constant code callers can test for.
 */
export const SMS_ERRORS = {
  missingSecret: 'sms:missing-secret',
  noTemplate: 'sms:no-template',
  invalidNumber: 'sms:invalid-number',
  invalidRequest: 'sms:invalid-request',
  notBound: 'sms:not-bound',
  stopped: 'sms:stopped',
} as const;

export type SmsErrorCode = (typeof SMS_ERRORS)[keyof typeof SMS_ERRORS];

export class SmsError extends Error {
  override readonly name = 'SmsError';
  constructor(
    readonly code: SmsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
