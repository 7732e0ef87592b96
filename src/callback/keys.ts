/**
 * Every Redis key of the satisfaction surveys, named once. All live under `<prefix>survey:`.
 * Numbers stand in key names only as a digest (SCAN, the slow log and MONITOR show none).
 */
import { createHash } from 'node:crypto';
import { keyspace } from '../redis/connection.js';

export interface SurveyKeys {
  /** Hash: one survey (see SurveyJob); kept a long while after it is done, for the outcomes by ticket. */
  job(surveyId: string): string;
  /** Sorted set: surveys waiting for their next call, scored by when it is due (ms). */
  due(): string;
  /** Sorted set: surveys being called by an instance, scored by when the lease runs out (ms); its size is the calls in flight. */
  leased(): string;
  /** String: the survey open (waiting, calling, or awaiting an SMS reply) for a ticket. */
  open(ticketNumber: string): string;
  /** Sorted set: every survey of a ticket, scored by creation (ms). */
  ticket(ticketNumber: string): string;
  /** Set: the ticket's surveys rated dissatisfied (4, 5); its size says when supervision is due. */
  dissatisfied(ticketNumber: string): string;
  /** String with TTL: the survey awaiting an SMS reply from a number. */
  smsReply(number: string): string;
  /** For the scripts, which find job hashes by id: `jobPrefix + id`. */
  jobPrefix(): string;
}

const digest = (number: string): string => createHash('sha256').update(number).digest('base64url').slice(0, 22);

export function surveyKeys(prefix: string): SurveyKeys {
  const k = keyspace(`${prefix}survey:`);
  return {
    job: (id) => k('job', id),
    due: () => k('due'),
    leased: () => k('leased'),
    open: (ticketNumber) => k('open', ticketNumber),
    ticket: (ticketNumber) => k('ticket', ticketNumber),
    dissatisfied: (ticketNumber) => k('dissatisfied', ticketNumber),
    smsReply: (number) => k('sms-reply', digest(number)),
    jobPrefix: () => k('job', ''),
  };
}
