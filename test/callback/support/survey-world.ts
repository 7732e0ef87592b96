/**
 * The whole service with the satisfaction callback on: the example config (menu, ACD,
 * emergency linkage) with calling hours open at every hour (the calendar's rules are the
 * pure tests' business), the reference ticket backend as sink and webhook sender, the ARI
 * simulator and the private Redis. Ticket events go in through the real signed webhook.
 */
import { afterEach, vi } from 'vitest';
import { HotlineConfigSchema, type HotlineConfig } from '../../../src/app/config-schema.js';
import { loadHotlineConfig } from '../../../src/app/load-config.js';
import type { SatisfactionCallback, SurveyJob } from '../../../src/callback/index.js';
import { sendTicketEvent, type ReferenceBackend } from '../../../sim/ticket-backend/server.js';
import type { EndpointBehaviour } from '../../../sim/index.js';
import { SECRETS, bridgeConfig, startBackend } from '../../crm-bridge/harness.js';
import { startHarness, type Harness } from '../../support/service-harness.js';

export const SUPERVISOR_TOKEN = 'survey-supervisor-token-for-tests';
export const ALL_DAY = { workingDays: ['00:00-24:00'], restDays: ['00:00-24:00'] };

export type EditConfig = (config: Record<string, any>) => void;

export interface SurveyWorld {
  h: Harness;
  backend: ReferenceBackend;
  survey: SatisfactionCallback;
  /** Posts a signed ticket.closed to the service's webhook; closed now unless `closedAt` says. */
  ticketClosed(ticketNumber: string, callerNumber: string, o?: { eventId?: string; closedAt?: string }): Promise<{ status: number; body: unknown }>;
  /** The survey id of a ticket's close, once scheduled. */
  surveyOf(ticketNumber: string): Promise<SurveyJob>;
  /** What a citizen's phone does when the survey calls. */
  phone(number: string, behaviour: EndpointBehaviour): void;
  /** Ticks the dialer at `now` until the survey is in `state`. */
  until(surveyId: string, state: SurveyJob['state'], o?: { now?: () => number; timeoutMs?: number }): Promise<SurveyJob>;
  /** Waits (without ticking) until the stored survey satisfies `check`. */
  untilWritten(surveyId: string, check: (job: SurveyJob) => boolean): Promise<SurveyJob>;
  /** The survey.* and ticket.* messages the city sink received on a ticket's stream. */
  received(ticketNumber: string, type: string): Array<Record<string, any>>;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

let events = 0;

/** Starts a world for each test and closes it after. */
export interface WorldOptions {
  speed?: number;
  /** The sms section (and the survey's SMS fallback) on, with these secrets. */
  sms?: { config: unknown; secrets: Record<string, string> };
}

export function useSurveyWorld(): (edit?: EditConfig, options?: WorldOptions) => Promise<SurveyWorld> {
  const open: Array<{ h: Harness; backend: ReferenceBackend }> = [];
  afterEach(async () => {
    for (const { h, backend } of open.splice(0)) {
      await h.close();
      await backend.close();
    }
  });
  return async (edit, options = {}) => {
    const backend = await startBackend(500);
    const { crmBridge: _crm, ...example } = (await loadHotlineConfig('config/hotline.example.yaml')) as HotlineConfig;
    const raw: Record<string, any> = structuredClone({ ...example, crmBridge: bridgeConfig(backend) });
    for (const queue of Object.values(raw.acd.queues) as Array<Record<string, unknown>>) {
      queue.wrapUpSeconds = 1;
      queue.announceEverySeconds = 0;
      queue.ringTimeoutSeconds = 5;
    }
    raw.acd.callbacks.callingHours = ALL_DAY;
    raw.satisfactionCallback = { ...raw.satisfactionCallback, callingHours: ALL_DAY, inputTimeoutSeconds: 1, ringTimeoutSeconds: 5, retryAfterMinutes: 30 };
    if (options.sms) raw.sms = options.sms.config;
    else delete raw.satisfactionCallback.sms;
    edit?.(raw);
    const config = HotlineConfigSchema.parse(raw);
    const h = await startHarness({ config, speed: options.speed, crmSecrets: SECRETS, smsSecrets: options.sms?.secrets, apiTokens: [{ name: 'survey-desk', role: 'supervisor', token: SUPERVISOR_TOKEN }] });
    open.push({ h, backend });
    await h.service.started;
    const survey = h.service.survey!;
    const city = backend.recorder('city-tickets');
    return {
      h,
      backend,
      survey,
      ticketClosed: (ticketNumber, callerNumber, o = {}) =>
        sendTicketEvent(`${h.service.url}/webhooks/ticket-events`, SECRETS.CRM_INBOUND_SECRET, {
          schema: 'hotline.ticket-event/v1',
          eventId: o.eventId ?? `evt-${++events}-${ticketNumber}`,
          type: 'ticket.closed',
          occurredAt: o.closedAt ?? new Date().toISOString(),
          data: { ticketNumber, callerNumber, closedAt: o.closedAt ?? new Date().toISOString(), callId: null },
        }),
      async surveyOf(ticketNumber) {
        let job: SurveyJob | undefined;
        const deadline = Date.now() + 5000;
        while (!(job = (await survey.store.ofTicket(ticketNumber)).at(-1))) {
          if (Date.now() > deadline) throw new Error(`no survey of ${ticketNumber} within 5000 ms`);
          await new Promise((r) => setTimeout(r, 10));
        }
        return job;
      },
      phone: (number, behaviour) => h.sim.setEndpointBehaviour(`PJSIP/${number}@carrier`, behaviour),
      async until(surveyId, state, o = {}) {
        const deadline = Date.now() + (o.timeoutMs ?? 10_000);
        for (;;) {
          const job = await survey.store.get(surveyId);
          if (job?.state === state) return job;
          if (Date.now() > deadline) throw new Error(`survey ${surveyId} is ${String(job?.state)}, not ${state}, after ${o.timeoutMs ?? 10_000} ms`);
          await survey.dialer.tick(o.now?.());
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      async untilWritten(surveyId, check) {
        return vi.waitFor(
          async () => {
            const job = await survey.store.get(surveyId);
            if (!job || !check(job)) throw new Error(`survey ${surveyId} not as expected within 10000 ms (${job?.state})`);
            return job;
          },
          { timeout: 10_000, interval: 10 },
        );
      },
      received: (ticketNumber, type) => city.ofCall(`ticket:${ticketNumber}`).filter((m) => m.type === type).map((m) => m.body as Record<string, any>),
      async api(method, path, body) {
        const res = await fetch(`${h.service.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${SUPERVISOR_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: await res.json() };
      },
    };
  };
}

/** A citizen who answers at once and keys `digits` 1.5 s later, while the survey introduces itself. */
export const answersWith = (digits: string): EndpointBehaviour => ({ kind: 'answer', afterMs: 200, ringingAfterMs: 50, keysAfterAnswer: { digits, afterMs: 1500 } });
