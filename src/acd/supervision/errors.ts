/**
 * Every way starting or stopping a supervision is refused, named once with a constant code
 * and the HTTP status the API answers with (the ACD's own refusals, e.g. no such agent,
 * stay AcdErrors).
 */
export const SUPERVISION_ERRORS = {
  agentNotOnCall: { code: 'acd:agent-not-on-call', status: 409 },
  /** The agent is on call by its state, but the call's talk record is gone: it just ended. */
  callNotTalking: { code: 'acd:call-not-talking', status: 409 },
  /** Asterisk could not place a call to the supervisor's endpoint (not registered, unknown). */
  supervisorUnreachable: { code: 'acd:supervisor-unreachable', status: 409 },
  noSuchSupervision: { code: 'acd:no-such-supervision', status: 404 },
  /** Switching modes is done by the instance running it (it holds the snoop and the bridges). */
  runsElsewhere: { code: 'acd:supervision-elsewhere', status: 409 },
  /** Still joining the call, or switching: one change at a time. */
  supervisionBusy: { code: 'acd:supervision-busy', status: 409 },
  telephonyUnavailable: { code: 'acd:telephony-unavailable', status: 503 },
} as const;

export type SupervisionErrorName = keyof typeof SUPERVISION_ERRORS;
export type SupervisionErrorCode = (typeof SUPERVISION_ERRORS)[SupervisionErrorName]['code'];

export class SupervisionError extends Error {
  override readonly name = 'SupervisionError';
  readonly code: SupervisionErrorCode;
  readonly status: number;
  constructor(which: SupervisionErrorName, message: string) {
    super(message);
    this.code = SUPERVISION_ERRORS[which].code;
    this.status = SUPERVISION_ERRORS[which].status;
  }
}
