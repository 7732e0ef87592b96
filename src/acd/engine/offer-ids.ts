/**
 * The ids the ACD gives the channels and bridges it makes, derived from the call id so
 * any instance (and a restarted one) finds them again from the call alone.
 *
 *   offer-<callId>-<n>   the agent's leg of the call's n-th offer (chosen by the pick script)
 *   call-<callId>        the mixing bridge caller and agent talk in
 *   cbc-<callId>-<n>     a callback's citizen leg, n-th attempt
 */
export const OFFER_PREFIX = 'offer-';
export const CALLBACK_CITIZEN_PREFIX = 'cbc-';

export const talkBridgeId = (callId: string): string => `call-${callId}`;

/** The call an offer channel or a callback citizen leg belongs to; null for any other id. */
export function callIdOfLeg(channelId: string): string | null {
  const prefix = channelId.startsWith(OFFER_PREFIX) ? OFFER_PREFIX : channelId.startsWith(CALLBACK_CITIZEN_PREFIX) ? CALLBACK_CITIZEN_PREFIX : null;
  if (!prefix) return null;
  const rest = channelId.slice(prefix.length);
  const dash = rest.lastIndexOf('-');
  if (dash <= 0 || !/^\d+$/.test(rest.slice(dash + 1))) return null;
  return rest.slice(0, dash);
}
