/**
 * Every way the ACD refuses or fails, named once, each with a constant code callers can
 * test for instead of parsing messages, and the HTTP status an API answers with.
 */
export const ACD_ERRORS = {
  agentOffline: { code: 'acd:agent-offline', status: 409 },
  agentBusy: { code: 'acd:agent-busy', status: 409 },
  alreadyLoggedIn: { code: 'acd:already-logged-in', status: 409 },
  notRinging: { code: 'acd:agent-not-ringing', status: 409 },
  notOnCall: { code: 'acd:agent-not-on-call', status: 409 },
  notInWrapUp: { code: 'acd:agent-not-in-wrap-up', status: 409 },
  wrapUpNotOver: { code: 'acd:wrap-up-not-over', status: 409 },
  wrongCall: { code: 'acd:wrong-call', status: 409 },
  /** The agent is neither ringing nor on a call: no call to pop up. */
  agentHasNoCall: { code: 'acd:agent-has-no-call', status: 409 },
  noSuchAgent: { code: 'acd:no-such-agent', status: 404 },
  unknownReason: { code: 'acd:unknown-reason', status: 400 },
  unknownSkill: { code: 'acd:unknown-skill', status: 400 },
  unknownQueue: { code: 'acd:unknown-queue', status: 400 },
  callAlreadyQueued: { code: 'acd:call-already-queued', status: 409 },
  noSuchCall: { code: 'acd:no-such-call', status: 404 },
  contention: { code: 'acd:contention', status: 503 },
  // Supervision (listen, whisper, barge):
  /** The agent is on call by its state, but the call's talk record is gone: it just ended. */
  callNotTalking: { code: 'acd:call-not-talking', status: 409 },
  /** Asterisk could not place a call to the supervisor's endpoint (not registered, unknown). */
  supervisorUnreachable: { code: 'acd:supervisor-unreachable', status: 409 },
  noSuchSupervision: { code: 'acd:no-such-supervision', status: 404 },
  /** Switching modes is done by the instance running it (it holds the snoop and the bridges). */
  supervisionElsewhere: { code: 'acd:supervision-elsewhere', status: 409 },
  /** Still joining the call, or switching: one change at a time. */
  supervisionBusy: { code: 'acd:supervision-busy', status: 409 },
  telephonyUnavailable: { code: 'acd:telephony-unavailable', status: 503 },
  // An agent's emergency transfer:
  /** The call is held by another service instance (its Stasis app): ask that one. */
  callElsewhere: { code: 'acd:call-elsewhere', status: 409 },
  unknownRoute: { code: 'acd:unknown-route', status: 400 },
  /** A centre is in the call already (one transfer at a time). */
  transferBusy: { code: 'acd:transfer-busy', status: 409 },
  notOnHold: { code: 'acd:caller-not-on-hold', status: 409 },
  noConsultation: { code: 'acd:no-consultation', status: 409 },
  /** An agent's transfer to a named agent who is not logged in and ready: refused, the call stays as it was. */
  transferTargetNotReady: { code: 'acd:transfer-target-not-ready', status: 409 },
  // The roster (supervisors keep who each agent is):
  /** No roster entry for the agent: a supervisor puts it on the roster first. */
  notOnRoster: { code: 'acd:not-on-roster', status: 404 },
  /** Taking a logged-in agent off the roster: log it out first. */
  agentLoggedIn: { code: 'acd:agent-logged-in', status: 409 },
} as const;

export type AcdErrorName = keyof typeof ACD_ERRORS;
export type AcdErrorCode = (typeof ACD_ERRORS)[AcdErrorName]['code'];

export class AcdError extends Error {
  override readonly name = 'AcdError';
  readonly code: AcdErrorCode;
  readonly status: number;
  constructor(which: AcdErrorName, message: string) {
    super(message);
    this.code = ACD_ERRORS[which].code;
    this.status = ACD_ERRORS[which].status;
  }

  /** The error for a refusal of the agent state machine, with its code. */
  static of(refusal: { code: AcdErrorCode; message: string }): AcdError {
    const which = (Object.keys(ACD_ERRORS) as AcdErrorName[]).find((name) => ACD_ERRORS[name].code === refusal.code)!;
    return new AcdError(which, refusal.message);
  }
}
