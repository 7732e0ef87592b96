/**
 * The live record of a call (caller, number dialled, line, menu path, queue note) by its
 * call id, as the calls' live store keeps it in Redis: any instance can read it, not only
 * the one holding the call. `undefined` when there is none or the store does not answer.
 */
import type { CallRecord } from '../../calls/index.js';

export interface CallRecordReader {
  byCallId(callId: string): Promise<CallRecord | undefined>;
}
