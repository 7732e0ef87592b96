/**
 * The users' password hashes: the `scrypt$N$r$p$salt$hash` format, checked strictly; a right
 * password verifies, a wrong one does not; the script's hashes verify with the service's code
 * and it refuses a short password; an unknown user costs a scrypt run like a known one.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createUserDirectory, hashPassword, parsePasswordHash, verifyPassword, type ScryptHash } from '../../src/auth/index.js';

function runScript(stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/hash-password.mjs'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('password hashes', () => {
  it('verifies the right password only', async () => {
    const stored = parsePasswordHash(await hashPassword('correct horse battery', { N: 2 ** 14 })) as ScryptHash;
    expect(stored).toMatchObject({ N: 16384, r: 8, p: 1 });
    expect(stored.salt).toHaveLength(16);
    expect(stored.hash).toHaveLength(32);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('names what is wrong with a malformed hash', () => {
    const salt = Buffer.alloc(16, 1).toString('base64');
    const hash = Buffer.alloc(32, 2).toString('base64');
    expect(parsePasswordHash(`scrypt$16384$8$1$${salt}$${hash}`)).toMatchObject({ N: 16384 });
    expect(parsePasswordHash(`bcrypt$16384$8$1$${salt}$${hash}`)).toBe('not scrypt$N$r$p$salt$hash');
    expect(parsePasswordHash(`scrypt$16384$8$1$${salt}`)).toBe('not scrypt$N$r$p$salt$hash');
    expect(parsePasswordHash(`scrypt$1024$8$1$${salt}$${hash}`)).toMatch(/^N must be a power of two/);
    expect(parsePasswordHash(`scrypt$20000$8$1$${salt}$${hash}`)).toMatch(/^N must be a power of two/);
    expect(parsePasswordHash(`scrypt$16384$0$1$${salt}$${hash}`)).toBe('r must be 1 to 32');
    expect(parsePasswordHash(`scrypt$16384$8$99$${salt}$${hash}`)).toBe('p must be 1 to 16');
    expect(parsePasswordHash(`scrypt$16384$8$1$${Buffer.alloc(8).toString('base64')}$${hash}`)).toBe('the salt must be at least 16 bytes');
    expect(parsePasswordHash(`scrypt$16384$8$1$${salt}$${Buffer.alloc(16).toString('base64')}`)).toBe('the hash must be 32 to 64 bytes');
    expect(parsePasswordHash(`scrypt$16384$8$1$not base64!$${hash}`)).toBe('salt and hash must be base64');
  });

  it('scripts/hash-password.mjs makes hashes the service verifies, and refuses a short password', async () => {
    const made = await runScript('a shift password 12345\n');
    expect(made.code).toBe(0);
    const line = made.stdout.trim();
    expect(line).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    const stored = parsePasswordHash(line) as ScryptHash;
    expect(await verifyPassword('a shift password 12345', stored)).toBe(true);
    expect(await verifyPassword('a shift password 12345\n', stored)).toBe(false);
    // Two runs, two salts.
    expect((await runScript('a shift password 12345')).stdout.trim()).not.toBe(line);

    const short = await runScript('short\n');
    expect(short.code).toBe(1);
    expect(short.stdout).toBe('');
    expect(short.stderr).toContain('at least 8 characters');
  });

  it('checks a user list: right password, wrong password, unknown name all answered by a scrypt run', async () => {
    const users = createUserDirectory([{ name: 'li.na', role: 'supervisor', passwordHash: await hashPassword('correct horse battery', { N: 2 ** 14 }) }]);
    expect(await users.check('li.na', 'correct horse battery')).toEqual({ name: 'li.na', role: 'supervisor' });
    expect(await users.check('li.na', 'wrong')).toBeUndefined();
    expect(await users.check('nobody', 'correct horse battery')).toBeUndefined();
    expect(users.roleOf('li.na')).toBe('supervisor');
    expect(users.roleOf('nobody')).toBeUndefined();
    expect(await createUserDirectory([]).check('li.na', 'x')).toBeUndefined();
  });
});
