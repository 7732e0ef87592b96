/**
 * `webCall`: where the citizens' web-call page (/app/webcall.html) calls 12345, handed to
 * the page by the public GET /webcall/settings.
 *
 * The password is not a secret, and the route gives it to anyone who opens the page: the
 * web callers' endpoint (asterisk-config/pjsip.conf [webcall]) reaches nothing but 12345's
 * menu (context `from-web`), never an agent, a trunk or 110, and never registers. A
 * low-privilege shared password only keeps casual SIP scanners off the endpoint; set the
 * same value in pjsip.conf's [webcall] auth section.
 */
import { z } from 'zod';
import { IceServerSchema, SipEndpointName } from '../acd/sip-credentials.js';

export const WebCallConfigSchema = z
  .object({
    /** false: the page says web calling is not available (the settings stay for later). */
    enabled: z.boolean().default(true),
    /** Asterisk's WebSocket (http.conf with TLS, path /ws), e.g. wss://pbx.example.gov.cn:8089/ws. */
    wsServer: z.url({ protocol: /^wss?$/ }),
    /** What the page calls: the hotline on Asterisk, e.g. sip:12345@pbx.example.gov.cn. */
    target: z.string().regex(/^sips?:[A-Za-z0-9_.+*#-]+@[A-Za-z0-9.-]+(:\d{1,5})?$/, 'a SIP URI such as sip:12345@pbx.example.gov.cn'),
    /** The web callers' endpoint (pjsip.conf [webcall]). */
    user: SipEndpointName.default('webcall'),
    /** The endpoint's password, public by nature (see above): pjsip.conf [webcall] auth. */
    password: z.string().min(8).max(128),
    /** None by default: a closed network has no public STUN server, and Asterisk on a reachable address needs none. */
    iceServers: z.array(IceServerSchema).default([]),
  })
  .strict();
export type WebCallConfig = z.infer<typeof WebCallConfigSchema>;

/** What GET /webcall/settings answers: the page's SIP settings, or that web calling is off. */
export type WebCallSettings =
  | { enabled: false }
  | { enabled: true; wsServer: string; target: string; uri: string; authorizationUsername: string; password: string; iceServers: WebCallConfig['iceServers'] };

/** The page's settings from the config (absent or disabled: off); the caller's URI is on the target's host. */
export function webCallSettings(config: WebCallConfig | undefined): WebCallSettings {
  if (!config?.enabled) return { enabled: false };
  const host = config.target.slice(config.target.indexOf('@') + 1);
  return { enabled: true, wsServer: config.wsServer, target: config.target, uri: `sip:${config.user}@${host}`, authorizationUsername: config.user, password: config.password, iceServers: config.iceServers };
}
