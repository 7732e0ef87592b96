/**
 * Keeps the ARI password out of logs and error messages.
 *
 * ari-client puts the credentials in the event WebSocket's URL (`api_key=user:pass`), and
 * errors from ws or from a malformed URL may quote that URL. Every text the adapter logs or
 * puts into an AriError passes through `scrub` first.
 */
export interface Secrets {
  password: string;
}

const API_KEY = /api_key=[^&\s"']*/g;
// user:pass@host in any URL
const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@"']*@/gi;

export function scrub(text: string, secrets: Secrets): string {
  let out = text.replace(API_KEY, 'api_key=***').replace(USERINFO, '$1***@');
  const { password } = secrets;
  if (password.length > 0) {
    for (const form of new Set([password, encodeURIComponent(password)])) {
      out = out.split(form).join('***');
    }
  }
  return out;
}

/** A log-safe description of anything thrown: message and code, scrubbed; never the raw object. */
export function describeError(error: unknown, secrets: Secrets): { message: string; code?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      message: scrub(error.message, secrets),
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  if (typeof error === 'string') return { message: scrub(error, secrets) };
  let text: string;
  try {
    text = JSON.stringify(error) ?? String(error);
  } catch {
    text = String(error);
  }
  return { message: scrub(text, secrets) };
}

/** The base URL without any user info, for log lines. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return '<invalid url>';
  }
}
