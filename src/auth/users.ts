/**
 * The built-in user list: checks a name and password against the config's scrypt hashes.
 * An unknown name costs the same scrypt run as a known one (against a decoy hash), so the
 * answer's timing does not tell which names exist.
 */
import { randomBytes, scryptSync } from 'node:crypto';
import type { Role } from '../config/api-tokens.js';
import type { UserConfig } from './config-schema.js';
import { parsePasswordHash, verifyPassword, type ScryptHash } from './password-hash.js';

export interface UserDirectory {
  /** The user, when the password is theirs. */
  check(name: string, password: string): Promise<{ name: string; role: Role } | undefined>;
  /** The user's role today, or undefined once they are no longer listed. */
  roleOf(name: string): Role | undefined;
  readonly size: number;
}

export function createUserDirectory(users: readonly UserConfig[]): UserDirectory {
  const byName = new Map(users.map((u) => [u.name, { role: u.role, hash: parsePasswordHash(u.passwordHash) as ScryptHash }]));
  // The decoy has the cost of the first listed hash, so a miss takes as long as a hit.
  const model = byName.values().next().value?.hash;
  const decoy: ScryptHash | undefined = model && { ...model, salt: randomBytes(16), hash: scryptSync(randomBytes(16), randomBytes(16), model.hash.length, { N: 1024, r: 1, p: 1 }) };

  return {
    size: byName.size,
    async check(name, password) {
      const user = byName.get(name);
      const hash = user?.hash ?? decoy;
      if (!hash) return undefined;
      const matches = await verifyPassword(password, hash);
      return user && matches ? { name, role: user.role } : undefined;
    },
    roleOf: (name) => byName.get(name)?.role,
  };
}
