// Makes a password hash for the hotline config's `auth.users` list:
//   node scripts/hash-password.mjs            asks for the password (not echoed)
//   printf '%s' "$PW" | node scripts/hash-password.mjs
// prints `scrypt$32768$8$1$<salt>$<hash>` (format: src/auth/password-hash.ts). The password
// is read from the terminal or stdin, never from the command line (shell history, ps).
import { randomBytes, scryptSync } from 'node:crypto';

const COST = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

async function readPassword() {
  const input = process.stdin;
  if (!input.isTTY) {
    let text = '';
    for await (const chunk of input) text += chunk;
    return text.replace(/\r?\n$/, '');
  }
  process.stderr.write('password: ');
  input.setRawMode(true);
  let typed = '';
  for await (const chunk of input) {
    for (const ch of chunk.toString('utf8')) {
      if (ch === '\u0003') process.exit(130); // Ctrl-C
      if (ch === '\r' || ch === '\n') {
        input.setRawMode(false);
        process.stderr.write('\n');
        return typed;
      }
      typed = ch === '\u007f' ? typed.slice(0, -1) : typed + ch;
    }
  }
  return typed;
}

const password = await readPassword();
if (password.length < 8) {
  process.stderr.write('refused: a password needs at least 8 characters\n');
  process.exit(1);
}
const salt = randomBytes(16);
const derived = scryptSync(password.normalize('NFC'), salt, 32, COST);
process.stdout.write(`scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64')}$${derived.toString('base64')}\n`);
process.exit(0);
