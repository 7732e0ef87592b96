/**
 * Aliyun's SMS API (dysmsapi SendSms) for tests, over real HTTP. It checks every request's
 * signature the documented way with its own implementation (not the adapter's): the
 * parameters sorted, each name and value percent-encoded byte by byte (A–Z a–z 0–9 - _ . ~
 * kept, everything else %XY), StringToSign = GET&%2F&encode(query), Base64 HMAC-SHA1 with
 * the secret and "&". A wrong signature, key, method or a repeated nonce is refused as
 * Aliyun refuses it; numbers can be set to answer with any error code.
 */
import { createHmac } from 'node:crypto';
import { startHttpPeer, type HttpPeer } from './http-peer.js';

export interface AliyunSent {
  phoneNumbers: string;
  signName: string;
  templateCode: string;
  templateParam: Record<string, string>;
  outId: string;
}

export interface AliyunPeer extends HttpPeer {
  readonly sent: AliyunSent[];
  /** Requests refused for their signature. */
  readonly badSignatures: number;
  answerFor(phone: string, code: string): void;
  throttleNext(n: number): void;
  unavailableNext(n: number): void;
}

/** RFC 3986 percent-encoding of UTF-8 bytes, as the signature documentation specifies. */
export function documentedPercentEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function documentedSignature(params: Map<string, string>, secret: string): string {
  const names = [...params.keys()].filter((n) => n !== 'Signature').sort();
  const canonical = names.map((n) => `${documentedPercentEncode(n)}=${documentedPercentEncode(params.get(n)!)}`).join('&');
  const toSign = `GET&${documentedPercentEncode('/')}&${documentedPercentEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(Buffer.from(toSign, 'utf8')).digest('base64');
}

export async function startAliyunPeer(credentials: { accessKeyId: string; accessKeySecret: string }): Promise<AliyunPeer> {
  const sent: AliyunSent[] = [];
  const answers = new Map<string, string>();
  const nonces = new Set<string>();
  let throttle = 0;
  let unavailable = 0;
  let bizId = 1;
  let badSignatures = 0;
  const fail = (status: number, Code: string, Message: string) => ({ status, body: { RequestId: 'req', Code, Message } });

  const http = await startHttpPeer((req) => {
    if (req.method !== 'GET') return fail(400, 'UnsupportedHTTPMethod', 'GET only here');
    const params = new Map<string, string>();
    for (const pair of (req.url.split('?')[1] ?? '').split('&').filter(Boolean)) {
      const [k, v = ''] = pair.split('=');
      params.set(decodeURIComponent(k!), decodeURIComponent(v));
    }
    if (params.get('AccessKeyId') !== credentials.accessKeyId) return fail(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    if (params.get('SignatureMethod') !== 'HMAC-SHA1' || params.get('SignatureVersion') !== '1.0') return fail(400, 'InvalidParameter', 'signature method');
    const timestamp = Date.parse(params.get('Timestamp') ?? '');
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(params.get('Timestamp') ?? '') || Math.abs(Date.now() - timestamp) > 15 * 60_000) return fail(400, 'InvalidTimeStamp.Expired', 'timestamp');
    const nonce = params.get('SignatureNonce') ?? '';
    if (!nonce || nonces.has(nonce)) return fail(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    if (params.get('Signature') !== documentedSignature(params, credentials.accessKeySecret)) {
      badSignatures++;
      return fail(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    }
    nonces.add(nonce);
    if (params.get('Action') !== 'SendSms' || params.get('Version') !== '2017-05-25') return fail(400, 'InvalidAction', 'action');
    if (unavailable > 0) {
      unavailable--;
      return fail(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.');
    }
    if (throttle > 0) {
      throttle--;
      return fail(200, 'isv.BUSINESS_LIMIT_CONTROL', '业务限流');
    }
    const phone = params.get('PhoneNumbers') ?? '';
    const code = answers.get(phone);
    if (code) return fail(200, code, 'refused');
    sent.push({
      phoneNumbers: phone,
      signName: params.get('SignName') ?? '',
      templateCode: params.get('TemplateCode') ?? '',
      templateParam: JSON.parse(params.get('TemplateParam') ?? '{}') as Record<string, string>,
      outId: params.get('OutId') ?? '',
    });
    return { status: 200, body: { RequestId: 'req', Code: 'OK', Message: 'OK', BizId: `biz-${bizId++}` } };
  });

  return {
    ...http,
    sent,
    get badSignatures() {
      return badSignatures;
    },
    answerFor: (phone, code) => void answers.set(phone, code),
    throttleNext: (n) => void (throttle = n),
    unavailableNext: (n) => void (unavailable = n),
  };
}
