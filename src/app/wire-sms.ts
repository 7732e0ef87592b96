/**
 * Wires the SMS part: its service (outbox, sender, the configured gateway), the acceptance
 * SMS on every ticket.created the ticket bridge hands on, `ticket.sms` events onto the bus
 * (the ticket bridge takes them to the ticket backends), the supervisor routes and the
 * providers' push webhook, and its readiness (the outbox in Redis; a gateway that is away
 * only delays texts, so it shows in metrics, not in /readyz). Started in the background:
 * it needs Redis and the gateway, answering calls needs neither.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { WorkingDayCalendar, type CalendarConfig } from '../calendar/index.js';
import type { DomainEventBus } from '../calls/index.js';
import type { TicketEventHub } from '../crm-bridge/index.js';
import type { ApiAuth } from '../http/auth.js';
import { smsRoutes } from '../http/routes/sms.js';
import { smsPushRoutes } from '../http/routes/sms-push.js';
import { createSmsService, type SmsConfig, type SmsService } from '../sms/index.js';
import { startInBackground, type BackgroundStart } from './background-start.js';
import type { CheckResult } from './readiness.js';

export interface WiredSms {
  sms: SmsService;
  routes: FastifyPluginAsync[];
  start(): BackgroundStart;
  readiness(): CheckResult;
}

export function wireSms(deps: {
  config: SmsConfig;
  redisUrl: string;
  keyPrefix: string;
  bus: DomainEventBus;
  log: Logger;
  secrets: Record<string, string>;
  registry: Registry;
  auth: ApiAuth;
  hotlineNumbers: readonly string[];
  calendar?: CalendarConfig;
  /** Ticket events in (the ticket bridge's); without them no acceptance SMS is sent. */
  ticketEvents?: TicketEventHub;
}): WiredSms {
  const sms = createSmsService({
    config: deps.config,
    redisUrl: deps.redisUrl,
    keyPrefix: deps.keyPrefix,
    log: deps.log,
    secrets: deps.secrets,
    registry: deps.registry,
    calendar: deps.calendar ? new WorkingDayCalendar(deps.calendar) : undefined,
    publish: (event) => deps.bus.deliver(event),
  });
  // Stored in Redis before the handler returns; a throw (Redis away) makes the bridge retry the event.
  deps.ticketEvents?.on('ticket.created', (event) => sms.handleTicketCreated(event));
  let starting: BackgroundStart | undefined;
  return {
    sms,
    // The providers' pushes carry the path's secret, no bearer token.
    routes: [smsRoutes({ sms, hotlineNumbers: deps.hotlineNumbers, guard: deps.auth.require('supervisor') }), smsPushRoutes({ sms })],
    start: () => (starting ??= startInBackground('sms', () => sms.start(), deps.log)),
    readiness() {
      if (!starting?.started) return starting?.check() ?? { ok: false, reason: 'sms not started' };
      return sms.readiness();
    },
  };
}
