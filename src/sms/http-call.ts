/**
 * One HTTP call of a cloud SMS API, its transport failures told as transient: no answer in
 * time, the network, a 5xx or 429 without a body to read. A body that is JSON is handed back
 * whatever the status, since these APIs put their error codes in it.
 */
import type { SmsFailure } from './ports/sms-gateway.js';

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
