/**
 * API_TOKENS: the operator API's bearer tokens for machines and their roles, `name:role:token,…`.
 * `admin` may do everything; other roles only what a route names (src/http/auth.ts).
 * People sign in as people instead (src/auth/): with the centre's identity provider or the
 * built-in user list.
 */
import { z } from 'zod';

/**
 * The roles of the operator API. `agent` is a person at a softphone (the ACD's agent API);
 * people get it from the identity provider or the user list, and no route accepts it yet.
 */
export const ROLES = ['admin', 'supervisor', 'agent'] as const;
export type Role = (typeof ROLES)[number];

/** The roles a machine's token may have: a script never acts as an agent at a seat. */
export const TOKEN_ROLES = ['admin', 'supervisor'] as const satisfies readonly Role[];

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
  .pipe(z.object({ name: z.string(), role: z.enum(TOKEN_ROLES), token: z.string() }));

/** Parses API_TOKENS; zod issues name the entry at fault. */
export const ApiTokensSchema = z
  .string()
  .transform((value) => value.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(TokenEntry));
