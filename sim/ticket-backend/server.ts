/**
 * A reference ticket backend over real HTTP: what a backend team builds from
 * docs/ticket-backend-api.yaml, kept small. It
 *   - receives call-event messages at POST /sinks/<sink>/events: checks the signature and
 *     its age, checks the body against the v1 schema, de-duplicates by X-Hotline-Event-Id
 *     and records what it got in order;
 *   - answers the look-ups (GET /tickets/<n>, /callers/<number>/open-tickets,
 *     /callers/<number>/contacts?days=N), signed over "<timestamp>.GET <path>";
 *   - can be told to fail (FaultSwitch) or answer look-ups slowly;
 *   - sends signed ticket events to the hotline (sendTicketEvent).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CallEventMessageSchema } from '../../src/crm-bridge/message-schema.js';
import { FaultSwitch } from './fault-switch.js';
import { checkSignature, signRequest } from './signature.js';
import { SinkRecorder } from './sink-recorder.js';
import { TicketStore } from './ticket-store.js';

export interface ReferenceBackendOptions {
  /** sink name → the secret its messages are signed with. */
  sinks: Record<string, string>;
  /** Secret of the look-up requests. */
  lookupSecret: string;
  host?: string;
  port?: number;
  /** How long a request in `timeout` mode is held before it is answered anyway. */
  holdMs?: number;
}

export interface ReferenceBackend {
  url: string;
  sinkUrl(sink: string): string;
  recorder(sink: string): SinkRecorder;
  fault(sink: string): FaultSwitch;
  lookupFault: FaultSwitch;
  tickets: TicketStore;
  /** Delay before every look-up answer. */
  lookupDelayMs: number;
  /** Every sink request seen, including duplicates and refused ones. */
  requestCount(sink: string): number;
  close(): Promise<void>;
}

const Envelope = z.object({ schema: z.string(), eventId: z.string().min(1), callId: z.string().min(1), sequence: z.number().int().min(1), type: z.string() });

export async function startReferenceBackend(options: ReferenceBackendOptions): Promise<ReferenceBackend> {
  const app: FastifyInstance = Fastify({ logger: false, forceCloseConnections: true, keepAliveTimeout: 30_000 });
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const recorders = new Map(Object.keys(options.sinks).map((s) => [s, new SinkRecorder()]));
  const faults = new Map(Object.keys(options.sinks).map((s) => [s, new FaultSwitch()]));
  const requests = new Map(Object.keys(options.sinks).map((s) => [s, 0]));
  const lookupFault = new FaultSwitch();
  const tickets = new TicketStore();
  const holdMs = options.holdMs ?? 30_000;
  const state = { lookupDelayMs: 0 };

  app.post<{ Params: { sink: string } }>('/sinks/:sink/events', async (request, reply) => {
    const sink = request.params.sink;
    const secret = options.sinks[sink];
    const recorder = recorders.get(sink);
    if (!secret || !recorder) return reply.status(404).send({ error: 'no such sink' });
    requests.set(sink, (requests.get(sink) ?? 0) + 1);
    const raw = typeof request.body === 'string' ? request.body : '';
    const fault = faults.get(sink)!.take();
    if (fault === 'down') return reply.status(503).send({ error: 'down for maintenance' });
    if (fault === 'reject') return reply.status(400).send({ error: 'refused on purpose' });
    if (fault === 'timeout') {
      await faults.get(sink)!.hold(holdMs);
      return reply.status(503).send({ error: 'too late' });
    }
    const bad = checkSignature(secret, request.headers, raw);
    if (bad) {
      recorder.refused.push(bad);
      return reply.status(401).send({ error: bad });
    }
    const key = request.headers['x-hotline-event-id'];
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = null;
    }
    const envelope = Envelope.safeParse(body);
    const known = envelope.success && CallEventMessageSchema.options.some((o) => o.shape.type.value === envelope.data.type);
    const valid = known ? CallEventMessageSchema.safeParse(body).success : envelope.success;
    if (!envelope.success || !valid || key !== envelope.data.eventId) {
      recorder.refused.push('bad body');
      return reply.status(400).send({ error: 'body does not match hotline.call-event/v1, or its eventId differs from X-Hotline-Event-Id' });
    }
    const { eventId, callId, sequence, type } = envelope.data;
    const fresh = recorder.record({ eventId, callId, sequence, type, receivedAt: Date.now(), body: body as Record<string, unknown> });
    if (fault === 'record-then-fail') return reply.status(500).send({ error: 'stored, but the answer got lost' });
    return reply.status(200).send({ received: eventId, duplicate: !fresh });
  });

  // Look-ups.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET') return;
    const bad = checkSignature(options.lookupSecret, request.headers, `GET ${request.url}`);
    if (bad) return reply.status(401).send({ error: bad });
    if (state.lookupDelayMs > 0) await new Promise((r) => setTimeout(r, state.lookupDelayMs));
    const fault = lookupFault.take();
    if (fault === 'down' || fault === 'record-then-fail') return reply.status(503).send({ error: 'down' });
    if (fault === 'timeout') {
      await lookupFault.hold(holdMs);
      return reply.status(503).send({ error: 'too late' });
    }
  });
  app.get<{ Params: { n: string } }>('/tickets/:n', async (request, reply) => {
    const status = tickets.status(request.params.n);
    return status ? status : reply.status(404).send({ error: 'no such ticket' });
  });
  app.get<{ Params: { number: string } }>('/callers/:number/open-tickets', async (request) => ({
    tickets: tickets.openTickets(request.params.number),
  }));
  app.get<{ Params: { number: string }; Querystring: { days?: string } }>('/callers/:number/contacts', async (request) => ({
    callerNumber: request.params.number,
    days: Number(request.query.days ?? 30),
    count: tickets.contactCount(request.params.number, Number(request.query.days ?? 30)),
  }));

  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const url = address.replace('[::1]', '127.0.0.1');
  return {
    url,
    sinkUrl: (sink) => `${url}/sinks/${sink}/events`,
    recorder: (sink) => recorders.get(sink)!,
    fault: (sink) => faults.get(sink)!,
    lookupFault,
    tickets,
    get lookupDelayMs() {
      return state.lookupDelayMs;
    },
    set lookupDelayMs(ms: number) {
      state.lookupDelayMs = ms;
    },
    requestCount: (sink) => requests.get(sink) ?? 0,
    async close() {
      faults.forEach((f) => f.recover());
      lookupFault.recover();
      await app.close();
    },
  };
}

/** Sends a signed ticket event to the hotline's webhook, as the ticket backend does. */
export async function sendTicketEvent(
  webhookUrl: string,
  secret: string,
  event: { eventId: string } & Record<string, unknown>,
  options: { nowMs?: number; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown }> {
  const body = options.body ?? JSON.stringify(event);
  const response = await fetch(webhookUrl, {
    method: 'POST',
    headers: { ...signRequest(secret, event.eventId, body, options.nowMs), ...options.headers },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}
