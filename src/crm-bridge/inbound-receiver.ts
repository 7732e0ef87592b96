/**
 * The door for ticket events: signature first (on the raw bytes), then the body, then a
 * durable, de-duplicated store. The webhook answers 2xx only after `receive` resolves, so
 * once the backend sees 2xx the event is in Redis and a crash loses nothing.
 *
 * An event id is kept with a digest of its event: the same event again is a duplicate (the
 * sender retried), another event under a used id is refused as a conflict, so the sender
 * learns its new content was not taken instead of seeing it silently dropped.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { TicketEventSchema, type TicketEvent } from './inbound-events.js';
import { MARKER_TTL_SECONDS, type CrmKeys } from './keys.js';
import type { CrmBridgeMetrics } from './metrics.js';
import { runScript } from './redis-scripts.js';
import { HEADER_EVENT_ID, verifySignature } from './signing.js';

export interface InboundIssue {
  path: string;
  message: string;
}

/** Why a ticket event was refused: the route turns it into 401, 400 or 409. */
export class InboundRejection extends Error {
  override readonly name = 'InboundRejection';
  constructor(
    readonly kind: 'bad-signature' | 'bad-body' | 'event-id-conflict',
    message: string,
    readonly issues: InboundIssue[] = [],
  ) {
    super(message);
  }
}

export interface InboundReceipt {
  eventId: string;
  type: TicketEvent['type'];
  /** `duplicate`: this event (same id, same content) was received before; nothing was stored again. */
  status: 'accepted' | 'duplicate';
}

export class InboundReceiver {
  constructor(
    private readonly redis: Redis,
    private readonly keys: CrmKeys,
    private readonly secret: string,
    private readonly maxSkewSeconds: number,
    private readonly metrics: CrmBridgeMetrics,
    private readonly log: Logger,
  ) {}

  async receive(headers: Record<string, unknown>, rawBody: string): Promise<InboundReceipt> {
    const verified = verifySignature(this.secret, headers, rawBody, { maxSkewSeconds: this.maxSkewSeconds });
    if (!verified.ok) {
      // Not logged here: the webhook counts refusals, so a flood cannot fill the log.
      this.metrics.inbound.inc({ type: 'unknown', result: 'bad-signature' });
      throw new InboundRejection('bad-signature', `signature refused: ${verified.reason}`);
    }
    const event = this.parse(headers, rawBody);
    const stored = await runScript(
      this.redis,
      'inbound-accept',
      [this.keys.inboundSeen(event.eventId), this.keys.inbound()],
      [event.eventId, event.type, JSON.stringify(event), MARKER_TTL_SECONDS, eventDigest(event)],
    );
    if (stored === -1) {
      this.metrics.inbound.inc({ type: event.type, result: 'conflict' });
      this.log.warn({ eventId: event.eventId, type: event.type }, 'ticket event refused: its id was used before for another event');
      throw new InboundRejection('event-id-conflict', `event id ${event.eventId} was received before with other content; a new event needs a new id`);
    }
    const status = stored === 1 ? 'accepted' : 'duplicate';
    this.metrics.inbound.inc({ type: event.type, result: status });
    this.log.info({ eventId: event.eventId, type: event.type, ticketNumber: event.data.ticketNumber, status }, 'ticket event received');
    return { eventId: event.eventId, type: event.type, status };
  }

  private parse(headers: Record<string, unknown>, rawBody: string): TicketEvent {
    const reject = (issues: InboundIssue[]): never => {
      this.metrics.inbound.inc({ type: 'unknown', result: 'bad-body' });
      throw new InboundRejection('bad-body', `invalid ticket event: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
    };
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch (err) {
      return reject([{ path: 'body', message: `not JSON: ${(err as Error).message}` }]);
    }
    const parsed = TicketEventSchema.safeParse(json);
    if (!parsed.success) {
      return reject(parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })));
    }
    const headerId = z.string().optional().safeParse(headers[HEADER_EVENT_ID]);
    if (headerId.success && headerId.data !== undefined && headerId.data !== parsed.data.eventId) {
      return reject([{ path: `headers.${HEADER_EVENT_ID}`, message: 'differs from body.eventId' }]);
    }
    return parsed.data;
  }
}

/**
 * What tells two events apart: the parsed event (defaults filled in, unknown fields gone)
 * written with its keys sorted, so the same event re-serialised by the sender is the same.
 */
function eventDigest(event: TicketEvent): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, sorted(v)]));
    }
    return value;
  };
  return createHash('sha256').update(JSON.stringify(sorted(event))).digest('hex');
}
