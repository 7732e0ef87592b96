/**
 * A human callback about a ticket: an agent reserved first, then the citizen called (the
 * ACD's callback jobs, kind `satisfaction`). For a dissatisfied survey result (Wuding
 * §3(4)) and a ticket under supervision (Shangrao art. 13(7)).
 */
export interface HumanCallbackRequest {
  ticketNumber: string;
  number: string;
  callId: string | null;
  /** What the callback answers (a survey id, a supervision event id): one callback per reference. */
  reference: string;
}

export interface HumanCallbackPort {
  /** The callback job's id, or null when none could be scheduled (an undialable number, no calling hours). */
  schedule(request: HumanCallbackRequest): Promise<string | null>;
}
