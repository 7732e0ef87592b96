/**
 * Alibaba Cloud's RPC request signature (SignatureMethod HMAC-SHA1, SignatureVersion 1.0),
 * as its documentation gives it:
 *   1. every parameter but Signature, sorted by name, each name and value percent-encoded
 *      (RFC 3986: A–Z a–z 0–9 - _ . ~ stay, space is %20, UTF-8 bytes as %XY) and joined
 *      `name=value` with `&`: the canonicalized query string;
 *   2. StringToSign = HTTPMethod + "&" + percentEncode("/") + "&" + percentEncode(canonicalized);
 *   3. Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)).
 */
import { createHmac } from 'node:crypto';

/** encodeURIComponent leaves ! ' ( ) * alone; the documented encoding does not. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function canonicalizedQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');
}

export function stringToSign(method: 'GET' | 'POST', params: Record<string, string>): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalizedQuery(params))}`;
}

export function rpcSignature(method: 'GET' | 'POST', params: Record<string, string>, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign(method, params), 'utf8').digest('base64');
}
