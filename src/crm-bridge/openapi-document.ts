/**
 * The ticket backend's contract as an OpenAPI 3.1 document, built from the zod schemas the
 * code itself uses, so the document cannot drift from what is sent and accepted:
 *   webhooks.callEvent            what every sink receives (POST to its configured URL)
 *   /webhooks/ticket-events       what the hotline accepts from the ticket backend
 *   /tickets/…, /callers/…        the look-ups the hotline calls on the ticket backend
 * docs/ticket-backend-api.yaml is its output:
 *   npx tsx src/crm-bridge/openapi-document.ts > docs/ticket-backend-api.yaml
 * and a test fails when the file is stale.
 */
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { z } from 'zod';
import { TicketEventSchema } from './inbound-events.js';
import { CallEventMessageSchema } from './message-schema.js';
import { ContactCountReplySchema, OpenTicketsReplySchema, TicketStatusSchema } from './ports/ticket-backend.js';

const schema = (s: z.ZodType, io: 'input' | 'output' = 'output') => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return open(rest) as Record<string, unknown>;
};

/** Receivers must ignore unknown fields (that is how v1 grows), so no schema here forbids them. */
function open(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(open);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'additionalProperties' && value === false))
      .map(([key, value]) => [key, open(value)]),
  );
}

const Problem = z.object({
  error_id: z.string().describe('stable error code, e.g. bad-signature, invalid-request'),
  message: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('every reason, for a bad body'),
});
const Receipt = z.object({
  eventId: z.string(),
  type: z.enum(['ticket.created', 'ticket.closed', 'ticket.supervised']),
  status: z.enum(['accepted', 'duplicate']),
});

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
const problem = (description: string) => ({ description, content: json('Problem') });
const signedParams = [
  { $ref: '#/components/parameters/EventId' },
  { $ref: '#/components/parameters/Timestamp' },
  { $ref: '#/components/parameters/Signature' },
];
const lookupParams = [{ $ref: '#/components/parameters/Timestamp' }, { $ref: '#/components/parameters/LookupSignature' }];

export function buildTicketBackendApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: '12345 hotline telephony ↔ ticket backend',
      version: '1.0.0',
      description: [
        'What the telephony service of the 12345 hotline exchanges with a ticket backend (the system of record) and the provincial platform.',
        '',
        'Signing (both directions): `X-Hotline-Timestamp` is unix seconds; `X-Hotline-Signature` is `sha256=` + hex HMAC-SHA256,',
        'keyed with the shared secret, of `<timestamp>.<raw body>` (look-ups, which have no body: `<timestamp>.GET <path and query>`).',
        'Receivers reject a timestamp more than 300 s from their clock, and compare signatures in constant time.',
        '',
        'Delivery: at least once, in order per call (`sequence` 1, 2, 3 … for call events; see its description), different calls concurrently. A receiver de-duplicates by',
        '`X-Hotline-Event-Id` (= `eventId`) and answers 2xx for a repeat too. 5xx, 408, 425, 429 and timeouts are retried with backoff;',
        'any other 4xx is final (the message goes to the sender\'s dead letters for a person to look at and replay).',
        'Unknown fields must be ignored; a breaking change gets a new `schema` version.',
      ].join('\n'),
    },
    servers: [{ url: 'https://tickets.example.gov.cn', description: 'the ticket backend (look-ups)' }],
    webhooks: {
      callEvent: {
        post: {
          summary: 'A call event, sent to every configured sink URL',
          operationId: 'receiveCallEvent',
          parameters: signedParams,
          requestBody: { required: true, content: json('CallEventMessage') },
          responses: {
            '200': { description: 'stored (or already stored: a repeat of a known X-Hotline-Event-Id)' },
            '400': { description: 'not a valid message: final, not retried' },
            '401': { description: 'bad or stale signature: final, not retried' },
            '503': { description: 'temporarily unable: retried with backoff' },
          },
        },
      },
    },
    paths: {
      '/webhooks/ticket-events': {
        servers: [{ url: 'https://hotline-telephony.example.gov.cn', description: 'the telephony service' }],
        post: {
          summary: 'A ticket event for the hotline (created → acceptance SMS, closed → satisfaction callback, supervised → human callback)',
          operationId: 'sendTicketEvent',
          parameters: signedParams,
          requestBody: { required: true, content: json('TicketEvent') },
          responses: {
            '202': { description: 'stored now; handled asynchronously', content: json('TicketEventReceipt') },
            '200': { description: 'this eventId was received before; nothing done again', content: json('TicketEventReceipt') },
            '400': problem('invalid body, with every reason in details'),
            '401': problem('missing, wrong or stale signature'),
          },
        },
      },
      '/tickets/{ticketNumber}': {
        get: {
          summary: "A ticket's status (IVR self-service)",
          operationId: 'ticketStatus',
          parameters: [{ name: 'ticketNumber', in: 'path', required: true, schema: { type: 'string' } }, ...lookupParams],
          responses: { '200': { description: 'the status', content: json('TicketStatus') }, '404': { description: 'no such ticket' } },
        },
      },
      '/callers/{callerNumber}/open-tickets': {
        get: {
          summary: "The caller's tickets not yet closed (agent screen pop)",
          operationId: 'openTickets',
          parameters: [{ name: 'callerNumber', in: 'path', required: true, schema: { type: 'string' } }, ...lookupParams],
          responses: { '200': { description: 'possibly empty', content: json('OpenTickets') } },
        },
      },
      '/callers/{callerNumber}/contacts': {
        get: {
          summary: 'How often the caller contacted the centre lately (repeat-caller flag)',
          operationId: 'contactCount',
          parameters: [
            { name: 'callerNumber', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'days', in: 'query', required: true, schema: { type: 'integer', minimum: 1 } },
            ...lookupParams,
          ],
          responses: { '200': { description: 'the count', content: json('ContactCount') } },
        },
      },
    },
    components: {
      parameters: {
        EventId: { name: 'X-Hotline-Event-Id', in: 'header', required: true, description: 'idempotency key; equals the body eventId', schema: { type: 'string' } },
        Timestamp: { name: 'X-Hotline-Timestamp', in: 'header', required: true, description: 'unix seconds', schema: { type: 'string', pattern: '^[0-9]+$' } },
        Signature: {
          name: 'X-Hotline-Signature', in: 'header', required: true,
          description: 'sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">',
          schema: { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' },
        },
        LookupSignature: {
          name: 'X-Hotline-Signature', in: 'header', required: true,
          description: 'sha256=<hex HMAC-SHA256 of "<timestamp>.GET <path and query>">',
          schema: { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' },
        },
      },
      schemas: {
        CallEventMessage: schema(CallEventMessageSchema),
        TicketEvent: schema(TicketEventSchema, 'input'),
        TicketEventReceipt: schema(Receipt),
        TicketStatus: schema(TicketStatusSchema),
        OpenTickets: schema(OpenTicketsReplySchema),
        ContactCount: schema(ContactCountReplySchema),
        Problem: schema(Problem),
      },
    },
  };
}

export function renderTicketBackendApi(): string {
  return `# Generated from the zod schemas by src/crm-bridge/openapi-document.ts — do not edit by hand.\n${stringify(buildTicketBackendApi(), { lineWidth: 0 })}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(renderTicketBackendApi());
