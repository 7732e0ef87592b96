/**
 * The HTTP adapter of the look-up port. Each request is signed like the webhooks, over
 * "<timestamp>.<METHOD> <path and query>" (a GET has no body), answers within `timeoutMs`
 * or fails, and goes through a circuit breaker so a failing backend costs a waiting
 * caller nothing. Answers are parsed with zod: the backend is trusted for data, not shape.
 */
import type { z } from 'zod';
import { CircuitBreaker } from './circuit-breaker.js';
import { CRM_BRIDGE_ERRORS, CrmBridgeError, LookupTimeoutError } from './errors.js';
import type { CrmBridgeMetrics } from './metrics.js';
import { signPayload } from './signing.js';
import {
  ContactCountReplySchema,
  OpenTicketsReplySchema,
  TicketStatusSchema,
  type OpenTicket,
  type TicketBackendClient,
  type TicketStatus,
} from './ports/ticket-backend.js';

export interface HttpTicketClientOptions {
  baseUrl: string;
  secret: string;
  timeoutMs: number;
  circuitBreaker: { failureThreshold: number; openMs: number };
  metrics?: CrmBridgeMetrics;
  now?: () => number;
}

export class HttpTicketClient implements TicketBackendClient {
  readonly breaker: CircuitBreaker;

  constructor(private readonly options: HttpTicketClientOptions) {
    this.breaker = new CircuitBreaker({
      ...options.circuitBreaker,
      now: options.now,
      onStateChange: (state) => options.metrics?.circuitOpen.set(state === 'open' ? 1 : 0),
    });
  }

  async statusOf(ticketNumber: string, signal: AbortSignal): Promise<TicketStatus | null> {
    return this.get('status', `/tickets/${encodeURIComponent(ticketNumber)}`, TicketStatusSchema, signal);
  }

  async openTicketsOf(callerNumber: string, signal?: AbortSignal): Promise<OpenTicket[]> {
    const reply = await this.get('open-tickets', `/callers/${encodeURIComponent(callerNumber)}/open-tickets`, OpenTicketsReplySchema, signal);
    return reply?.tickets ?? [];
  }

  async repeatCallerCount(callerNumber: string, days: number, signal?: AbortSignal): Promise<number> {
    const path = `/callers/${encodeURIComponent(callerNumber)}/contacts?days=${Math.max(1, Math.floor(days))}`;
    const reply = await this.get('repeat-count', path, ContactCountReplySchema, signal);
    return reply?.count ?? 0;
  }

  /** GET and parse; null on 404. */
  private async get<T>(op: string, path: string, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T | null> {
    const record = (result: string) => this.options.metrics?.lookups.inc({ op, result });
    const callerGone = () => signal?.aborted === true;
    try {
      const value = await this.breaker.run(op, () => this.fetchJson(op, path, schema, signal), () => !callerGone());
      record(value === null ? 'not-found' : 'ok');
      return value;
    } catch (err) {
      const code = (err as CrmBridgeError).code;
      record(code === CRM_BRIDGE_ERRORS.circuitOpen ? 'circuit-open' : code === CRM_BRIDGE_ERRORS.lookupTimeout ? 'timeout' : 'error');
      throw err;
    }
  }

  private async fetchJson<T>(op: string, path: string, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T | null> {
    const timestamp = Math.floor((this.options.now ?? Date.now)() / 1000);
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(new URL(path, this.options.baseUrl), {
        headers: {
          accept: 'application/json',
          'X-Hotline-Timestamp': String(timestamp),
          'X-Hotline-Signature': signPayload(this.options.secret, timestamp, `GET ${path}`),
        },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await response.text();
    } catch (err) {
      if (timeout.aborted && !signal?.aborted) throw new LookupTimeoutError(op, this.options.timeoutMs);
      if (signal?.aborted) throw signal.reason ?? err;
      throw new CrmBridgeError(CRM_BRIDGE_ERRORS.lookupFailed, `${op}: ${(err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message}`, { cause: err });
    }
    if (response.status === 404) return null;
    if (!response.ok) throw new CrmBridgeError(CRM_BRIDGE_ERRORS.lookupFailed, `${op}: HTTP ${response.status}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CrmBridgeError(CRM_BRIDGE_ERRORS.lookupFailed, `${op}: answer is not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new CrmBridgeError(CRM_BRIDGE_ERRORS.lookupFailed, `${op}: unexpected answer: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return parsed.data;
  }
}
