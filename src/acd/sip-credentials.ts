/**
 * The agents' softphone credentials, derived instead of stored: each endpoint's SIP password
 * is an HMAC of its name under one secret (AGENT_SIP_SECRET). The generator of
 * pjsip_agents.conf (scripts/generate-agent-endpoints.ts) and the API that hands a signed-in
 * agent its softphone settings compute the same value, so Asterisk and the desk agree
 * without a password list in a page, a config file or Redis. Rotating the secret changes
 * every password at once: regenerate the PJSIP file and reload.
 *
 *   password = base64url(HMAC-SHA256(secret, "<endpoint name>")).slice(0, 24)
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';

/** Shortest secret accepted: a short one would make every password guessable at once. */
export const MIN_SIP_SECRET_LENGTH = 32;
const PASSWORD_LENGTH = 24;

/** A PJSIP endpoint name as the generator writes sections: letters, digits, _ . - */
export const SipEndpointName = z.string().regex(/^[A-Za-z0-9_.-]{1,80}$/, 'an endpoint name of letters, digits, _ . - (at most 80)');

export const IceServerSchema = z
  .object({
    urls: z.union([z.string().regex(/^(stun|turns?):/, 'a stun:, turn: or turns: URL'), z.array(z.string().regex(/^(stun|turns?):/, 'a stun:, turn: or turns: URL')).min(1)]),
    username: z.string().min(1).optional(),
    credential: z.string().min(1).optional(),
  })
  .strict();
export type IceServer = z.infer<typeof IceServerSchema>;

/** Where the softphones register: what the wiring reads from the config beside the secret. */
export const SipSettingsSchema = z
  .object({
    /** The SIP domain of the agents' URIs (`sip:1001@<domain>`): the Asterisk host the browsers reach. */
    domain: z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'a host name or address, maybe with a port'),
    /** Asterisk's WebSocket (http.conf with TLS, path /ws), e.g. wss://pbx.example.gov.cn:8089/ws. */
    wsServer: z.url({ protocol: /^wss?$/ }),
    iceServers: z.array(IceServerSchema).default([]),
  })
  .strict();
export type SipSettings = z.infer<typeof SipSettingsSchema>;

export interface SipCredentials {
  uri: string;
  authorizationUsername: string;
  password: string;
  wsServer: string;
  iceServers: IceServer[];
}

/**
 * The secret asterisk-config/pjsip_agents.conf was generated with, as an example: it is
 * public, so every password derived from it is too. Refused unless asked for by name.
 */
export const EXAMPLE_SIP_SECRET = 'example-only-public-secret-never-deploy-0000';

/** Refuses a missing, short or example AGENT_SIP_SECRET with a message that says what to do. */
export function checkSipSecret(secret: string | undefined, options: { allowExample?: boolean } = {}): string {
  if (!secret || secret.length < MIN_SIP_SECRET_LENGTH) {
    throw new Error(`AGENT_SIP_SECRET must be set to a random string of at least ${MIN_SIP_SECRET_LENGTH} characters (e.g. openssl rand -base64 33)`);
  }
  if (secret === EXAMPLE_SIP_SECRET && !options.allowExample) {
    throw new Error('AGENT_SIP_SECRET is the public example secret: set a random one (e.g. openssl rand -base64 33) and generate pjsip_agents.conf again');
  }
  return secret;
}

export function sipPassword(endpoint: string, secret: string, options: { allowExample?: boolean } = {}): string {
  SipEndpointName.parse(endpoint);
  return createHmac('sha256', checkSipSecret(secret, options)).update(endpoint, 'utf8').digest('base64url').slice(0, PASSWORD_LENGTH);
}

export function sipCredentials(endpoint: string, options: SipSettings & { secret: string }): SipCredentials {
  return {
    uri: `sip:${endpoint}@${options.domain}`,
    authorizationUsername: endpoint,
    password: sipPassword(endpoint, options.secret),
    wsServer: options.wsServer,
    iceServers: options.iceServers,
  };
}

/** The PJSIP endpoint name in an agent's dialable endpoint (`PJSIP/1001` → `1001`); null for other technologies. */
export function pjsipEndpointName(dialable: string): string | null {
  const m = /^PJSIP\/([A-Za-z0-9_.-]{1,80})$/.exec(dialable);
  return m ? m[1]! : null;
}
