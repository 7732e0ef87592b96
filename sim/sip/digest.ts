/**
 * Digest authentication as res_pjsip does it: `realm="asterisk"`, MD5, qop=auth, a nonce
 * that carries its own timestamp and signature (so nothing is stored per challenge) and is
 * good for 32 s, Asterisk's default nonce lifetime.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const REALM = 'asterisk';
const NONCE_LIFETIME_MS = 32_000;

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

export class DigestAuth {
  private readonly key = randomBytes(32);

  challenge(stale = false): string {
    const ts = String(Date.now());
    const nonce = `${ts}/${this.sign(ts)}`;
    return `Digest realm="${REALM}",nonce="${nonce}",opaque="${randomBytes(8).toString('hex')}",algorithm=MD5,qop="auth"${stale ? ',stale=true' : ''}`;
  }

  /**
   * The user an Authorization header proves to be, given how to look up passwords; `stale`
   * for a well-formed answer to an expired nonce (the client retries), null otherwise.
   */
  verify(method: string, value: string, password: (user: string) => string | undefined): { user: string } | 'stale' | null {
    const p = parseParams(value);
    if (!p || (p.algorithm ?? 'MD5').toUpperCase() !== 'MD5') return null;
    const { username, realm, nonce, uri, response, qop, nc, cnonce } = p;
    if (!username || realm !== REALM || !nonce || !uri || !response) return null;
    const [ts = '', sig = ''] = nonce.split('/');
    if (!safeEqual(sig, this.sign(ts))) return null;
    const pw = password(username);
    if (pw === undefined) return null;
    const ha1 = md5(`${username}:${REALM}:${pw}`);
    const ha2 = md5(`${method}:${uri}`);
    const expected = qop === 'auth' ? md5(`${ha1}:${nonce}:${nc ?? ''}:${cnonce ?? ''}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
    if (!safeEqual(response.toLowerCase(), expected)) return null;
    if (Date.now() - Number(ts) > NONCE_LIFETIME_MS) return 'stale';
    return { user: username };
  }

  private sign(ts: string): string {
    return createHmac('sha256', this.key).update(ts).digest('hex').slice(0, 32);
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `Digest k="v", k2=v2` → record; null when it is not a Digest header. */
function parseParams(value: string): Record<string, string> | null {
  const m = /^\s*Digest\s+(.{1,4096})$/i.exec(value);
  if (!m) return null;
  const out: Record<string, string> = {};
  const re = /([a-zA-Z-]{1,32})\s*=\s*(?:"((?:[^"\\]|\\.){0,1024})"|([^\s,"]{0,1024}))/g;
  for (let hit = re.exec(m[1]!); hit; hit = re.exec(m[1]!)) out[hit[1]!.toLowerCase()] = hit[2] ?? hit[3] ?? '';
  return out;
}
