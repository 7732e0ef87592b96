/**
 * Who may authenticate, and with which password. Every endpoint a softphone registers for
 * (those without a fixed contact: the agents, and the web-caller endpoint) has the password
 * the service hands the signed-in agent: derived from AGENT_SIP_SECRET by the same function
 * (src/acd/sip-credentials.ts), so the simulator needs the secret only, never a list.
 */
import { EXAMPLE_SIP_SECRET, sipPassword } from '../../src/acd/sip-credentials.js';
import type { PjsipEndpointConfig } from '../model/types.js';

/**
 * The endpoint a citizen's web page calls 12345 through. Its context reaches the IVR only
 * (Stasis in the hotline app), never an agent's extension.
 */
export const WEB_CALLER_ENDPOINT = 'webcall';
export const WEB_CALLER_CONTEXT = 'from-web';
export const WEB_CALLER: PjsipEndpointConfig = {
  callerId: { name: 'Web caller', number: 'webcall' }, context: WEB_CALLER_CONTEXT, language: 'zh', allow: ['alaw', 'ulaw'],
};

/** The numbers a web caller may reach: the hotline, into the IVR. */
export const WEB_CALLER_DESTINATIONS: ReadonlySet<string> = new Set(['12345']);

export { EXAMPLE_SIP_SECRET };

export function passwordOf(
  endpoints: ReadonlyMap<string, PjsipEndpointConfig>, secret: string, name: string,
): string | undefined {
  const config = endpoints.get(name);
  if (!config || config.staticContact) return undefined;
  return sipPassword(name, secret, { allowExample: true });
}
