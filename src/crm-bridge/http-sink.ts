/**
 * One signed POST of one message to one sink, and what its answer means for the message:
 * delivered (2xx), worth retrying (timeouts, network errors, 408/425/429, 5xx) or rejected
 * for good (any other 4xx: retrying the same bytes cannot help; it goes to the dead letters
 * at once, where someone can look and replay).
 */
import { storedErrorText } from './error-text.js';
import { PipelinedHttp, type HttpRequestError } from './pipelined-http.js';
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
  /** Requests in flight at most (the sink's `concurrency`). */
  concurrency: number;
  /** Requests in flight on one connection at most (the sink's `pipelining`). */
  pipelining: number;
}

/**
 * A sink's HTTP transport: keep-alive connections, pipelined when the sink allows it
 * (pipelined-http.ts says why not node:http or fetch).
 */
export class HttpSink {
  private readonly client: PipelinedHttp;
  /** The abort signal whose abort already fails every request (one listener, not one per request). */
  private watched: AbortSignal | null = null;

  constructor(private readonly options: HttpSinkOptions) {
    this.client = new PipelinedHttp({
      url: options.url,
      depth: options.pipelining,
      connections: Math.ceil(options.concurrency / options.pipelining),
      timeoutMs: options.timeoutMs,
    });
  }

  async send(eventId: string, body: string, signal: AbortSignal): Promise<SendOutcome> {
    if (signal.aborted) return { kind: 'retry', error: 'aborted' };
    if (signal !== this.watched) {
      this.watched = signal;
      signal.addEventListener('abort', () => this.client.abortAll(), { once: true });
    }
    try {
      const answer = await this.client.post(signedHeaders(this.options.secret, eventId, body), body);
      return classify(answer.status, answer.text);
    } catch (err) {
      const failure = err as HttpRequestError;
      // A header that cannot be sent (a line break in the event id) is final; the rest may pass next time.
      if (failure.code === 'unsendable') return { kind: 'rejected', error: storedErrorText(failure.message) };
      return { kind: 'retry', error: storedErrorText(failure.message) };
    }
  }

  close(): void {
    this.client.close();
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
