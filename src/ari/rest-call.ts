/**
 * Every ARI REST call goes through `RestCaller.call`: it settles within the request timeout
 * and fails only with an AriError.
 *
 * Two faults of ari-client 2.2.0 are handled here:
 * - A request made while Asterisk is down never settles (swagger-client's HTTP layer drops
 *   connection errors). The call is raced with a timer and rejects with `ari:timeout`.
 * - A failed request rejects with `new Error(<body>)`, the status code thrown away. But the
 *   status does reach swagger-client's error callback (`{ status, data, ... }`), which
 *   ari-client passes as the third argument of `client._swagger.apis[res][op](args, ok, err)`,
 *   synchronously inside the promise it returns. `instrumentStatusCapture` wraps those
 *   functions once per client so the callback first writes the status into the "sink" that
 *   `call` installed around its synchronous invocation of the ari-client operation.
 * - ari-client parses a success body inside swagger's callback; if that throws (a body that
 *   is not JSON), the same wrapper fails the call at once instead of leaving it pending.
 */
import type { AriClient, SwaggerOperationFn } from 'ari-client';
import { toAriError } from './error-mapping.js';
import { AriError } from './errors.js';

interface StatusSink {
  status?: number;
  /** Fails the call at once when ari-client throws while handling a success (see below). */
  fail?: (error: unknown) => void;
}

/** The sink of the ari-client call being made right now (calls are started synchronously). */
let activeSink: StatusSink | undefined;

const INSTRUMENTED = Symbol('hotline.statusCapture');

export function instrumentStatusCapture(client: AriClient): void {
  const apis = client._swagger.apis;
  for (const resource of Object.values(apis)) {
    for (const name of Object.keys(resource.operations ?? {})) {
      const original = resource[name];
      if (typeof original !== 'function' || (original as { [INSTRUMENTED]?: true })[INSTRUMENTED]) continue;
      const operation = original as SwaggerOperationFn;
      const wrapped: SwaggerOperationFn = function (this: unknown, args, onSuccess, onError) {
        const sink = activeSink;
        // ari-client's success handler JSON.parses the body; a body that is not JSON would
        // throw from inside an HTTP response handler and leave the call pending forever.
        const guardedSuccess = (response: unknown): void => {
          try {
            onSuccess(response);
          } catch (error) {
            sink?.fail?.(error);
          }
        };
        return operation.call(this, args, guardedSuccess, (response: unknown) => {
          const status = (response as { status?: unknown } | null)?.status;
          if (sink && typeof status === 'number') sink.status = status;
          onError(response);
        });
      };
      (wrapped as unknown as { [INSTRUMENTED]: true })[INSTRUMENTED] = true;
      resource[name] = wrapped;
    }
  }
}

export interface RestCallerOptions {
  timeoutMs: number;
  /** Makes thrown text safe to keep (the password must not travel in error messages). */
  scrub: (text: string) => string;
}

export class RestCaller {
  /** Pending calls: their timer, and how to reject them if the port closes first. */
  private readonly pending = new Map<NodeJS.Timeout, (error: AriError) => void>();

  constructor(private readonly options: RestCallerOptions) {}

  /**
   * Runs one ari-client operation. `invoke` must call ari-client synchronously (it does:
   * the operation's promise executor runs at once), so the status sink catches its answer.
   */
  async call<T>(operation: string, invoke: () => PromiseLike<unknown>, parse: (raw: unknown) => T): Promise<T> {
    const sink: StatusSink = {};
    let pending: PromiseLike<unknown>;
    activeSink = sink;
    try {
      pending = invoke();
    } catch (error) {
      throw this.fail(operation, error, sink.status);
    } finally {
      activeSink = undefined;
    }
    const raw = await this.withTimeout(operation, pending, sink);
    try {
      return parse(raw);
    } catch (error) {
      throw new AriError('ari:unknown', `unexpected response: ${this.options.scrub(String(error))}`, operation);
    }
  }

  /** Races any ari-client promise with the request timeout (also used for connecting). */
  withTimeout(operation: string, pending: PromiseLike<unknown>, sink: StatusSink = {}): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        reject(new AriError('ari:timeout', `no answer within ${this.options.timeoutMs} ms`, operation));
      }, this.options.timeoutMs);
      this.pending.set(timer, reject);
      const settle = (): boolean => {
        clearTimeout(timer);
        return this.pending.delete(timer);
      };
      sink.fail = (error) => {
        if (settle()) reject(this.fail(operation, error, sink.status));
      };
      Promise.resolve(pending).then(
        (value) => {
          if (settle()) resolve(value);
        },
        (error: unknown) => {
          if (settle()) reject(this.fail(operation, error, sink.status));
        },
      );
    });
  }

  /** Settles every pending call with `ari:unavailable` and clears its timer (on close). */
  abortAll(reason: string): void {
    for (const [timer, reject] of this.pending) {
      clearTimeout(timer);
      reject(new AriError('ari:unavailable', reason, 'request'));
    }
    this.pending.clear();
  }

  private fail(operation: string, error: unknown, status: number | undefined): AriError {
    if (error instanceof AriError) return error;
    return toAriError(operation, { error, ...(status !== undefined ? { status } : {}) }, this.options.scrub);
  }
}
