/**
 * The SMS gateway over Aliyun's SMS API (dysmsapi, Version 2017-05-25, Action SendSms):
 * a signed RPC GET (signature.ts) sending the purpose's template with its parameters.
 *
 *   Code "OK"                                → submitted; BizId is the message id
 *   isv.BUSINESS_LIMIT_CONTROL, Throttling.* → transient, throttled (the sender backs off)
 *   ServiceUnavailable, InternalError, 5xx, network, timeout → transient
 *   any other code (isv.MOBILE_NUMBER_ILLEGAL, isv.SMS_TEMPLATE_ILLEGAL, …) → permanent
 * Delivery reports (SmsReport) and citizens' texts (SmsUp) come by Aliyun's HTTP push (push/aliyun-push.ts).
 */
import { randomUUID } from 'node:crypto';
import type { SmsConfig } from '../config-schema.js';
import type { OutgoingSms, SmsFailure, SubmitResult } from '../ports/sms-gateway.js';
import { HttpSmsGateway, failureOf, postOrGet } from '../http-call.js';
import { aliyunPush } from '../push/aliyun-push.js';
import { percentEncode, rpcSignature } from './signature.js';

export type AliyunGatewayConfig = Extract<SmsConfig['gateway'], { kind: 'aliyun' }>;

const THROTTLED = /^(isv\.BUSINESS_LIMIT_CONTROL|Throttling(\..*)?)$/;
const TRANSIENT = /^(ServiceUnavailable|InternalError|isp\.SYSTEM_ERROR|isp\.RAM_PERMISSION_DENY_TEMPORARY)$/;

export class AliyunSmsGateway extends HttpSmsGateway {
  readonly name = 'aliyun';

  constructor(
    private readonly config: AliyunGatewayConfig,
    private readonly credentials: { accessKeyId: string; accessKeySecret: string },
  ) {
    super();
  }

  protected readonly pushes = aliyunPush;

  /** The full request parameters, Signature included. */
  signedParams(message: OutgoingSms, nonce = randomUUID()): Record<string, string> | SmsFailure {
    const template = this.config.templates[message.purpose];
    if (!template) return { kind: 'permanent', code: 'no-template', detail: `sms.gateway.templates has no ${message.purpose} template` };
    const templateParam = Object.fromEntries(template.params.map((name) => [name, message.params[name] ?? '']));
    const params: Record<string, string> = {
      AccessKeyId: this.credentials.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      OutId: message.reference.slice(0, 256),
      PhoneNumbers: message.to.replace(/^\+86/, ''),
      RegionId: this.config.regionId,
      SignName: this.config.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: nonce,
      SignatureVersion: '1.0',
      TemplateCode: template.id,
      TemplateParam: JSON.stringify(templateParam),
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    };
    return { ...params, Signature: rpcSignature('GET', params, this.credentials.accessKeySecret) };
  }

  async submit(message: OutgoingSms): Promise<SubmitResult> {
    const params = this.signedParams(message);
    if ('kind' in params) return { ok: false, failure: params as SmsFailure };
    const query = Object.entries(params)
      .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
      .join('&');
    const answer = await postOrGet(`${this.config.endpoint.replace(/\/?$/, '/')}?${query}`, { method: 'GET', timeoutMs: this.config.timeoutMs });
    if (!answer.ok) return { ok: false, failure: answer.failure };
    const body = answer.json as { Code?: string; Message?: string; BizId?: string };
    if (body.Code === 'OK' && body.BizId) return { ok: true, messageIds: [body.BizId] };
    return { ok: false, failure: failureOf(body.Code ?? `http-${answer.status}`, body.Message ?? 'no message', answer.status, { throttled: THROTTLED, other: TRANSIENT }) };
  }
}
