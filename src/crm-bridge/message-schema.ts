/**
 * The versioned messages a ticket backend receives (schema `hotline.call-event/v1`).
 *
 * One message per domain event: its id (also the idempotency key), the call id, a
 * per-call sequence number (so a receiver can order and spot gaps), the event type, when it
 * happened, and the event's data with phone numbers in full — the sinks are the system of
 * record. The zod schemas below are the contract; docs/ticket-backend-api.yaml is generated
 * from them.
 *
 * Where the sequence comes from (SEQUENCE_DESCRIPTION): a call numbers its own `call.*`
 * events as they happen and keeps the count in its record, so the numbers never repeat —
 * not after a service restart that re-adopts the call, not when Redis comes back empty.
 * Other features' events of a call (survey results, SMS receipts) are numbered by a
 * separate per-call counter in Redis that starts at the clock (ms × 1000): numbers that
 * sort after the call's own and never repeat either, since a counter lost with Redis
 * starts again from a later clock.
 *
 * Adding a field is backwards compatible (receivers must ignore unknown fields); renaming
 * or removing one makes `hotline.call-event/v2`.
 */
import { z } from 'zod';
import type { DomainEvent, DomainEventPayloads, DomainEventType } from '../calls/index.js';

export const CALL_EVENT_SCHEMA_V1 = 'hotline.call-event/v1';

const CallOutcome = z.enum(['completed', 'abandoned', 'transferred', 'failed', 'dropped']);
const AgentStateName = z.enum(['offline', 'ready', 'not-ready', 'ringing', 'on-call', 'wrap-up']);

/** The data of each domain event type, as the sinks receive it. */
export const CallEventDataSchemas = {
  'call.started': z.object({
    channelId: z.string(),
    caller: z.string().describe('the caller number in full'),
    callerName: z.string(),
    dialled: z.string().describe('the number dialled (12345 or a merged hotline)'),
    line: z.string().describe('the hotline line tag, e.g. main, market-12315'),
  }),
  'call.answered': z.object({ channelId: z.string() }),
  'call.ivr-choice': z.object({
    node: z.string(),
    input: z.string().nullable(),
    outcome: z.string(),
    next: z.string().nullable(),
  }),
  'call.queued': z.object({ queue: z.string(), skill: z.string(), priority: z.number().int() }),
  'call.offered': z.object({ queue: z.string(), agentId: z.string() }),
  'call.agent-answered': z.object({ queue: z.string(), agentId: z.string(), waitedMs: z.number().int().min(0) }),
  'call.transferred': z.object({ target: z.string(), kind: z.enum(['number', 'agent', 'queue']), by: z.string(), fromAgent: z.string().optional().describe("an agent's transfer: the agent who handed the caller on") }),
  'call.emergency': z.object({
    route: z.string(),
    target: z.string().describe('the target that answered, or the last one tried'),
    outcome: z.enum(['answered', 'failed']),
    detail: z.string().optional(),
    label: z.string().describe('the centre as people call it: 110, 119, water …'),
    entry: z.enum(['menu', 'agent', 'consultation']).describe('the emergency key, an agent\'s transfer, or an agent\'s consultation call'),
    attempts: z
      .array(
        z.object({
          target: z.string(),
          outcome: z.enum(['answered', 'busy', 'no-answer', 'failed']),
          cause: z.number().int().nullable().describe('Q.850 cause of an unanswered attempt'),
          detail: z.string().optional(),
        }),
      )
      .describe('every target tried, in order'),
    answeredAfterMs: z.number().int().min(0).nullable(),
    startedAt: z.iso.datetime({ offset: true }),
  }),
  'call.recorded': z.object({
    recordingName: z.string().describe("Asterisk's name of the file"),
    recordingId: z.string().describe("the archive's id of the recording"),
    durationSeconds: z.number().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).describe('SHA-256 of the stored audio, hex'),
    sm3: z.string().regex(/^[0-9a-f]{64}$/).describe('SM3 (GB/T 32905) of the stored audio, hex'),
    sizeBytes: z.number().int().min(0),
    retainUntil: z.iso.datetime({ offset: true }).describe('not deleted before this (at least 3 years, Shangrao art. 13(9))'),
  }),
  'call.callback': z.object({
    jobId: z.string(),
    kind: z.enum(['missed', 'virtual-hold', 'satisfaction']).describe('satisfaction: a human callback after a dissatisfied survey or a supervised ticket'),
    attempt: z.number().int().min(1),
    outcome: z.enum(['connected', 'no-answer', 'busy', 'failed', 'given-up']),
    agentId: z.string().nullable().describe('the agent reserved for the attempt'),
    next: z.enum(['retry', 'connected', 'given-up']).describe('what follows: another attempt, or the job is over'),
    nextAttemptAt: z.string().nullable().describe('when the next attempt is due, ISO 8601'),
  }),
  'call.emergency-agent-left': z.object({
    route: z.string(),
    mode: z.enum(['blind', 'three-way']),
    agentId: z.string(),
    stayedMs: z.number().int().min(0).describe('from the centre\'s answer to the agent leaving (about 0 for a blind transfer)'),
  }),
  'call.disposition': z.object({
    agentId: z.string(),
    queue: z.string(),
    code: z.string().nullable().describe("the agent's disposition of the call, a code of the centre's acd.dispositions (consultation, complaint …); null: the wrap-up ended without one"),
    note: z.string().max(200).nullable().describe("the agent's short note, if any"),
    setAt: z.iso.datetime({ offset: true }).nullable().describe('when the agent last set it (the last one set counts)'),
    ended: z.enum(['early', 'expired']).describe('early: the agent ended the wrap-up (ready, not ready, logged out); expired: its time ran out'),
    wrapUpMs: z.number().int().min(0),
  }),
  'survey.result': z.object({
    ticketNumber: z.string(),
    surveyId: z.string(),
    outcome: z
      .enum(['rated', 'no-rating', 'hung-up', 'transferred', 'unreachable', 'cancelled'])
      .describe('no-rating: answered, no valid key twice; hung-up: the citizen hung up mid-survey; transferred: to an agent or the emergency linkage; unreachable: every attempt failed'),
    rating: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).nullable().describe('1 非常满意, 2 满意, 3 基本满意, 4 不满意, 5 非常不满意'),
    channel: z.enum(['voice', 'sms']).nullable(),
    attempts: z
      .array(z.object({ at: z.iso.datetime({ offset: true }), outcome: z.enum(['answered', 'busy', 'no-answer', 'failed']), cause: z.number().int().nullable().describe('Q.850 cause of an unanswered attempt') }))
      .describe('every call placed, in order'),
    surveyCallId: z.string().nullable().describe('the answered survey call: its call record, and its recording (call.recorded) when recorded'),
    dissatisfiedCount: z.number().int().min(0).describe('dissatisfied results (4, 5) of this ticket so far, this one included'),
    humanCallbackJobId: z.string().nullable().describe('the human callback scheduled for a dissatisfied citizen'),
    smsSent: z.boolean().describe('the survey went out by SMS after the last call failed'),
  }),
  'ticket.supervision-requested': z.object({
    ticketNumber: z.string(),
    reason: z.literal('dissatisfied-twice'),
    surveyIds: z.array(z.string()),
    ratings: z.array(z.number().int().min(1).max(5)),
  }),
  'agent.state-changed': z.object({
    agentId: z.string(),
    from: AgentStateName,
    to: AgentStateName,
    reason: z.string().nullable().describe('the not-ready reason code, when the agent is now not ready'),
    callId: z.string().nullable().describe('the call the agent now rings for, talks on or wraps up'),
    queue: z.string().nullable(),
    version: z.number().int().min(1).describe("counts the agent's changes; a receiver keeps the highest"),
  }),
  'ticket.sms': z.object({
    ticketNumber: z.string().describe('the event\'s callId is `ticket:<ticketNumber>`: a ticket\'s texts are one series'),
    purpose: z.enum(['acceptance', 'survey', 'notice']),
    idempotencyKey: z.string().describe('the text\'s own key: one text per key, e.g. acceptance:<ticketNumber>'),
    status: z
      .enum(['submitted', 'delivered', 'failed', 'rejected', 'suppressed'])
      .describe('submitted: the gateway took it; delivered/failed: its delivery receipt, or failed when retries ran out; rejected: refused for good; suppressed: not sent (code opted-out or daily-cap)'),
    messageIds: z.array(z.string()).describe('the gateway\'s ids, one per part of a long text'),
    code: z.string().describe('the gateway\'s code (DELIVRD, ESME_RINVDSTADR, isv.MOBILE_NUMBER_ILLEGAL …), or why it was not sent'),
    attempts: z.number().int().min(0),
    gateway: z.string().describe('smpp, aliyun or tencent'),
  }),
  'call.ended': z.object({
    channelId: z.string(),
    outcome: CallOutcome.describe(
      'completed: the menu or the agent finished the call; abandoned: the caller hung up first; transferred: handed to another number or back to the dialplan; ' +
        'failed: the hotline could not carry the call; dropped: Asterisk dropped it (shut down, restarted), or its channel was gone when the hotline came back ' +
        "from a restart (the call ended while no instance watched: eventId `ended-<callId>`, endedBy asterisk, no hangup cause)",
    ),
    endedBy: z.enum(['caller', 'service', 'asterisk']),
    hangupCause: z.number().int().nullable(),
    hangupCauseText: z.string().nullable(),
    durationMs: z.number().int().min(0).describe('from entering the hotline to the end; for a call dropped while no instance watched, to when its channel was found gone (an upper bound)'),
  }),
} satisfies { [T in DomainEventType]: z.ZodType<DomainEventPayloads[T]> };

export const SEQUENCE_DESCRIPTION = [
  "position of this event among its call's events; never repeated within a call.",
  'call.* events: 1, 2, 3 … numbered by the call itself in the order they happened (a gap means an event was not sent, e.g.',
  "refused while the hotline's store was down). Other event types (later features, e.g. survey results): a separate, increasing",
  'per-call series that starts at the publishing time in milliseconds × 1000, so it never meets the call event numbers.',
  'agent.state-changed: callId is `agent:<agentId>` and the sequence is the agent\'s version, counting its changes.',
  'call.disposition: one per agent wrap-up, sent when it ends; its eventId is fixed per call and agent.',
  'survey.result and ticket.supervision-requested: callId is `ticket:<ticketNumber>`, numbered like other features\' events.',
].join(' ');

const Envelope = z.object({
  schema: z.literal(CALL_EVENT_SCHEMA_V1),
  eventId: z.string().min(1).describe('unique per event; equals the X-Hotline-Event-Id header (idempotency key)'),
  callId: z.string().min(1),
  sequence: z.number().int().min(1).describe(SEQUENCE_DESCRIPTION),
  occurredAt: z.iso.datetime({ offset: true }).describe('when it happened, ISO 8601'),
});

function variant<T extends DomainEventType>(type: T) {
  return Envelope.extend({ type: z.literal(type), data: CallEventDataSchemas[type] });
}

export const CallEventMessageSchema = z.discriminatedUnion('type', [
  variant('call.started'),
  variant('call.answered'),
  variant('call.ivr-choice'),
  variant('call.queued'),
  variant('call.offered'),
  variant('call.agent-answered'),
  variant('call.transferred'),
  variant('call.emergency'),
  variant('call.recorded'),
  variant('call.ended'),
  variant('call.callback'),
  variant('call.emergency-agent-left'),
  variant('call.disposition'),
  variant('agent.state-changed'),
  variant('ticket.sms'),
  variant('survey.result'),
  variant('ticket.supervision-requested'),
]);
export type CallEventMessage = z.infer<typeof CallEventMessageSchema>;

/**
 * What the outbox accepts: a domain event, or a later feature's event of the same shape
 * (survey results, SMS receipts) whose type the v1 union does not list yet.
 */
export interface OutboundEvent {
  id: string;
  callId: string;
  at: string;
  type: string;
  data: unknown;
}

/** The message body without its sequence number, which is fixed when the event is stored (see SEQUENCE_DESCRIPTION). */
export interface UnsequencedMessage {
  schema: typeof CALL_EVENT_SCHEMA_V1;
  eventId: string;
  callId: string;
  type: string;
  occurredAt: string;
  data: unknown;
}

export function toUnsequencedMessage(event: DomainEvent | OutboundEvent): UnsequencedMessage {
  return { schema: CALL_EVENT_SCHEMA_V1, eventId: event.id, callId: event.callId, type: event.type, occurredAt: event.at, data: event.data };
}

/** The exact body sent: fields in a stable order, sequence after the call id. */
export function messageBody(message: UnsequencedMessage, sequence: number): string {
  const { schema, eventId, callId, type, occurredAt, data } = message;
  return JSON.stringify({ schema, eventId, callId, sequence, type, occurredAt, data });
}
