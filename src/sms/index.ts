/**
 * The SMS part, public face: texts to citizens through one gateway (an SMSC over SMPP,
 * Aliyun or Tencent Cloud), durable and idempotent, and their replies.
 *
 *   send(request) ─► Redis outbox (once per idempotencyKey; opt-out, daily cap) ─► SmsSender ─► gateway
 *   gateway receipts ─► the text's record ─► `ticket.sms` on the bus ─► ticket backend
 *   gateway replies ─► onReply handlers (the satisfaction survey's ratings)
 *   ticket.created ─► handleTicketCreated ─► the acceptance SMS (Shangrao art. 14)
 *
 * `send` resolves once the text is stored in Redis (it rejects when Redis does not take it:
 * the caller retries); the gateway is tried in the background, with retries.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { WorkingDayCalendar } from '../calendar/index.js';
import type { DomainEvent } from '../calls/index.js';
import { ConfigError } from '../config/config-error.js';
import { createRedis } from '../redis/connection.js';
import { acceptanceRequest, type TicketCreatedData } from './acceptance.js';
import { SMS_PURPOSES, SmsConfigSchema, smsSecretEnvNames, type SmsConfig, type SmsConfigInput, type SmsPurpose } from './config-schema.js';
import { SMS_ERRORS, SmsError } from './errors.js';
import { createGateway } from './gateways.js';
import { HttpSmsGateway } from './http-call.js';
import { smsKeys } from './keys.js';
import { createSmsMetrics } from './metrics.js';
import { isPhoneNumber, numberDigester } from './number-digest.js';
import { SmsOutbox, type SmsRecord, type SmsState } from './outbox.js';
import type { SmsGateway } from './ports/sms-gateway.js';
import type { PushAnswer, PushKind } from './push/push.js';
import { overallReceipt } from './receipt-status.js';
import { SmsSender } from './sender.js';
import { ticketSmsEvent, type SmsStatusReport } from './sms-events.js';
import { renderTemplate } from './template.js';

export interface SmsSendRequest {
  /** The whole number: digits, optionally a leading +. */
  to: string;
  ticketNumber: string;
  purpose: SmsPurpose;
  /** One text per key, ever: a repeated send with the same key is a no-op (`duplicate`). E.g. `survey:<surveyId>`. */
  idempotencyKey: string;
  /** Filled into the purpose's template (`sms.templates`) with ticketNumber; an SMSC sends the result. */
  params?: Record<string, string>;
  /** Sent as is instead of the purpose's template (SMPP only: template gateways always use the template). */
  text?: string;
}

export interface SmsSendOutcome {
  /** True when this call stored the text for sending. */
  accepted: boolean;
  state: SmsState;
  /** Why not accepted: the key was seen before, the number opted out, or reached its daily cap. */
  reason: 'duplicate' | 'opted-out' | 'daily-cap' | null;
}

export interface SmsReply {
  /** The citizen's whole number (never log it whole). */
  from: string;
  /** As typed: `1`…`5` for a rating, trimmed. */
  text: string;
  receivedAt: string;
  /** The ticket of the last survey text sent to this number within `replyWindowHours`, or null. */
  ticketNumber: string | null;
}

/** Runs before the gateway acknowledges the reply; throwing makes the gateway deliver it again. */
export type SmsReplyHandler = (reply: SmsReply) => Promise<void>;

export interface SmsService {
  readonly config: SmsConfig;
  send(request: SmsSendRequest): Promise<SmsSendOutcome>;
  onReply(handler: SmsReplyHandler): () => void;
  /** Every text of a ticket, oldest first (no numbers, no texts). */
  statusOf(ticketNumber: string): Promise<SmsRecord[]>;
  readonly optOut: {
    add(number: string): Promise<void>;
    remove(number: string): Promise<void>;
    has(number: string): Promise<boolean>;
  };
  /**
   * A cloud gateway's push (delivery reports, citizens' texts) to the webhook: 'not-found'
   * for a wrong path secret or no push configured, null for a body the provider never sends,
   * else the answer the provider expects.
   */
  push(token: string, kind: PushKind, body: unknown): Promise<PushAnswer | 'not-found' | null>;
  /** The `ticket.created` handler: stores the acceptance text; idempotent by ticket number. */
  handleTicketCreated(event: { occurredAt: string; data: TicketCreatedData }): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Whether texts can be stored and claimed (Redis), and why not. A gateway that is away is
   * not unreadiness of the service (calls go on; texts wait and are retried): it shows in
   * `gatewayProblem()` and the sms_gateway_ready metric.
   */
  readiness(): { ok: boolean; reason?: string };
  /** Why texts cannot go out through the gateway now, or null. */
  gatewayProblem(): string | null;
}

export interface SmsServiceOptions {
  config: SmsConfig | SmsConfigInput;
  redisUrl: string;
  keyPrefix: string;
  log: Logger;
  /** Environment variable name → secret, for every variable the section names (see readSmsSecrets). */
  secrets: Record<string, string | undefined>;
  /** Where `ticket.sms` events go (the domain event bus). */
  publish(event: DomainEvent): void;
  calendar?: WorkingDayCalendar;
  registry?: Registry;
  /** Replaces the configured gateway (tests, the demo). */
  gateway?: SmsGateway;
}

/** Replies that ask for no more texts (退订, the usual "TD"). */
const UNSUBSCRIBE = /^(td|t|退订|n)$/i;

/** Reads every secret the section names from the environment; a missing one stops the start. */
export function readSmsSecrets(config: SmsConfig, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const names = smsSecretEnvNames(config);
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) throw new ConfigError('environment', missing.map((name) => ({ path: `env.${name}`, reason: 'required by sms (a secret the section names)' })));
  return Object.fromEntries(names.map((name) => [name, env[name]!]));
}

export function createSmsService(options: SmsServiceOptions): SmsService {
  const config = SmsConfigSchema.parse(options.config);
  const secret = (name: string): string => {
    const value = options.secrets[name];
    if (!value) throw new SmsError(SMS_ERRORS.missingSecret, `secret ${name} (named by the sms section) is not set`);
    return value;
  };
  const log = options.log.child({ part: 'sms' });
  const keys = smsKeys(options.keyPrefix);
  const redis = createRedis({ url: options.redisUrl, keyPrefix: options.keyPrefix, log, name: 'sms' });
  const outbox = new SmsOutbox(redis, keys);
  const digest = numberDigester(secret(config.numberDigestSecretEnv));
  const gateway = options.gateway ?? createGateway(config.gateway, secret, log);
  const metrics = createSmsMetrics(() => gateway.unreadiness() === null, options.registry);
  const replyHandlers = new Set<SmsReplyHandler>();
  const dayOf = new Intl.DateTimeFormat('en-CA', { timeZone: config.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });

  const report = (r: SmsStatusReport) => options.publish(ticketSmsEvent(r));
  const sender = new SmsSender({
    outbox,
    gateway,
    config,
    metrics,
    log,
    report,
    async onSubmitted(sms) {
      if (sms.purpose === 'survey') await redis.set(keys.lastSurvey(sms.digest), sms.ticketNumber, 'EX', Math.round(config.replyWindowHours * 3600));
    },
  });

  gateway.onReceipt(async (receipt) => {
    metrics.receipts.inc({ gateway: gateway.name, status: receipt.status });
    let found = await outbox.receipt(receipt.messageId, receipt.status, Date.now());
    if (!found) {
      await sender.settled();
      found = await outbox.receipt(receipt.messageId, receipt.status, Date.now());
    }
    // Not ours, or older than the ids are kept: acknowledged and dropped.
    if (!found) return;
    const overall = overallReceipt(found.sms.messageIds, found.receipts);
    if (!overall) return;
    await outbox.setState(found.sms.key, overall.state, receipt.code, Date.now());
    report({ key: found.sms.key, ticketNumber: found.sms.ticketNumber, purpose: found.sms.purpose, status: overall.state, messageIds: found.sms.messageIds, code: receipt.code, attempts: found.sms.attempts, gateway: gateway.name });
  });

  gateway.onInbound(async (sms) => {
    metrics.replies.inc({ gateway: gateway.name });
    const text = sms.text.trim();
    const d = digest(sms.from);
    if (UNSUBSCRIBE.test(text)) {
      await redis.sadd(keys.optOut(), d);
      log.info('a citizen replied to opt out of texts');
    }
    const ticketNumber = await redis.get(keys.lastSurvey(d));
    for (const handler of replyHandlers) await handler({ from: sms.from, text, receivedAt: sms.receivedAt, ticketNumber });
  });

  async function send(request: SmsSendRequest): Promise<SmsSendOutcome> {
    if (!isPhoneNumber(request.to)) throw new SmsError(SMS_ERRORS.invalidNumber, 'not a phone number: digits, optionally a leading +');
    if (!/^[A-Za-z0-9-]{1,40}$/.test(request.ticketNumber)) throw new SmsError(SMS_ERRORS.invalidRequest, 'a ticket number: letters, digits and -, at most 40');
    if (!/^[\x21-\x7e]{1,200}$/.test(request.idempotencyKey)) throw new SmsError(SMS_ERRORS.invalidRequest, 'an idempotency key: 1 to 200 printable ASCII characters, no spaces');
    if (!SMS_PURPOSES.includes(request.purpose)) throw new SmsError(SMS_ERRORS.noTemplate, `unknown purpose ${String(request.purpose)}`);
    const params = { ticketNumber: request.ticketNumber, ...request.params };
    const template = config.templates[request.purpose];
    if (request.text === undefined && !template) throw new SmsError(SMS_ERRORS.noTemplate, `sms.templates has no ${request.purpose} text`);
    const text = request.text ?? renderTemplate(template!, params);
    const now = new Date();
    const d = digest(request.to);
    const result = await outbox.enqueue(
      { key: request.idempotencyKey, to: request.to, text, ticketNumber: request.ticketNumber, purpose: request.purpose, params, digest: d },
      now.getTime(),
      dayOf.format(now),
      config.dailyCapPerNumber,
    );
    if (!result.created) return { accepted: false, state: result.state, reason: 'duplicate' };
    if (result.state === 'suppressed') {
      const reason = result.code as 'opted-out' | 'daily-cap';
      metrics.suppressed.inc({ reason });
      log.info({ key: request.idempotencyKey, ticketNumber: request.ticketNumber, reason }, 'SMS not sent');
      report({ key: request.idempotencyKey, ticketNumber: request.ticketNumber, purpose: request.purpose, status: 'suppressed', messageIds: [], code: reason, attempts: 0, gateway: gateway.name });
      return { accepted: false, state: 'suppressed', reason };
    }
    sender.wake();
    return { accepted: true, state: 'queued', reason: null };
  }

  const g = config.gateway;
  const pushToken = g.kind !== 'smpp' && g.pushTokenEnv ? Buffer.from(secret(g.pushTokenEnv)) : null;

  let stopped = false;
  return {
    config,
    send,
    onReply(handler) {
      replyHandlers.add(handler);
      return () => replyHandlers.delete(handler);
    },
    statusOf: (ticketNumber) => outbox.ofTicket(ticketNumber),
    optOut: {
      add: async (number) => void (await redis.sadd(keys.optOut(), digest(number))),
      remove: async (number) => void (await redis.srem(keys.optOut(), digest(number))),
      has: async (number) => (await redis.sismember(keys.optOut(), digest(number))) === 1,
    },
    async push(token, kind, body) {
      const given = Buffer.from(token);
      if (!pushToken || !(gateway instanceof HttpSmsGateway) || given.length !== pushToken.length || !timingSafeEqual(given, pushToken)) return 'not-found';
      return gateway.push(kind, body);
    },
    async handleTicketCreated(event) {
      const request = acceptanceRequest(event.data, event.occurredAt, config.acceptance, options.calendar ?? null);
      if (!request) return;
      // A duplicate is the same ticket told again: nothing to do. Redis failing throws: the event is retried.
      await send(request);
    },
    async start() {
      await gateway.start();
      sender.start();
      log.info({ gateway: gateway.name }, 'SMS started');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await sender.stop();
      await gateway.stop();
      redis.disconnect();
      metrics.unregister();
    },
    gatewayProblem: () => gateway.unreadiness(),
    readiness() {
      const reason = sender.unreadiness();
      return reason ? { ok: false, reason } : { ok: true };
    },
  };
}

export { SmsConfigSchema, SMS_PURPOSES, type SmsConfig, type SmsConfigInput, type SmsPurpose } from './config-schema.js';
export { SMS_ERRORS, SmsError } from './errors.js';
export type { SmsRecord, SmsState } from './outbox.js';
export type { SmsGateway, OutgoingSms, SubmitResult, SmsFailure, DeliveryReceipt, InboundSms } from './ports/sms-gateway.js';
export { acceptanceKey } from './acceptance.js';
