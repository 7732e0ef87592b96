/**
 * Every Redis key of the callback jobs, named once. All live under `<prefix>acd:cb:`.
 *
 * Numbers stand in key names only as a digest: the job hash holds the number whole (the
 * dialer needs it), but key listings (SCAN, the slow log, MONITOR) show no phone numbers.
 */
import { createHash } from 'node:crypto';
import { keyspace } from '../../redis/connection.js';
import type { CallbackKind } from './callback-job.js';

export interface CallbackKeys {
  /** Hash: one job (see CallbackJob); kept a while after it is done, for the call record and the API. */
  job(jobId: string): string;
  /** Sorted set: pending jobs of one kind, scored by when they are due (ms). */
  due(kind: CallbackKind): string;
  /** Sorted set: jobs claimed by an instance, scored by when the lease runs out (ms); its size is the jobs in flight. */
  leased(): string;
  /** String: the id of the job pending or in flight for a number; gone when the job is done. */
  number(number: string): string;
  /** String: the id of the satisfaction callback pending or in flight for a ticket; gone when the job is done. */
  ticket(ticketNumber: string): string;
  /** String: a missed-call job was scheduled for this number on this calling day; expires at the day's end. */
  day(date: string, number: string): string;
  /** For the scripts, which find job hashes by id: `jobPrefix + id`. */
  jobPrefix(): string;
}

const digest = (number: string): string => createHash('sha256').update(number).digest('base64url').slice(0, 22);

export function callbackKeys(prefix: string): CallbackKeys {
  const k = keyspace(`${prefix}acd:cb:`);
  return {
    job: (jobId) => k('job', jobId),
    due: (kind) => k('due', kind),
    leased: () => k('leased'),
    number: (number) => k('number', digest(number)),
    ticket: (ticketNumber) => k('ticket', ticketNumber),
    day: (date, number) => k('day', date, digest(number)),
    jobPrefix: () => k('job', ''),
  };
}
