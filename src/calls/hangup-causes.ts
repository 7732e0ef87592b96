/**
 * Q.850 cause texts as Asterisk names them, for the call record when Asterisk sends a cause
 * number without its text (ChannelHangupRequest carries only the number).
 */
const CAUSE_TEXT: Record<number, string> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  3: 'No route to destination',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  20: 'Subscriber absent',
  21: 'Call Rejected',
  26: 'Answered elsewhere',
  27: 'Destination out of order',
  28: 'Invalid number format (incomplete number)',
  31: 'Normal, unspecified',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
  41: 'Temporary failure',
  42: 'Switching equipment congestion',
  127: 'Interworking, unspecified',
};

export function causeText(cause: number | null | undefined): string | null {
  if (cause === null || cause === undefined) return null;
  return CAUSE_TEXT[cause] ?? `Cause ${cause}`;
}

/** A SIP BYE reaches ARI as a ChannelHangupRequest with no cause: that is a normal clearing. */
export const NORMAL_CLEARING = 16;

/** Asterisk's AST_SOFTHANGUP_SHUTDOWN flag, sent as `cause` with `soft: true` on a restart. */
export const SOFTHANGUP_SHUTDOWN = 4;

/** What a dialled leg's end cause says of an unanswered call to a citizen (Q.850): 17 busy; 16, 18, 19, 21 nobody took it; anything else a failure. */
export function unansweredOutcome(cause: number | null | undefined): 'busy' | 'no-answer' | 'failed' {
  if (cause === 17) return 'busy';
  if (cause === 18 || cause === 19 || cause === 21 || cause === 16) return 'no-answer';
  return 'failed';
}
