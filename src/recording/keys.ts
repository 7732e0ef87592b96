/**
 * Every Redis key the recording archive owns, named once, under `<prefix>recording:`.
 * The index is a cache of the manifests in storage (the truth): `reindex` rebuilds it.
 */
import { keyspace } from '../redis/connection.js';

export interface RecordingKeys {
  /** Sorted set: recording ids scored by the call's start (ms). */
  byDate(): string;
  /** Hash: call id → recording id. */
  byCall(): string;
  /** Sorted set: one ticket's recording ids, scored by start. */
  byTicket(ticketNumber: string): string;
  /** Sorted set: one caller number digest's recording ids, scored by start. */
  byNumber(numberDigest: string): string;
  /** Set: tickets linked to a call whose recording is not stored yet (applied at ingest); expires. */
  pendingTickets(callId: string): string;
  /** List: the access log, oldest first, each entry carrying the previous entry's hash. */
  accessLog(): string;
  /** String: `<count> <hash>` of the access log's last entry, moved only with the list (compare-and-append). */
  accessLogHead(): string;
  /** String with an expiry: the instance sweeping now (one sweep at a time across instances). */
  sweepLock(): string;
  /** String with an expiry: the instance changing this recording's manifest now. */
  manifestLock(recordingId: string): string;
}

export function recordingKeys(prefix: string): RecordingKeys {
  const k = keyspace(`${prefix}recording:`);
  return {
    byDate: () => k('by-date'),
    byCall: () => k('by-call'),
    byTicket: (ticketNumber) => k('by-ticket', ticketNumber),
    byNumber: (numberDigest) => k('by-number', numberDigest),
    pendingTickets: (callId) => k('pending-tickets', callId),
    accessLog: () => k('access-log'),
    accessLogHead: () => k('access-log-head'),
    sweepLock: () => k('sweep-lock'),
    manifestLock: (recordingId) => k('manifest-lock', recordingId),
  };
}
