/**
 * One HTTP call of a cloud SMS API, its transport failures told as transient: no answer in
 * time, the network, a 5xx or 429 without a body to read. A body that is JSON is handed back
 * whatever the status, since these APIs put their error codes in it.
 */
import type { DeliveryReceipt, GatewayHandler, InboundSms, OutgoingSms, SmsFailure, SmsGateway, SubmitResult } from './ports/sms-gateway.js';
import type { PushAnswer, PushKind, PushParse } from './push/push.js';

export type HttpAnswer = { ok: true; status: number; json: unknown } | { ok: false; failure: SmsFailure };

export async function postOrGet(url: string, init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; timeoutMs: number }): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetch(url, { method: init.method, headers: init.headers, body: init.body, signal: AbortSignal.timeout(init.timeoutMs) });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { ok: false, failure: { kind: 'transient', code: timedOut ? 'timeout' : 'network', detail: err instanceof Error ? err.message : String(err) } };
  }
  const text = await response.text().catch(() => '');
  try {
    return { ok: true, status: response.status, json: JSON.parse(text) as unknown };
  } catch {
    const kind = response.status >= 500 || response.status === 429 ? 'transient' : 'permanent';
    return { ok: false, failure: { kind, code: `http-${response.status}`, detail: 'the gateway answered without JSON', throttled: response.status === 429 } };
  }
}

/** How a cloud API's error code reads: throttled and transient codes by pattern, the rest permanent. */
export function failureOf(code: string, detail: string, httpStatus: number, transient: { throttled: RegExp; other: RegExp }): SmsFailure {
  if (transient.throttled.test(code)) return { kind: 'transient', code, detail, throttled: true };
  if (transient.other.test(code) || httpStatus >= 500) return { kind: 'transient', code, detail };
  return { kind: 'permanent', code, detail };
}

/**
 * A gateway that is one signed HTTP call per text: nothing to start or stop, always ready.
 * Its delivery reports and citizens' texts arrive as the provider's pushes to our webhook
 * (`push`): each is handed to the handlers before the provider is answered, and a handler
 * that throws makes the answer ask for the push again.
 */
export abstract class HttpSmsGateway implements SmsGateway {
  abstract readonly name: string;
  protected abstract readonly pushes: PushParse;
  private receiptHandler: GatewayHandler<DeliveryReceipt> = async () => undefined;
  private inboundHandler: GatewayHandler<InboundSms> = async () => undefined;

  abstract submit(message: OutgoingSms): Promise<SubmitResult>;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  onReceipt(handler: GatewayHandler<DeliveryReceipt>): void {
    this.receiptHandler = handler;
  }
  onInbound(handler: GatewayHandler<InboundSms>): void {
    this.inboundHandler = handler;
  }
  unreadiness(): string | null {
    return null;
  }

  /** A push from the provider; null when its body is not what the provider sends. */
  async push(kind: PushKind, body: unknown): Promise<PushAnswer | null> {
    const items = kind === 'report' ? this.pushes.report(body) : this.pushes.reply(body);
    if (!items) return null;
    try {
      if (kind === 'report') for (const r of items as DeliveryReceipt[]) await this.receiptHandler(r);
      else for (const m of items as InboundSms[]) await this.inboundHandler(m);
      return this.pushes.answer(true);
    } catch {
      return this.pushes.answer(false);
    }
  }
}
