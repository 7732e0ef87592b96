/**
 * Tencent Cloud API 3.0 signature v3 (TC3-HMAC-SHA256), as its documentation gives it:
 *   CanonicalRequest = Method \n URI(/) \n Query("") \n "content-type:…\nhost:…\n" \n "content-type;host" \n hex(SHA256(payload))
 *   StringToSign     = "TC3-HMAC-SHA256" \n Timestamp \n "<UTC date>/<service>/tc3_request" \n hex(SHA256(CanonicalRequest))
 *   SecretDate = HMAC("TC3" + SecretKey, date); SecretService = HMAC(SecretDate, service);
 *   SecretSigning = HMAC(SecretService, "tc3_request"); Signature = hex(HMAC(SecretSigning, StringToSign))
 *   Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<scope>, SignedHeaders=content-type;host, Signature=<sig>
 */
import { createHash, createHmac } from 'node:crypto';

export const TC3_CONTENT_TYPE = 'application/json; charset=utf-8';

export interface Tc3Request {
  host: string;
  service: string;
  payload: string;
  /** Unix seconds. */
  timestamp: number;
}

const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export function tc3CanonicalRequest(req: Tc3Request): string {
  return ['POST', '/', '', `content-type:${TC3_CONTENT_TYPE}\nhost:${req.host}\n`, 'content-type;host', sha256Hex(req.payload)].join('\n');
}

export function tc3StringToSign(req: Tc3Request): string {
  const scope = `${tc3Date(req.timestamp)}/${req.service}/tc3_request`;
  return ['TC3-HMAC-SHA256', String(req.timestamp), scope, sha256Hex(tc3CanonicalRequest(req))].join('\n');
}

export function tc3Signature(req: Tc3Request, secretKey: string): string {
  const secretDate = hmac(`TC3${secretKey}`, tc3Date(req.timestamp));
  const secretService = hmac(secretDate, req.service);
  const secretSigning = hmac(secretService, 'tc3_request');
  return createHmac('sha256', secretSigning).update(tc3StringToSign(req), 'utf8').digest('hex');
}

export function tc3Authorization(req: Tc3Request, secretId: string, secretKey: string): string {
  const scope = `${tc3Date(req.timestamp)}/${req.service}/tc3_request`;
  return `TC3-HMAC-SHA256 Credential=${secretId}/${scope}, SignedHeaders=content-type;host, Signature=${tc3Signature(req, secretKey)}`;
}
