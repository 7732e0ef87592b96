/**
 * Endpoint resolution and what a dialled endpoint does. The PJSIP endpoints are those of
 * the lab's pjsip.conf the traces were recorded with (agents, the SIPp test peer, the
 * trunk) and those of the shipped asterisk-config/pjsip.conf (the carrier, agents 1001-1003),
 * each with its language and allowed codecs; anything else, or another technology, fails to
 * allocate exactly as Asterisk does (500 `Allocation failed`).
 */
import { readFileSync } from 'node:fs';
import { extensionExists } from '../dialplan.js';
import { negotiate } from './codecs.js';
import { pjsipEndpoints } from './pjsip-config.js';
import type { CallerId, EndpointBehaviour, EndpointRule, PjsipEndpointConfig } from './types.js';

export type { EndpointBehaviour, EndpointRule, PjsipEndpointConfig };



const lab = (name: string, number: string, context: string, staticContact = true): PjsipEndpointConfig =>
  ({ callerId: { name, number }, context, language: 'en', allow: ['ulaw', 'alaw'], staticContact });

/**
 * The lab's endpoints (no language set, so `en`; SIPp and the lab agents speak PCMU). The
 * agents are reachable only while registered; the others have fixed contacts
 * (`callback-trunk` is the carrier the s16 callbacks go out through).
 */
export const LAB_ENDPOINTS: Readonly<Record<string, PjsipEndpointConfig>> = {
  agent1: lab('Agent One', '2001', 'agents', false),
  agent2: lab('Agent Two', '2002', 'agents', false),
  agent3: lab('Agent Three', '2003', 'agents', false),
  sipp: lab('SIPp', '3000', 'incoming'),
  trunk: lab('', '', 'from-trunk'),
  emergency: lab('', '', 'from-emergency'),
  'callback-trunk': lab('Hotline', '12345', 'incoming'),
};

const SHIPPED_PJSIP_CONF = new URL('../../asterisk-config/pjsip.conf', import.meta.url);

/** The endpoints of a pjsip.conf (the shipped one by default); none if it cannot be read. */
export function endpointsFromConf(path: string | URL = SHIPPED_PJSIP_CONF): Record<string, PjsipEndpointConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  return Object.fromEntries(
    pjsipEndpoints(text).map((e) => [e.name, {
      callerId: e.callerId, context: e.context, language: e.language, allow: e.allow, staticContact: e.staticContact,
    }]),
  );
}

/** For endpoints reached only through a test's behaviour rule: Asterisk's defaults. */
const UNCONFIGURED: PjsipEndpointConfig = { callerId: { name: '', number: '' }, context: 'default', language: 'en', allow: ['ulaw'] };

/** The format a dialled endpoint's channel ends up with once the far end answers. */
export function answeredFormat(config: PjsipEndpointConfig, behaviour: EndpointBehaviour | undefined): string {
  const farEnd = behaviour?.kind === 'answer' ? behaviour.codecs : undefined;
  return negotiate(config.allow, farEnd) ?? config.allow[0] ?? 'ulaw';
}

export type ResolvedEndpoint =
  | { ok: true; tech: 'Local'; exten: string; context: string; exists: boolean; dialstring: string }
  | { ok: true; tech: 'PJSIP'; endpoint: string; config: PjsipEndpointConfig; dialstring: string; full: string }
  | { ok: false; status: 400 | 500; body: Record<string, string> };

const INVALID = { ok: false, status: 400, body: { message: 'Invalid endpoint specified' } } as const;
const ALLOCATION_FAILED = { ok: false, status: 500, body: { error: 'Allocation failed' } } as const;

/**
 * Parses `Local/exten@context`, `PJSIP/endpoint[/uri]` or `PJSIP/number@endpoint`.
 * `hasContact` says whether an endpoint without an explicit URI can be reached now.
 */
export function resolveEndpoint(
  endpoint: string, rules: readonly EndpointRule[], known: ReadonlyMap<string, PjsipEndpointConfig>,
  hasContact: (name: string) => boolean = () => true,
): ResolvedEndpoint {
  const slash = endpoint.indexOf('/');
  if (slash <= 0 || slash === endpoint.length - 1) return INVALID;
  const tech = endpoint.slice(0, slash);
  const rest = endpoint.slice(slash + 1);
  if (tech.toLowerCase() === 'local') {
    const at = rest.indexOf('@');
    const exten = at < 0 ? rest : rest.slice(0, at);
    const context = at < 0 ? 'default' : rest.slice(at + 1).replace(/\/n$/, '');
    if (!exten || !context) return INVALID;
    return { ok: true, tech: 'Local', exten, context, exists: extensionExists(context, exten), dialstring: `${exten}@${context}` };
  }
  if (tech.toUpperCase() !== 'PJSIP') return ALLOCATION_FAILED;
  const [name = '', uri] = rest.split('/');
  const afterAt = name.slice(name.indexOf('@') + 1);
  const endpointName = !known.has(name) && known.has(afterAt) ? afterAt : name;
  const configured = known.get(endpointName);
  const config = configured ?? (findRule(rules, endpoint) ? UNCONFIGURED : undefined);
  if (!config) return ALLOCATION_FAILED;
  // Without a contact (an agent logged out, or never registered) there is nothing to call (s12).
  if (configured && uri === undefined && !hasContact(endpointName)) return ALLOCATION_FAILED;
  return { ok: true, tech: 'PJSIP', endpoint: endpointName, config, dialstring: rest, full: endpoint };
}

export function findRule(rules: readonly EndpointRule[], endpoint: string): EndpointRule | undefined {
  // Later rules win, so a test can override an earlier default.
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i]!;
    const hit = typeof rule.pattern === 'string' ? rule.pattern === endpoint : rule.pattern.test(endpoint);
    if (hit) return rule;
  }
  return undefined;
}

/** A PJSIP endpoint with no rule behaves like one with no registered contact (s5). */
export function behaviourFor(rules: readonly EndpointRule[], endpoint: string): EndpointBehaviour {
  return findRule(rules, endpoint)?.behaviour ?? { kind: 'unreachable' };
}

/** `"Citizen" <1000>`, `Citizen <1000>` or `1000`. */
export function parseCallerId(text: string | undefined): CallerId | undefined {
  if (text === undefined || text === '') return undefined;
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(text);
  if (m) return { name: m[1] ?? '', number: m[2] ?? '' };
  return { name: '', number: text.trim() };
}
