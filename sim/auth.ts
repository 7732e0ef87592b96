/**
 * ARI authentication: HTTP Basic on REST, `api_key=user:pass` on the event WebSocket (and
 * accepted on REST too, as Asterisk does). Compared in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const AUTH_REQUIRED = JSON.stringify({ message: 'Authentication required' });

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function isAuthorised(req: IncomingMessage, query: URLSearchParams, user: string, pass: string): boolean {
  const expected = `${user}:${pass}`;
  const header = req.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    if (same(decoded, expected)) return true;
  }
  const key = query.get('api_key');
  return key !== null && same(key, expected);
}
