/**
 * How Asterisk reaches an agent's seat. On one node the seat is its own endpoint
 * (`PJSIP/2001`): the browser registered on this Asterisk. With several nodes behind a SIP
 * proxy that keeps the registrations (deploy/README.md: Kamailio), an agent registered once
 * must be reachable from every node, so the seat becomes the request user of the PJSIP
 * endpoint pointing at the proxy (`acd.agentsVia`): `PJSIP/2001@kamailio-agents`, which the
 * proxy sends to the agent's WebSocket whichever node asks. Seats of other technologies are
 * dialled as they are.
 */
import { pjsipEndpointName } from './sip-credentials.js';

export function agentDialString(seat: string, agentsVia: string | undefined): string {
  if (!agentsVia) return seat;
  const name = pjsipEndpointName(seat);
  return name ? `PJSIP/${name}@${agentsVia}` : seat;
}
