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
  /** Number with TTL: the highest sequence stored for a call's own events (a stale number from the call never goes below it). */
  callSequence(callId: string): string;
  /** Counter with TTL: the last sequence given to other features' events of a call; starts at the clock (ms × 1000). */
  featureSequence(callId: string): string;
  /** String with TTL: present while Redis holds what this writer instance stored; gone means Redis lost its data. */
  writerMarker(owner: string): string;
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
    featureSequence: (callId) => k('feature-seq', callId),
    writerMarker: (owner) => k('writer', owner),
    inbound: () => k('inbound'),
    inboundAttempts: () => k('inbound-attempts'),
    inboundDeadLetters: () => k('inbound-dead'),
    inboundSeen: (eventId) => k('inbound-seen', eventId),
  };
}

/** Markers and sequence counters outlive any retry window by far, then expire. */
export const MARKER_TTL_SECONDS = 7 * 24 * 3600;
