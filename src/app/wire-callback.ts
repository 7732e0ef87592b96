/**
 * Wires the satisfaction callback: ticket.closed and ticket.supervised from the ticket
 * bridge, the survey calls through the call registry, the emergency key to the emergency
 * linkage and the agent key to the ACD, dissatisfied citizens to the ACD's callback jobs
 * (kind `satisfaction`: an agent reserved first), the SMS survey through the SMS part, and
 * the supervisors' routes. Built without touching Redis; answering calls never waits on it.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AriPort } from '../ari/index.js';
import { SatisfactionCallback, type HumanCallbackPort, type SatisfactionCallbackConfig, type SurveyHandoff, type SurveySmsPort } from '../callback/index.js';
import type { CallRegistry, DomainEventBus } from '../calls/index.js';
import type { TicketEventHub } from '../crm-bridge/index.js';
import type { ApiAuth } from '../http/auth.js';
import { satisfactionCallbackRoutes } from '../http/routes/satisfaction-callbacks.js';
import type { QueuePort } from '../ivr/index.js';
import type { SmsService } from '../sms/index.js';
import type { HotlineConfig } from './config-schema.js';
import type { WiredAcd } from './wire-acd.js';
import type { WiredEmergency } from './wire-emergency.js';

export interface WiredCallback {
  survey: SatisfactionCallback;
  routes: FastifyPluginAsync[];
  start(registry: CallRegistry): void;
  stop(): void;
}

/** Without the dialplan's queue behind it: a survey call the ACD cannot take is told so by the flow's end. */
const noFallbackQueue: QueuePort = { enqueue: () => Promise.reject(new Error('the ACD could not take the survey call')) };

export function wireCallback(deps: {
  config: SatisfactionCallbackConfig;
  hotline: Pick<HotlineConfig, 'calendar' | 'ivr' | 'acd'>;
  redis: Redis;
  keyPrefix: string;
  ari: AriPort;
  bus: DomainEventBus;
  log: Logger;
  metrics: Registry;
  auth: ApiAuth;
  acd?: WiredAcd;
  emergency?: WiredEmergency;
  ticketEvents?: TicketEventHub;
  sms?: SmsService;
}): WiredCallback {
  const { config, acd, hotline } = deps;
  const survey = new SatisfactionCallback({
    config,
    calendar: hotline.calendar,
    redis: deps.redis,
    keyPrefix: deps.keyPrefix,
    ari: deps.ari,
    bus: deps.bus,
    log: deps.log,
    metrics: deps.metrics,
    handoff: handoff(deps),
    humanCallback: acd ? humanCallback(acd, config) : undefined,
    sms: deps.sms && config.sms ? smsPort(deps.sms) : undefined,
  });
  const offs: Array<() => void> = [];
  // Stored in Redis before the handler returns; a throw (Redis away) makes the bridge retry the event.
  if (deps.ticketEvents) {
    offs.push(
      deps.ticketEvents.on('ticket.closed', async (event) => void (await survey.ticketClosed(event))),
      deps.ticketEvents.on('ticket.supervised', async (event) => void (await survey.ticketSupervised(event))),
    );
  }
  return {
    survey,
    routes: [satisfactionCallbackRoutes({ surveys: survey, auth: deps.auth })],
    start: (registry) => survey.start(registry),
    stop() {
      for (const off of offs.splice(0)) off();
      survey.stop();
    },
  };
}

/** The emergency key goes to the IVR's emergency route; the agent key to an ACD queue. */
function handoff(deps: { config: SatisfactionCallbackConfig; hotline: Pick<HotlineConfig, 'ivr' | 'acd'>; acd?: WiredAcd; emergency?: WiredEmergency }): SurveyHandoff {
  const out: SurveyHandoff = {};
  const ivrEmergency = deps.hotline.ivr?.emergency;
  if (deps.emergency && ivrEmergency) {
    const { port } = deps.emergency;
    out.emergency = { key: ivrEmergency.key, transfer: (call) => port.transfer(call, { route: ivrEmergency.route }) };
  }
  const agent = deps.config.agent;
  if (deps.acd && agent) {
    const queue = deps.acd.queuePort(noFallbackQueue);
    const skill = deps.hotline.acd?.queues[agent.queue]?.skill ?? agent.queue;
    out.agent = { key: agent.key, connect: (call) => queue.enqueue(call, { queue: agent.queue, skill, priority: agent.priority, line: call.line, reason: 'menu' }) };
  }
  return out;
}

/** A dissatisfied citizen: the ACD's callback job of kind `satisfaction`, an agent reserved before the citizen is called. */
function humanCallback(acd: WiredAcd, config: SatisfactionCallbackConfig): HumanCallbackPort {
  return {
    async schedule(request) {
      const result = await acd.callbacks.scheduleSatisfaction({ ...request, queue: config.humanCallback.queue, priority: config.humanCallback.priority }, Date.now());
      return result.result === 'scheduled' || result.result === 'already' ? result.jobId : null;
    },
  };
}

/** The survey text through the SMS part (purpose `survey`); a text it will not send (opted out, daily cap) is no survey. */
function smsPort(sms: SmsService): SurveySmsPort {
  return {
    async send(message) {
      const sent = await sms.send({ to: message.to, ticketNumber: message.ticketNumber, purpose: 'survey', idempotencyKey: message.idempotencyKey, text: message.text });
      if (!sent.accepted && sent.reason !== 'duplicate') throw new Error(`the survey SMS was not sent: ${sent.reason ?? sent.state}`);
    },
    onReply: (handler) => sms.onReply((reply) => handler({ from: reply.from, text: reply.text, receivedAt: Date.parse(reply.receivedAt) })),
  };
}
