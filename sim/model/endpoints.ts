/**
 * Endpoint resolution and what a dialled endpoint does. The PJSIP endpoints are those of
 * the lab's pjsip.conf (agents, the SIPp test peer, the trunk); anything else, or another
 * technology, fails to allocate exactly as Asterisk does (500 `Allocation failed`).
 */
import { extensionExists } from '../dialplan.js';
import type { CallerId } from './types.js';

export type EndpointBehaviour =
  | { kind: 'answer'; afterMs: number }
  | { kind: 'busy'; afterMs: number }
  | { kind: 'no-answer' }
  | { kind: 'unreachable' }
  | { kind: 'congestion'; afterMs: number }
  | { kind: 'ring' };

export interface EndpointRule { pattern: string | RegExp; behaviour: EndpointBehaviour }

export interface PjsipEndpointConfig { callerId: CallerId; context: string }

export const PJSIP_ENDPOINTS: Readonly<Record<string, PjsipEndpointConfig>> = {
  agent1: { callerId: { name: 'Agent One', number: '2001' }, context: 'agents' },
  agent2: { callerId: { name: 'Agent Two', number: '2002' }, context: 'agents' },
  agent3: { callerId: { name: 'Agent Three', number: '2003' }, context: 'agents' },
  sipp: { callerId: { name: 'SIPp', number: '3000' }, context: 'incoming' },
  trunk: { callerId: { name: '', number: '' }, context: 'from-trunk' },
  emergency: { callerId: { name: '', number: '' }, context: 'from-emergency' },
};

export type ResolvedEndpoint =
  | { ok: true; tech: 'Local'; exten: string; context: string; exists: boolean; dialstring: string }
  | { ok: true; tech: 'PJSIP'; endpoint: string; config: PjsipEndpointConfig; dialstring: string; full: string }
  | { ok: false; status: 400 | 500; body: Record<string, string> };

const INVALID = { ok: false, status: 400, body: { message: 'Invalid endpoint specified' } } as const;
const ALLOCATION_FAILED = { ok: false, status: 500, body: { error: 'Allocation failed' } } as const;

/** Parses `Local/exten@context` or `PJSIP/endpoint[/uri]`. */
export function resolveEndpoint(endpoint: string, rules: readonly EndpointRule[]): ResolvedEndpoint {
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
  const name = rest.split('/')[0] ?? '';
  const config = PJSIP_ENDPOINTS[name] ?? (findRule(rules, endpoint) ? { callerId: { name: '', number: '' }, context: 'default' } : undefined);
  if (!config) return ALLOCATION_FAILED;
  return { ok: true, tech: 'PJSIP', endpoint: name, config, dialstring: rest, full: endpoint };
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
