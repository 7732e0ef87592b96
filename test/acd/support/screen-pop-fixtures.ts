/**
 * What the screen pop tests share: a citizen with open tickets and recent contacts in an
 * in-memory ticket backend, the built-in users who sign in, and a sign-in through the API.
 */
import { MemoryTicketClient } from '../../../src/crm-bridge/index.js';
import type { HotlineConfig } from '../../../src/app/config-schema.js';
import { AuthConfigSchema, hashPassword } from '../../../src/auth/index.js';

export const CITIZEN = '13912345678';
export const OPEN_TICKET = { ticketNumber: '2026112000042', state: 'in-progress' as const, handlingUnit: '市住建局', createdAt: '2026-11-20T08:00:00+08:00', category: '城市管理', summary: '小区路灯不亮' };

/** The citizen: one ticket open, one closed, and three contacts in the last days (a repeat caller at the default threshold). */
export function seededTickets(now = Date.now()): MemoryTicketClient {
  const daysAgo = (d: number) => new Date(now - d * 86_400_000).toISOString();
  return new MemoryTicketClient({
    tickets: [
      { ...OPEN_TICKET, callerNumber: CITIZEN },
      { ticketNumber: '2026100100007', state: 'closed', createdAt: '2026-10-01T08:00:00+08:00', callerNumber: CITIZEN },
    ],
    contacts: { [CITIZEN]: [daysAgo(1), daysAgo(3), daysAgo(8)] },
  });
}

export interface TestUser {
  name: string;
  password: string;
  role: 'agent' | 'supervisor';
}

/** The config's auth section with these users; the cheapest hashes it accepts (the tests sign in, they do not measure scrypt). */
export async function usersAuth(users: TestUser[]): Promise<NonNullable<HotlineConfig['auth']>> {
  return AuthConfigSchema.parse({
    users: await Promise.all(users.map(async (u) => ({ name: u.name, role: u.role, passwordHash: await hashPassword(u.password, { N: 2 ** 14 }) }))),
  });
}

/** A built-in user's bearer token (POST /auth/token). */
export async function tokenOf(base: string, user: TestUser): Promise<string> {
  const res = await fetch(`${base}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user.name, password: user.password }) });
  if (res.status !== 200) throw new Error(`sign-in of ${user.name}: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}
