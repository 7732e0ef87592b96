/**
 * API_TOKENS: the operator API's bearer tokens and their roles, `name:role:token,…`.
 * `admin` may do everything; other roles only what a route names (src/http/auth.ts).
 */
import { z } from 'zod';

// `agent` and `backend` come back with routes of their own (the ACD's agent API).
export const ROLES = ['admin', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiToken {
  name: string;
  role: Role;
  token: string;
}

const TokenEntry = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+:[a-z]+:[A-Za-z0-9_.~+/=-]{16,}$/, 'each entry is name:role:token, the token at least 16 characters')
  .transform((entry) => {
    const [name, role, token] = entry.split(':') as [string, string, string];
    return { name, role, token };
  })
  .pipe(z.object({ name: z.string(), role: z.enum(ROLES), token: z.string() }));

/** Parses API_TOKENS; zod issues name the entry at fault. */
export const ApiTokensSchema = z
  .string()
  .transform((value) => value.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(TokenEntry));
