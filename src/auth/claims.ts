/**
 * Who an identity provider's token names: the person's id and the service's role, read from
 * the claims the config points at. Pure: claims in, a person or the reason there is none out.
 */
import type { Role } from '../config/api-tokens.js';
import type { IdentityProviderConfig } from './config-schema.js';

export interface SignedInPerson {
  name: string;
  role: Role;
}

/** Widest first: a person who is both a supervisor and an agent acts as a supervisor. */
const ROLE_ORDER: readonly Role[] = ['admin', 'supervisor', 'agent'];

/** The value at a dotted path (`realm_access.roles`), or undefined. */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export type ClaimsVerdict = { ok: true; person: SignedInPerson } | { ok: false; kind: 'no-id' | 'no-role'; reason: string; name?: string };

export function personFromClaims(claims: Record<string, unknown>, idp: Pick<IdentityProviderConfig, 'claims' | 'roles'>): ClaimsVerdict {
  const id = claimAt(claims, idp.claims.id);
  if (typeof id !== 'string' || id.length === 0 || id.length > 200) {
    return { ok: false, kind: 'no-id', reason: `the token has no ${idp.claims.id} claim naming the person` };
  }
  const raw = claimAt(claims, idp.claims.role);
  const values = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
  const role = ROLE_ORDER.find((r) => idp.roles[r].some((value) => values.includes(value)));
  if (!role) return { ok: false, kind: 'no-role', reason: `the token's ${idp.claims.role} claim names no role of this service`, name: id };
  return { ok: true, person: { name: id, role } };
}
