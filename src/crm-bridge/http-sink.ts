/**
 * One signed POST of one message to one sink, and what its answer means for the message:
 * delivered (2xx), worth retrying (timeouts, network errors, 408/425/429, 5xx) or rejected
 * for good (any other 4xx: retrying the same bytes cannot help; it goes to the dead letters
 * at once, where someone can look and replay).
 */
import http from 'node:http';
import https from 'node:https';
import { storedErrorText } from './error-text.js';
import { signedHeaders } from './signing.js';
import { jitteredBackoffMs } from '../shared/backoff.js';

export type SendOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; error: string }
  | { kind: 'rejected'; error: string };

const RETRYABLE_4XX = new Set([408, 425, 429]);

export interface HttpSinkOptions {
  url: string;
  secret: string;
  timeoutMs: number;
}

/**
 * A sink's HTTP transport. node:http with a keep-alive agent rather than fetch: at a
 * thousand messages a second fetch's streams and per-request abort signals cost several
 * times the CPU of the whole rest of the delivery path.
 */
export class HttpSink {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly request: typeof http.request;

  constructor(private readonly options: HttpSinkOptions, maxSockets: number) {
    this.url = new URL(options.url);
    const secure = this.url.protocol === 'https:';
    this.agent = secure ? new https.Agent({ keepAlive: true, maxSockets }) : new http.Agent({ keepAlive: true, maxSockets });
    this.request = secure ? https.request : http.request;
  }

  send(eventId: string, body: string, signal: AbortSignal): Promise<SendOutcome> {
    const headers = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...signedHeaders(this.options.secret, eventId, body),
    };
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: SendOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const req = this.request(this.url, { method: 'POST', headers, agent: this.agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        // Reading the body to its end frees the connection for the next message (keep-alive).
        res.on('data', (chunk: Buffer) => chunks.length < 4 && chunks.push(chunk));
        res.on('error', (err) => settle({ kind: 'retry', error: storedErrorText(err.message) }));
        res.on('end', () => settle(classify(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
      });
      const timer = setTimeout(() => {
        settle({ kind: 'retry', error: `no answer within ${this.options.timeoutMs} ms` });
        req.destroy();
      }, this.options.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => settle({ kind: 'retry', error: storedErrorText(err.code ?? err.message) }));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The error text goes to logs and the dead letters: a sink's body may echo the caller's number, so it is masked. */
function classify(status: number, text: string): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  const error = storedErrorText(`HTTP ${status}${text ? `: ${text}` : ''}`);
  if (status >= 500 || RETRYABLE_4XX.has(status)) return { kind: 'retry', error };
  return { kind: 'rejected', error };
}

/** Exponential backoff with jitter in its upper half: attempt 1 waits about `base`, then doubles. */
export const backoffDelay = jitteredBackoffMs;
