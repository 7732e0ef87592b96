/**
 * When a port could not take the call: the caller hears why, then the call is hung up as
 * failed. A failed hand-off never ends in silence.
 */
import type { CallContext } from '../../calls/index.js';
import type { ActionResult } from './action.js';

export async function handoffFailed(call: CallContext, promptId: string, outcome: string): Promise<ActionResult> {
  const end = await call.play(call.promptMedia(promptId), { bargeIn: false });
  if (end.reason === 'hangup') return { end: { then: 'caller-gone' }, outcome };
  return { end: { then: 'hangup', outcome: 'failed' }, outcome };
}
