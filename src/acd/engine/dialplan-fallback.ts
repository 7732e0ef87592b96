/**
 * The dialplan's queue for a caller the ACD cannot keep (Redis lost mid-wait, a failed
 * answer). It may fail too (the caller hung up meanwhile, Asterisk away): the wait still
 * ends, and nothing is left unhandled.
 */
import { isGone } from '../../ari/index.js';
import type { CallContext, FlowResult } from '../../calls/index.js';
import type { ServeRequest } from './waiting-call-deps.js';

export async function dialplanFallback(call: CallContext, request: Pick<ServeRequest, 'fallback'>): Promise<FlowResult> {
  try {
    return await request.fallback();
  } catch (err) {
    if (call.signal.aborted || isGone(err)) return { then: 'caller-gone' };
    call.log.error({ err }, 'the dialplan queue could not take the caller either');
    return { then: 'hangup', outcome: 'failed' };
  }
}
