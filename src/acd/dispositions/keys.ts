/**
 * The dispositions' Redis keys, beside the ACD's own under `<prefix>acd:`:
 *   `<prefix>acd:disposition:<callId>:<agentId>`       hash: the disposition set during the wrap-up (code, note, at)
 *   `<prefix>acd:disposition-sent:<callId>:<agentId>`  string: the wrap-up's call.disposition went out
 * The set script finds the call from the agent's state, so it gets the hash's prefix.
 */
import { keyspace } from '../../redis/connection.js';
import type { AcdKeys } from '../keys.js';

export interface DispositionKeys {
  pending(callId: string, agentId: string): string;
  sent(callId: string, agentId: string): string;
  /** For the set script: `pendingPrefix + callId + ':' + agentId`. */
  pendingPrefix(): string;
}

const LOGGED_IN_SUFFIX = 'acd:logged-in';

/** The dispositions' keys under the same prefix as the ACD's keys (read back from their logged-in set's name). */
export function dispositionKeysBeside(keys: Pick<AcdKeys, 'loggedIn'>): DispositionKeys {
  const loggedIn = keys.loggedIn();
  if (!loggedIn.endsWith(LOGGED_IN_SUFFIX)) throw new Error(`unexpected ACD key layout: ${loggedIn}`);
  const k = keyspace(`${loggedIn.slice(0, -LOGGED_IN_SUFFIX.length)}acd:`);
  return {
    pending: (callId, agentId) => k('disposition', callId, agentId),
    sent: (callId, agentId) => k('disposition-sent', callId, agentId),
    pendingPrefix: () => k('disposition', ''),
  };
}
