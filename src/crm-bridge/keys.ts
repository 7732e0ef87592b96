/**
 * Every Redis key the bridge owns, named once. All live under `<prefix>crm:`.
 */
import { keyspace } from '../redis/connection.js';

/** The consumer group each sink's outbox is read through. */
export const DELIVERY_GROUP = 'deliver';
/** The consumer group inbound ticket events are handed to their handlers through. */
export const INBOUND_GROUP = 'handlers';

export interface CrmKeys {
  /** Stream: messages waiting for one sink (deleted once delivered, so its length is the backlog). */
  outbox(sink: string): string;
  /** Hash: outbox entry id → failed attempts so far (survives a restart). */
  attempts(sink: string): string;
  /** Stream: a sink's dead letters, oldest first. */
  deadLetters(sink: string): string;
  /** Hash: callId → dead letters of that call in this sink; later messages of such a call are held. */
  heldCalls(sink: string): string;
  /** String with TTL: the instance currently delivering to this sink. */
  lease(sink: string): string;
  /** String with TTL: this event id was already stored (a retried write stores nothing twice). */
  enqueued(eventId: string): string;
  /** Counter with TTL: the last sequence number given to a call's messages. */
  callSequence(callId: string): string;
  /** Stream: inbound ticket events not yet handled. */
  inbound(): string;
  inboundAttempts(): string;
  inboundDeadLetters(): string;
  /** String with TTL: this inbound event id was received before. */
  inboundSeen(eventId: string): string;
}

export function crmKeys(prefix: string): CrmKeys {
  const k = keyspace(`${prefix}crm:`);
  return {
    outbox: (sink) => k('outbox', sink),
    attempts: (sink) => k('attempts', sink),
    deadLetters: (sink) => k('dead', sink),
    heldCalls: (sink) => k('held-calls', sink),
    lease: (sink) => k('lease', sink),
    enqueued: (eventId) => k('enqueued', eventId),
    callSequence: (callId) => k('seq', callId),
    inbound: () => k('inbound'),
    inboundAttempts: () => k('inbound-attempts'),
    inboundDeadLetters: () => k('inbound-dead'),
    inboundSeen: (eventId) => k('inbound-seen', eventId),
  };
}

/** Markers and sequence counters outlive any retry window by far, then expire. */
export const MARKER_TTL_SECONDS = 7 * 24 * 3600;
