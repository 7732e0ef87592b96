/**
 * The one place a failed ARI call becomes a typed AriError.
 *
 * ari-client 2.2.0 rejects with `new Error(<raw response body>)` and drops the status code.
 * The adapter recovers the status from swagger-client's error callback (see rest-call.ts)
 * and passes it here; the status decides. Only when it is missing (a request that never
 * reached Asterisk, or swagger-client refusing the parameters before sending) does the
 * message text decide, using the bodies Asterisk 22 answers with (see the traces in
 * test/ari/fixtures/).
 */
import { AriError, type AriErrorCode } from './errors.js';

export interface RawFailure {
  /** HTTP status when the response reached swagger-client. */
  status?: number;
  /** Whatever ari-client rejected with, or threw. */
  error: unknown;
}

export function codeForStatus(status: number): AriErrorCode {
  if (status === 400) return 'ari:bad-request';
  if (status === 401 || status === 403) return 'ari:unauthorized';
  if (status === 404) return 'ari:not-found';
  if (status === 409) return 'ari:conflict';
  if (status === 422) return 'ari:unprocessable';
  // 503: Asterisk is up but a module (res_stasis…) is not: as good as not there.
  if (status === 503) return 'ari:unavailable';
  if (status >= 500) return 'ari:server-error';
  return 'ari:unknown';
}

// Checked in order; the first pattern that matches the body's message wins.
const MESSAGE_CODES: ReadonlyArray<readonly [RegExp, AriErrorCode]> = [
  [/not found/i, 'ari:not-found'],
  [/authentication required|unauthori[sz]ed|forbidden/i, 'ari:unauthorized'],
  [/already exists|not in stasis|already been claimed|not in session|while media is playing|in use|not in (a |this )?bridge/i, 'ari:conflict'],
  [/does not match|unprocessable/i, 'ari:unprocessable'],
  [/allocation failed|internal server error|failed to|unable to/i, 'ari:server-error'],
  [/invalid|must be specified|is required|required (path|query) param|bad request|missing/i, 'ari:bad-request'],
];

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE']);

/** The text of what was thrown: an Error's message, a string, or swagger's array of strings. */
export function failureText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (Array.isArray(error)) return error.map(String).join('; ');
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** `{"message":"Channel not found"}` → `Channel not found`; `{"error":"Allocation failed"}` too. */
export function bodyMessage(text: string): string {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null) {
      const { message, error } = body as { message?: unknown; error?: unknown };
      if (typeof message === 'string') return message;
      if (typeof error === 'string') return error;
    }
  } catch {
    // not JSON: the text is the message
  }
  return text;
}

/** `scrub` cleans the message before it is kept (errors may quote a URL with credentials). */
export function toAriError(operation: string, failure: RawFailure, scrub: (text: string) => string = (t) => t): AriError {
  const { error, status } = failure;
  if (error instanceof AriError) return error;
  const message = scrub(bodyMessage(failureText(error))) || 'no response body';
  if (status !== undefined && status > 0) {
    return new AriError(codeForStatus(status), message, operation, status);
  }
  const errno = (error as { code?: unknown } | null)?.code;
  if (typeof errno === 'string' && UNAVAILABLE_CODES.has(errno)) {
    return new AriError('ari:unavailable', message, operation);
  }
  for (const [pattern, code] of MESSAGE_CODES) {
    if (pattern.test(message)) return new AriError(code, message, operation);
  }
  return new AriError('ari:unknown', message, operation);
}
