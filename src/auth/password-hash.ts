/**
 * Password hashes of the built-in users, in one self-describing string:
 *
 *   scrypt$<N>$<r>$<p>$<salt>$<hash>
 *
 * N (CPU/memory cost, a power of two), r (block size) and p (parallelism) are scrypt's
 * parameters (RFC 7914); salt and hash are base64 (RFC 4648 §4, padding optional), the salt
 * at least 16 bytes, the hash 32 to 64 bytes (its length is the derived key's length).
 * `scripts/hash-password.mjs` makes one with N=2^15, r=8, p=1, a 16-byte salt and a 32-byte
 * hash. Comparison is constant-time (timingSafeEqual); derivation runs off the event loop.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

export const HASH_FORMAT = 'scrypt$N$r$p$salt$hash';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The parsed hash, or the reason the string is not one. */
export function parsePasswordHash(text: string): ScryptHash | string {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return `not ${HASH_FORMAT}`;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  if (!Number.isInteger(N) || N < 2 ** 14 || N > 2 ** 20 || (N & (N - 1)) !== 0) return 'N must be a power of two from 16384 to 1048576';
  if (!Number.isInteger(R) || R < 1 || R > 32) return 'r must be 1 to 32';
  if (!Number.isInteger(P) || P < 1 || P > 16) return 'p must be 1 to 16';
  if (!BASE64.test(salt) || !BASE64.test(hash)) return 'salt and hash must be base64';
  const saltBytes = Buffer.from(salt, 'base64');
  const hashBytes = Buffer.from(hash, 'base64');
  if (saltBytes.length < 16) return 'the salt must be at least 16 bytes';
  if (hashBytes.length < 32 || hashBytes.length > 64) return 'the hash must be 32 to 64 bytes';
  return { N, r: R, p: P, salt: saltBytes, hash: hashBytes };
}

function derive(password: string, salt: Buffer, length: number, options: ScryptOptions & { N: number; r: number }): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; node's default ceiling (32 MiB) is below N=2^18 at r=8.
  const maxmem = 256 * options.N * options.r;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, { ...options, maxmem }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** True when `password` derives to the stored hash; compared in constant time. */
export async function verifyPassword(password: string, stored: ScryptHash): Promise<boolean> {
  const derived = await derive(password, stored.salt, stored.hash.length, { N: stored.N, r: stored.r, p: stored.p });
  return timingSafeEqual(derived, stored.hash);
}

/** A new hash string for `password` (the script and the tests make theirs this way). */
export async function hashPassword(password: string, params: { N?: number; r?: number; p?: number } = {}): Promise<string> {
  const N = params.N ?? 2 ** 15;
  const r = params.r ?? 8;
  const p = params.p ?? 1;
  const salt = randomBytes(16);
  const hash = await derive(password, salt, 32, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64'), hash.toString('base64')].join('$');
}
