/**
 * The SMS gateway over Tencent Cloud's SMS API (SendSms, Version 2021-01-11), signed with
 * TC3-HMAC-SHA256 (signature.ts), sending the purpose's template with its parameters in order.
 *
 *   SendStatusSet[0].Code "Ok"                       → submitted; SerialNo is the message id
 *   RequestLimitExceeded, LimitExceeded.AppDailyLimit?… → transient, throttled
 *   InternalError.*, 5xx, network, timeout           → transient
 *   LimitExceeded.PhoneNumberDailyLimit and others   → permanent (today's limit for the
 *     number is the operator's: retrying within the day fails the same way)
 *   InvalidParameterValue.IncorrectPhoneNumber, FailedOperation.*, AuthFailure.* → permanent
 * Delivery status and reply callbacks come to our webhook (push/tencent-push.ts).
 */
import type { SmsConfig } from '../config-schema.js';
import type { OutgoingSms, SubmitResult } from '../ports/sms-gateway.js';
import { HttpSmsGateway, failureOf, postOrGet } from '../http-call.js';
import { tencentPush } from '../push/tencent-push.js';
import { TC3_CONTENT_TYPE, tc3Authorization } from './signature.js';

export type TencentGatewayConfig = Extract<SmsConfig['gateway'], { kind: 'tencent' }>;

const THROTTLED = /^(RequestLimitExceeded(\..*)?|LimitExceeded\.DeliveryFrequencyLimit)$/;
const TRANSIENT = /^(InternalError(\..*)?|ResourceUnavailable(\..*)?)$/;

interface SendSmsResponse {
  Response?: {
    Error?: { Code?: string; Message?: string };
    SendStatusSet?: Array<{ SerialNo?: string; Code?: string; Message?: string }>;
    RequestId?: string;
  };
}

export class TencentSmsGateway extends HttpSmsGateway {
  readonly name = 'tencent';

  constructor(
    private readonly config: TencentGatewayConfig,
    private readonly credentials: { secretId: string; secretKey: string },
  ) {
    super();
  }

  protected readonly pushes = tencentPush;

  async submit(message: OutgoingSms): Promise<SubmitResult> {
    const template = this.config.templates[message.purpose];
    if (!template) return { ok: false, failure: { kind: 'permanent', code: 'no-template', detail: `sms.gateway.templates has no ${message.purpose} template` } };
    const payload = JSON.stringify({
      PhoneNumberSet: [message.to.startsWith('+') ? message.to : `+86${message.to}`],
      SmsSdkAppId: this.config.smsSdkAppId,
      SignName: this.config.signName,
      TemplateId: template.id,
      TemplateParamSet: template.params.map((name) => message.params[name] ?? ''),
      SessionContext: message.reference,
    });
    const url = new URL(this.config.endpoint);
    const timestamp = Math.floor(Date.now() / 1000);
    const answer = await postOrGet(url.toString(), {
      method: 'POST',
      timeoutMs: this.config.timeoutMs,
      body: payload,
      headers: {
        Authorization: tc3Authorization({ host: url.host, service: 'sms', payload, timestamp }, this.credentials.secretId, this.credentials.secretKey),
        'Content-Type': TC3_CONTENT_TYPE,
        Host: url.host,
        'X-TC-Action': 'SendSms',
        'X-TC-Timestamp': String(timestamp),
        'X-TC-Version': '2021-01-11',
        'X-TC-Region': this.config.region,
      },
    });
    if (!answer.ok) return { ok: false, failure: answer.failure };
    const response = (answer.json as SendSmsResponse).Response ?? {};
    const status = response.SendStatusSet?.[0];
    if (!response.Error && status?.Code === 'Ok' && status.SerialNo) return { ok: true, messageIds: [status.SerialNo] };
    const code = response.Error?.Code ?? status?.Code ?? `http-${answer.status}`;
    return { ok: false, failure: failureOf(code, response.Error?.Message ?? status?.Message ?? 'no message', answer.status, { throttled: THROTTLED, other: TRANSIENT }) };
  }
}
