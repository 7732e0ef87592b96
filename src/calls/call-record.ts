/**
 * The record of one call: who, which line, when each phase happened, the path through the
 * menu and how it ended. Built by the call session, published with `call.ended`, kept in
 * Redis while the call lives so a restarted service can pick the call up again.
 */
import type { CallOutcome, DomainEventPayloads } from './domain-events.js';

export interface CallPathStep {
  at: string;
  /** The menu node or flow step. */
  node: string;
  /** The caller's input that led on (a digit, a ticket number…); null for no input. */
  input: string | null;
  /** What the step decided: 'option-1', 'timeout', 'invalid', 'closed-hours', 'queue:general'… */
  outcome: string;
}

export interface CallPhases {
  /** StasisStart seen. */
  entered: string;
  answered?: string;
  flowStarted?: string;
  flowEnded?: string;
  /** First hangup request from either side. */
  hangupRequested?: string;
  /** StasisEnd seen: the call has left the service. */
  ended?: string;
}

/** An emergency transfer's receipt as the call record keeps it: the event's data, and how long an agent stayed. */
export type EmergencyReceipt = DomainEventPayloads['call.emergency'] & { agentStayedMs?: number };

/** The call's time in an ACD queue and how it ended there. */
export interface CallQueueNote {
  queue: string;
  enqueuedAt: string;
  priority: number;
  /** Agents the call was offered to, in order (one entry per offer). */
  offeredTo: string[];
  agentId?: string;
  answeredAt?: string;
  /** From entering the queue to the agent's answer, or to leaving the queue unanswered. */
  waitedMs?: number;
  /** How the wait ended. */
  result?: 'answered' | 'abandoned' | 'virtual-hold' | 'overflow-queue' | 'overflow-callback' | 'overflow-dialplan' | 'emergency' | 'fallback';
  /** The talk: from the agent's answer to the first hangup. */
  talkMs?: number;
  /** Who hung up first once caller and agent talked. */
  endedBy?: 'caller' | 'agent';
  /** Agents' blind transfers of the caller (to a queue or a named agent), in order; the fields above are the last wait's. */
  transfers?: CallTransferNote[];
}

/** One agent's blind transfer of the caller, as the call record keeps it. */
export interface CallTransferNote {
  at: string;
  fromAgent: string;
  /** `queue:<name>` or `agent:<id>`. */
  to: string;
  /** Who asked: the agent, or a supervisor. */
  by: string;
  /** The first agent's talk, from their answer to the transfer; null when not known. */
  talkMs: number | null;
}

/**
 * The call's recording as the recorder notes it: Asterisk's file while the call runs, with
 * every pause an agent asked for; the archive's reference and digests once stored (often
 * after the call ended: then only call.recorded carries them).
 */
export interface CallRecordingNote {
  asteriskName: string;
  state: 'starting' | 'recording' | 'paused' | 'failed' | 'stopping' | 'archived';
  pauses: Array<{ pausedAt: string; resumedAt: string | null; by: string; reason: string | null }>;
  recordingId?: string;
  sha256?: string;
  sm3?: string;
  sizeBytes?: number;
  retainUntil?: string;
}

export interface CallRecord {
  callId: string;
  channelId: string;
  caller: { number: string; name: string };
  /** The number dialled (the Stasis argument). */
  dialled: string;
  /** The hotline line the number belongs to (main, merged hotlines…). */
  line: string;
  phases: CallPhases;
  path: CallPathStep[];
  /** True when a restarted service took the call over mid-way. */
  adopted: boolean;
  /** The Stasis app the call is in: an instance reconciles only its own app's records. Absent on records stored before it was kept. */
  app?: string;
  /** Where the call's flow is (the IVR: node and what the caller entered), kept by the flow for a restarted service. */
  position?: unknown;
  /** Ids of the playbacks last started on the call: a restarted service stops them before replaying the prompt. */
  playbacks?: string[];
  /**
   * The call ended while no service watched it (its channel gone when a restarted service
   * looked): it ended between `lastSeenAt` (the record's last change) and `foundGoneAt`.
   */
  endUnseen?: { lastSeenAt: string; foundGoneAt: string };
  /** The sequence number of the last domain event the call published (0 before the first). */
  lastEventSequence: number;
  /** Present once the call reached an ACD queue. */
  queue?: CallQueueNote;
  /** The receipts of the call's emergency transfers and consultations, in order. */
  emergency?: EmergencyReceipt[];
  /** Present once the call's recording started (or failed to). */
  recording?: CallRecordingNote;
  outcome?: CallOutcome;
  endedBy?: 'caller' | 'service' | 'asterisk';
  hangupCause?: number | null;
  hangupCauseText?: string | null;
}
