/**
 * The number a virtual-hold caller is called back on: the calling number as it is, or —
 * with `confirmNumber` — read back and confirmed, or keyed in (ended with #). Null when
 * nothing usable was confirmed (the caller goes on waiting).
 */
import type { CallContext } from '../../calls/index.js';
import { dialableNumber } from '../callbacks/callback-job.js';
import type { VirtualHoldConfig } from '../callbacks/config-schema.js';
import type { KeyCollector } from './key-collector.js';

/** How long a caller has to press a key when asked to confirm or key a callback number. */
const ANSWER_WITHIN_MS = 10_000;

export async function callbackNumber(call: CallContext, confirm: VirtualHoldConfig['confirmNumber'], keys: KeyCollector): Promise<string | null> {
  const own = dialableNumber(call.caller.number);
  if (!confirm) return own;
  let choice: string | null = null;
  // Keys count while the prompts play: a caller who knows the answer need not wait for the end.
  if (own) {
    const asking = call.play([...call.promptMedia(confirm.prompt), `digits:${own}`], { bargeIn: false });
    // One of the two keys; a few other keys give up.
    choice = await keys.collect((sofar, digit) => (digit === confirm.confirmKey || digit === confirm.otherNumberKey ? digit : sofar.length > 3 ? '' : null), ANSWER_WITHIN_MS, asking);
  }
  if (choice === confirm.confirmKey) return own;
  const asking = call.play(call.promptMedia(confirm.enterPrompt), { bargeIn: false });
  const keyed = await keys.collect((sofar, digit) => (digit === '#' ? sofar : sofar.length >= 20 ? sofar + digit : null), ANSWER_WITHIN_MS, asking);
  return keyed ? dialableNumber(keyed) : null;
}
