/**
 * The roster's Redis keys, beside the ACD's own (keys.ts) under `<prefix>acd:`:
 *   `<prefix>acd:roster:<agentId>`  hash: the agent's profile as supervisors keep it
 *   `<prefix>acd:roster`            set: the ids on the roster
 */
import { keyspace } from '../redis/connection.js';
import type { AcdKeys } from './keys.js';

export interface RosterKeys {
  /** Hash: name, endpoint (the usual seat), kind, skills JSON. */
  entry(agentId: string): string;
  /** Set: every agent id on the roster. */
  ids(): string;
}

export function rosterKeys(prefix: string): RosterKeys {
  const k = keyspace(`${prefix}acd:`);
  return {
    entry: (agentId) => k('roster', agentId),
    ids: () => k('roster'),
  };
}

const LOGGED_IN_SUFFIX = 'acd:logged-in';

/** The roster's keys under the same prefix as the ACD's keys (read back from their logged-in set's name). */
export function rosterKeysBeside(keys: Pick<AcdKeys, 'loggedIn'>): RosterKeys {
  const loggedIn = keys.loggedIn();
  if (!loggedIn.endsWith(LOGGED_IN_SUFFIX)) throw new Error(`unexpected ACD key layout: ${loggedIn}`);
  return rosterKeys(loggedIn.slice(0, -LOGGED_IN_SUFFIX.length));
}
