/**
 * Domain events: what happened to a call, in the hotline's words.
 *
 * Emitted by the call session and the features under it (IVR, ACD, emergency, recording)
 * on the in-process bus; the ticket bridge, metrics and wallboard subscribe. Each event has
 * a unique id (the idempotency key downstream), the call id and the time it happened.
 * Phone numbers travel in full here: they are needed by the ticket backend. Logs mask them.
 */

export interface DomainEventBase {
  /** Unique per event: downstream receivers de-duplicate on it. */
  id: string;
  callId: string;
  /**
   * The event's place among its call's events: 1, 2, 3 … numbered by the call itself, and
   * carried in the call record, so a re-adopted call goes on from its last number. Never
   * repeated within a call, whatever a store downstream forgets.
   */
  sequence: number;
  /** ISO 8601 with milliseconds, UTC. */
  at: string;
}

export interface DomainEventPayloads {
  'call.started': { channelId: string; caller: string; callerName: string; dialled: string; line: string };
  'call.answered': { channelId: string };
  'call.ivr-choice': { node: string; input: string | null; outcome: string; next: string | null };
  'call.queued': { queue: string; skill: string; priority: number };
  'call.offered': { queue: string; agentId: string };
  'call.agent-answered': { queue: string; agentId: string; waitedMs: number };
  /** `fromAgent`: the agent who handed the caller on (an agent's transfer; `by` is who asked, the agent or a supervisor). */
  'call.transferred': { target: string; kind: 'number' | 'agent' | 'queue'; by: string; fromAgent?: string };
  /** The receipt of an emergency transfer: every target tried, in order, and the one that answered. */
  'call.emergency': {
    route: string;
    /** The target that answered, or the last one tried. */
    target: string;
    outcome: 'answered' | 'failed';
    detail?: string;
    /** The centre as people call it: "110", "119", "water". */
    label: string;
    /** The emergency key (menu), an agent's transfer, or an agent's consultation call. */
    entry: 'menu' | 'agent' | 'consultation';
    attempts: Array<{ target: string; outcome: 'answered' | 'busy' | 'no-answer' | 'failed'; cause: number | null; detail?: string }>;
    /** From the transfer's start to the centre's answer; null when none answered. */
    answeredAfterMs: number | null;
    startedAt: string;
  };
  /**
   * The call's recording is in the archive (digests computed there while it streamed in).
   * It usually comes after call.ended, so it is numbered 0 and the ticket bridge numbers it
   * (see SEQUENCE_DESCRIPTION).
   */
  'call.recorded': {
    /** Asterisk's name of the file (gone from Asterisk once archived). */
    recordingName: string;
    /** The archive's id: what the recording routes take. */
    recordingId: string;
    durationSeconds: number;
    sha256: string;
    sm3: string;
    sizeBytes: number;
    /** ISO 8601 UTC: not deleted before this (3 years at least). */
    retainUntil: string;
  };
  /**
   * The agent's disposition of the call (acd.dispositions), one per wrap-up, sent when the
   * wrap-up ends: `code` null when it ended without one. After call.ended, so numbered 0
   * (the ticket bridge numbers it, see SEQUENCE_DESCRIPTION); its id is fixed per wrap-up.
   */
  'call.disposition': CallDispositionData;
  /** The agent left a call they had put through to an emergency centre: how long they stayed with both. */
  'call.emergency-agent-left': { route: string; mode: 'blind' | 'three-way'; agentId: string; stayedMs: number };
  /**
   * A callback of the call (virtual hold, or the call was missed) was attempted: an agent
   * reserved, the citizen called from the hotline's number. Numbered after the call's own
   * events (sequence 0 here: the ticket bridge numbers it, see SEQUENCE_DESCRIPTION).
   */
  'call.callback': {
    jobId: string;
    kind: 'missed' | 'virtual-hold' | 'satisfaction';
    attempt: number;
    outcome: 'connected' | 'no-answer' | 'busy' | 'failed' | 'given-up';
    agentId: string | null;
    next: 'retry' | 'connected' | 'given-up';
    nextAttemptAt: string | null;
  };
  /**
   * A satisfaction survey of a closed ticket is over (Wuding §3(4)): rated, or not and why,
   * with every attempt. Not a call's event: its `callId` is `ticket:<ticketNumber>` and its
   * `sequence` 0 (the ticket bridge numbers it, see SEQUENCE_DESCRIPTION). A survey answered
   * by SMS after its calls failed gives a second result, `channel: 'sms'`.
   */
  'survey.result': SurveyResultData;
  /** A ticket rated dissatisfied twice goes under supervision (Shangrao art. 13(5)); same stream as survey.result. */
  'ticket.supervision-requested': { ticketNumber: string; reason: 'dissatisfied-twice'; surveyIds: string[]; ratings: number[] };
  /**
   * An agent's state changed. Not a call's event: its `callId` is `agent:<agentId>` (the
   * stream it belongs to) and its `sequence` the agent's version, which counts every change
   * of the agent in Redis, whichever instance made it.
   */
  'agent.state-changed': {
    agentId: string;
    from: AgentStateName;
    to: AgentStateName;
    /** The not-ready reason, when the agent is now not ready. */
    reason: string | null;
    /** The call the agent now rings for, talks on, or wraps up. */
    callId: string | null;
    queue: string | null;
    version: number;
  };
  /**
   * A ticket's text (acceptance SMS, survey SMS) was sent, delivered, or not. Not a call's
   * event: its `callId` is `ticket:<ticketNumber>` and its sequence 0 (the ticket bridge
   * numbers it, see SEQUENCE_DESCRIPTION).
   */
  'ticket.sms': {
    ticketNumber: string;
    purpose: 'acceptance' | 'survey' | 'notice';
    idempotencyKey: string;
    status: 'submitted' | 'delivered' | 'failed' | 'rejected' | 'suppressed';
    messageIds: string[];
    code: string;
    attempts: number;
    gateway: string;
  };
  'call.ended': {
    channelId: string;
    outcome: CallOutcome;
    endedBy: 'caller' | 'service' | 'asterisk';
    hangupCause: number | null;
    hangupCauseText: string | null;
    durationMs: number;
  };
}

export interface CallDispositionData {
  agentId: string;
  queue: string;
  code: string | null;
  note: string | null;
  /** When the agent last set it; null when none was set. */
  setAt: string | null;
  /** The agent ended the wrap-up before its time (ready, not ready, log out), or its time ran out. */
  ended: 'early' | 'expired';
  wrapUpMs: number;
}

export type SurveyRating = 1 | 2 | 3 | 4 | 5;

export interface SurveyResultData {
  ticketNumber: string;
  surveyId: string;
  /** transferred: the citizen asked for an agent, or pressed the emergency key. */
  outcome: 'rated' | 'no-rating' | 'hung-up' | 'transferred' | 'unreachable' | 'cancelled';
  /** 1 非常满意, 2 满意, 3 基本满意, 4 不满意, 5 非常不满意. */
  rating: SurveyRating | null;
  channel: 'voice' | 'sms' | null;
  attempts: Array<{ at: string; outcome: 'answered' | 'busy' | 'no-answer' | 'failed'; cause: number | null }>;
  /** The answered survey call: its call record, and its recording (call.recorded) when recorded. */
  surveyCallId: string | null;
  /** Dissatisfied results (4, 5) of this ticket so far, this one included. */
  dissatisfiedCount: number;
  humanCallbackJobId: string | null;
  /** The survey went out by SMS after the last call failed. */
  smsSent: boolean;
}

export type AgentStateName = 'offline' | 'ready' | 'not-ready' | 'ringing' | 'on-call' | 'wrap-up';

export type CallOutcome =
  | 'completed'          // the flow ran to its end
  | 'abandoned'          // the caller hung up before the flow ended
  | 'transferred'        // handed to another number or back to the dialplan
  | 'failed'             // the service could not carry the call (its own errors)
  | 'dropped';           // Asterisk dropped the call (shut down, restarted, the channel gone while the service was away)

export type DomainEventType = keyof DomainEventPayloads;

export type DomainEvent = {
  [T in DomainEventType]: DomainEventBase & { type: T; data: DomainEventPayloads[T] };
}[DomainEventType];

export type DomainEventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;
