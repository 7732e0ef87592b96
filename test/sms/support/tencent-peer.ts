/**
 * Tencent Cloud's SMS API (SendSms, 2021-01-11) for tests, over real HTTP. It checks every
 * request's TC3-HMAC-SHA256 signature the documented way with its own implementation, from
 * the headers and body it actually received: canonical request, credential scope
 * <date>/sms/tc3_request, the derived signing key. Refusals come back as Tencent sends them:
 * request errors in Response.Error, per-number errors in SendStatusSet[].Code.
 */
import { createHash, createHmac } from 'node:crypto';
import { startHttpPeer, type HttpPeer } from './http-peer.js';

export interface TencentSent {
  phone: string;
  templateId: string;
  params: string[];
  signName: string;
  sessionContext: string;
}

export interface TencentPeer extends HttpPeer {
  readonly sent: TencentSent[];
  readonly badSignatures: number;
  /** Per-number status code (InvalidParameterValue.IncorrectPhoneNumber, LimitExceeded.PhoneNumberDailyLimit …). */
  answerFor(phone: string, code: string): void;
  /** Request-level error for the next n requests (RequestLimitExceeded, InternalError …). */
  errorNext(n: number, code: string): void;
}

export function documentedTc3(secretKey: string, date: string, service: string, stringToSign: string): string {
  let key: Buffer = Buffer.from(`TC3${secretKey}`, 'utf8');
  for (const part of [date, service, 'tc3_request']) key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

export async function startTencentPeer(credentials: { secretId: string; secretKey: string }): Promise<TencentPeer> {
  const sent: TencentSent[] = [];
  const answers = new Map<string, string>();
  let requestError: { n: number; code: string } = { n: 0, code: '' };
  let serial = 1;
  let badSignatures = 0;
  const error = (Code: string, Message: string) => ({ status: 200, body: { Response: { Error: { Code, Message }, RequestId: 'req' } } });

  const http = await startHttpPeer((req) => {
    const h = (name: string) => String(req.headers[name] ?? '');
    if (req.method !== 'POST') return error('UnsupportedOperation', 'POST only here');
    if (h('x-tc-action') !== 'SendSms' || h('x-tc-version') !== '2021-01-11' || !h('x-tc-region')) return error('InvalidAction', 'action, version and region');
    const timestamp = Number(h('x-tc-timestamp'));
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return error('AuthFailure.SignatureExpire', 'Signature expired');
    const auth = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d\d-\d\d)\/sms\/tc3_request, SignedHeaders=content-type;host, Signature=([0-9a-f]{64})$/.exec(h('authorization'));
    if (!auth) return error('AuthFailure.InvalidAuthorization', 'Authorization malformed');
    const [, secretId, date, signature] = auth;
    if (secretId !== credentials.secretId) return error('AuthFailure.SecretIdNotFound', 'SecretId not found');
    if (date !== new Date(timestamp * 1000).toISOString().slice(0, 10)) return error('AuthFailure.SignatureFailure', 'credential date is not the timestamp date');
    const hashedPayload = createHash('sha256').update(req.body).digest('hex');
    const canonical = `POST\n/\n\ncontent-type:${h('content-type')}\nhost:${h('host')}\n\ncontent-type;host\n${hashedPayload}`;
    const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/sms/tc3_request\n${createHash('sha256').update(canonical).digest('hex')}`;
    if (signature !== documentedTc3(credentials.secretKey, date!, 'sms', stringToSign)) {
      badSignatures++;
      return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
    }
    if (requestError.n > 0) {
      requestError.n--;
      return error(requestError.code, 'request refused');
    }
    const body = JSON.parse(req.body) as { PhoneNumberSet: string[]; TemplateId: string; TemplateParamSet: string[]; SignName: string; SessionContext: string };
    const set = body.PhoneNumberSet.map((phone) => {
      const code = answers.get(phone);
      if (code) return { SerialNo: '', PhoneNumber: phone, Fee: 0, SessionContext: body.SessionContext, Code: code, Message: 'refused', IsoCode: 'CN' };
      sent.push({ phone, templateId: body.TemplateId, params: body.TemplateParamSet, signName: body.SignName, sessionContext: body.SessionContext });
      return { SerialNo: `serial-${serial++}`, PhoneNumber: phone, Fee: 1, SessionContext: body.SessionContext, Code: 'Ok', Message: 'send success', IsoCode: 'CN' };
    });
    return { status: 200, body: { Response: { SendStatusSet: set, RequestId: 'req' } } };
  });

  return {
    ...http,
    sent,
    get badSignatures() {
      return badSignatures;
    },
    answerFor: (phone, code) => void answers.set(phone, code),
    errorNext: (n, code) => void (requestError = { n, code }),
  };
}
