/**
 * Wires the IVR into the service: its flow factory, its caller stores and their operator
 * routes, the ticket-status look-up, and the start-up check of prompt files.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { CallFlowFactory } from '../calls/index.js';
import type { HotlineConfig } from './config-schema.js';
import type { ApiAuth } from '../http/auth.js';
import { callerRestrictionRoutes } from '../http/routes/caller-restrictions.js';
import { priorityCallerRoutes } from '../http/routes/priority-callers.js';
import { createIvrFlowFactory, createIvrMetrics, createIvrServices, reportMissingSounds, type IvrPorts, type TicketStatusLookup } from '../ivr/index.js';

/** With no ticket backend configured, self-service says so (an apology), never a made-up status. */
const noTicketBackend: TicketStatusLookup = {
  statusOf: () => Promise.reject(new Error('no ticket backend look-up is configured (crmBridge.lookup)')),
};

export function wireIvr(deps: {
  config: HotlineConfig;
  redis: Redis;
  keys: (...parts: string[]) => string;
  log: Logger;
  auth: ApiAuth;
  metrics: Registry;
  ticketStatus?: TicketStatusLookup;
  soundsDir?: string;
  /** Where terminal actions hand the call (the ACD's queue port, the dialplan for the rest). */
  ports?: IvrPorts;
}): { flows: CallFlowFactory; routes: FastifyPluginAsync[] } {
  const log = deps.log.child({ part: 'ivr' });
  const services = createIvrServices({ config: deps.config, redis: deps.redis, keyspace: deps.keys, log });
  if (deps.soundsDir) void reportMissingSounds(deps.config.prompts, deps.soundsDir, log);
  const flows = createIvrFlowFactory({
    config: deps.config,
    redis: deps.redis,
    keyspace: deps.keys,
    log,
    ticketStatus: deps.ticketStatus ?? noTicketBackend,
    services,
    metrics: createIvrMetrics(deps.metrics),
    ports: deps.ports,
  });
  const supervisor = deps.auth.require('supervisor');
  const hotlineNumbers = deps.config.hotline.numbers.map((n) => n.number);
  return {
    flows,
    routes: [
      priorityCallerRoutes({ store: services.priorityCallers, hotlineNumbers, guard: supervisor }),
      callerRestrictionRoutes({ store: services.restrictions, maxMinutes: services.ivr.restriction.maxFlagMinutes, hotlineNumbers, guard: supervisor }),
    ],
  };
}
