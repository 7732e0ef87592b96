/**
 * The requests every call makes (answer, play, hang up, music, bridges, originate) sent
 * straight over keep-alive HTTP, beside ari-client rather than through it.
 *
 * Why: ari-client builds each request through swagger-client 2.0 and shred (a fresh request
 * object, header casing, URL parsing, a Basic-auth header built again with the deprecated
 * `new Buffer()`), and answers it through bluebird: about a sixth of the service's busy CPU
 * in the call ramp's profile (bench/call-ramp.ts with BENCH_CPU_PROF), more than its own
 * call handling. ari-client stays the ARI client: it loads the api-docs, holds the event
 * socket and its reconnects, and makes every other request. This path sends what
 * swagger-client would send for the operations it carries (test/ari/direct-rest.test.ts
 * compares them), to the same base path (the one in the api-docs ari-client loaded), with
 * the same credentials.
 *
 * Failures become AriErrors through the same mapping as ari-client's (error-mapping.ts): a
 * status answers by its code, the body's message kept. Unlike ari-client, a request that
 * cannot reach Asterisk (refused, reset) fails at once as `ari:unavailable` instead of never
 * settling until the request timeout.
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { toAriError } from './error-mapping.js';
import { AriError } from './errors.js';

export interface DirectRestOptions {
  username: string;
  password: string;
  /** A request still unanswered after this long is dropped with its socket (the caller's timer rejects it). */
  timeoutMs: number;
  /** Makes thrown text safe to keep (error bodies may quote a URL). */
  scrub: (text: string) => string;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface DirectRequest {
  /** Operation name for errors, e.g. `channels.answer`. */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under the ARI base path, built from `segments` (each URI-encoded): `['channels', id, 'answer']`. */
  segments: string[];
  query?: Query;
  /** Sent as JSON (originate's channel variables). */
  body?: unknown;
  /** The operation answers a resource (a playback, a channel, a bridge): its JSON body is parsed; otherwise any body is ignored. */
  answers?: boolean;
  /** Sent on sockets of its own (answering a caller): never queued behind a burst of other requests. */
  first?: boolean;
}

/** What a request answered: the parsed JSON body of an operation that answers one, else undefined. */
export type DirectAnswer = unknown;

/**
 * Sockets to Asterisk at most. One request takes about a millisecond, but when Asterisk is
 * slow for a moment the requests of thousands of calls pile up: with 32 the next ones waited
 * here for a socket (tens of ms at 2,000 live calls in the call ramp); Asterisk serves each
 * HTTP session on a thread of its own. asterisk-config/http.conf's `sessionlimit` leaves
 * room for these and the first ones of several instances.
 */
const MAX_SOCKETS = 64;
/**
 * Sockets kept for the requests that go first. In a storm the other requests can fill the
 * others and queue (a slow Asterisk answers each later); a new caller's answer would then wait
 * behind them, which is what a caller hears as ringing that does not end.
 */
const FIRST_SOCKETS = 4;
/** HTTP sessions one instance holds open to Asterisk at most for these requests (http.conf's sessionlimit must leave room). */
export const DIRECT_REST_SOCKETS = MAX_SOCKETS + FIRST_SOCKETS;

/** Where the requests go: the api-docs' base path taken apart once. */
interface Target {
  https: boolean;
  host: string;
  port: string;
  /** The base path's own path, e.g. `/ari`. */
  prefix: string;
}

export class DirectRest {
  private readonly authorization: string;
  private agent: HttpAgent | undefined;
  private firstAgent: HttpAgent | undefined;
  private readonly inFlight = new Set<ClientRequest>();
  /** The last base path seen, parsed (it changes only with a new api-docs load). */
  private target: { basePath: string; parsed: Target } | undefined;

  constructor(private readonly options: DirectRestOptions) {
    this.authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  }

  /**
   * Sends one request to `basePath` (e.g. `http://asterisk:8088/ari`, as the api-docs give it).
   * Resolves with the JSON body (undefined for none); rejects only with AriErrors.
   */
  send(basePath: string, r: DirectRequest): Promise<DirectAnswer> {
    let target: Target;
    let path: string;
    try {
      target = this.targetOf(basePath);
      path = target.prefix + pathOf(r) + queryOf(r.query);
    } catch (error) {
      return Promise.reject(error instanceof AriError ? error : new AriError('ari:bad-request', this.options.scrub(String(error)), r.operation));
    }
    const agent = r.first ? this.firstAgentFor(target.https) : this.agentFor(target.https);
    const body = r.body === undefined ? undefined : JSON.stringify(r.body);
    const headers: Record<string, string> = { authorization: this.authorization, accept: 'application/json' };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    return new Promise<DirectAnswer>((resolve, reject) => {
      const fail = (error: unknown, status?: number): void =>
        reject(toAriError(r.operation, { error, ...(status !== undefined ? { status } : {}) }, this.options.scrub));
      const send = target.https ? httpsRequest : httpRequest;
      const req = send({ host: target.host, port: target.port, path, method: r.method, agent, headers }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => fail(error));
        res.on('end', () => {
          this.inFlight.delete(req);
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) return fail(new Error(text), status);
          if (!r.answers || text.length === 0) return resolve(undefined);
          try {
            resolve(JSON.parse(text) as unknown);
          } catch (error) {
            fail(new Error(`a body that is not JSON: ${String(error)}`));
          }
        });
      });
      this.inFlight.add(req);
      req.setTimeout(this.options.timeoutMs, () => req.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)));
      req.on('error', (error) => {
        this.inFlight.delete(req);
        fail(error);
      });
      req.end(body);
    });
  }

  /** Drops the sockets and every request in flight (their callers' promises are settled by RestCaller). */
  close(): void {
    for (const req of this.inFlight) req.destroy();
    this.inFlight.clear();
    this.agent?.destroy();
    this.agent = undefined;
    this.firstAgent?.destroy();
    this.firstAgent = undefined;
  }

  private targetOf(basePath: string): Target {
    if (this.target?.basePath !== basePath) {
      const url = new URL(basePath);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`ARI base path must be http(s), got ${url.protocol}`);
      const parsed = { https: url.protocol === 'https:', host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, prefix: url.pathname.replace(/\/$/, '') };
      this.target = { basePath, parsed };
    }
    return this.target.parsed;
  }

  private agentFor(https: boolean): HttpAgent {
    // Keep-alive (http.conf session_keep_alive): the calls' requests reuse a few sockets.
    // Bounded, since Asterisk serves at most `sessionlimit` (default 100) HTTP sessions in
    // all, the event socket and other clients included; a burst queues here instead.
    this.agent = keepAliveAgent(this.agent, https, MAX_SOCKETS);
    return this.agent;
  }

  private firstAgentFor(https: boolean): HttpAgent {
    this.firstAgent = keepAliveAgent(this.firstAgent, https, FIRST_SOCKETS);
    return this.firstAgent;
  }
}

/** `agent` when it speaks the scheme wanted, else a new keep-alive agent of `sockets` (the old one dropped). */
function keepAliveAgent(agent: HttpAgent | undefined, https: boolean, sockets: number): HttpAgent {
  if (agent && (agent instanceof HttpsAgent) === https) return agent;
  agent?.destroy();
  const options = { keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets };
  return https ? new HttpsAgent(options) : new HttpAgent(options);
}

/** `/channels/<id>/answer`, each segment URI-encoded as swagger-client does with path parameters. */
function pathOf(r: DirectRequest): string {
  let path = '';
  for (const segment of r.segments) {
    // swagger-client refuses an empty path parameter before sending; so does this.
    if (segment === '') throw new AriError('ari:bad-request', 'a required path param is empty', r.operation);
    path += `/${encodeURIComponent(segment)}`;
  }
  return path;
}

/** `?name=value&…` without the undefined ones (encoded as swagger-client does), or ''. */
function queryOf(query: Query | undefined): string {
  if (!query) return '';
  let out = '';
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    out += `${out ? '&' : '?'}${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`;
  }
  return out;
}
