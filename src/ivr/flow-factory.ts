/**
 * Builds the IVR flow for the calls of a hotline: the pure engine's program from the
 * config, the caller look-ups (priority list, restrictions) over Redis, and the ports of
 * the terminal actions (by default the dialplan hand-off).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { WorkingDayCalendar } from '../calendar/index.js';
import type { CallFlowFactory } from '../calls/index.js';
import type { CalendarConfig } from '../calendar/index.js';
import type { HotlineSection, PromptsConfig } from '../calls/index.js';
import { CallerRestrictionStore } from './callers/caller-restrictions.js';
import { classifyCaller, type Classification } from './callers/classify-caller.js';
import { PriorityCallerStore } from './callers/priority-callers.js';
import type { IvrConfig } from './config-schema.js';
import { createDialplanHandoff } from './dialplan-handoff.js';
import type { EngineProgram } from './engine/menu-engine.js';
import { IvrMenuMissingError } from './errors.js';
import type { IvrPorts } from './ports/handoff.js';
import type { TicketStatusLookup } from './ports/ticket-status.js';
import { ivrKeys, type Keyspace } from './keys.js';
import type { IvrMetrics } from './metrics.js';
import { IvrFlow } from './runner.js';

/** The sections of the hotline config the IVR reads. */
export interface IvrConfigView {
  hotline: HotlineSection;
  prompts: PromptsConfig;
  calendar?: CalendarConfig | undefined;
  ivr?: IvrConfig | undefined;
  /** The ACD's queues: a queue node naming no skill asks for its queue's. */
  acd?: { queues: Record<string, { skill: string }> } | undefined;
}

export interface IvrServicesDeps {
  config: IvrConfigView;
  redis: Redis;
  keyspace: Keyspace;
  log: Logger;
  clock?: () => Date;
}

/** The stores behind the IVR's caller look-ups; the HTTP routes manage the same ones. */
export interface IvrServices {
  ivr: IvrConfig;
  priorityCallers: PriorityCallerStore;
  restrictions: CallerRestrictionStore;
}

export function createIvrServices(deps: IvrServicesDeps): IvrServices {
  const ivr = deps.config.ivr;
  if (!ivr) throw new IvrMenuMissingError();
  const keys = ivrKeys(deps.keyspace);
  return {
    ivr,
    priorityCallers: new PriorityCallerStore(deps.redis, keys, ivr.priorityCallers.numbers),
    restrictions: new CallerRestrictionStore(deps.redis, keys, ivr.restriction, deps.log.child({ part: 'caller-restrictions' }), deps.clock),
  };
}

export interface IvrFlowFactoryDeps extends IvrServicesDeps {
  ticketStatus: TicketStatusLookup;
  /** Where the IVR counts classifications and look-ups that failed open. */
  metrics?: IvrMetrics;
  /** Where terminal actions hand the call; defaults to the dialplan hand-off of `ivr.dialplan.context`. */
  ports?: IvrPorts;
  /** Shares the stores with the HTTP routes; made from redis + keyspace when absent. */
  services?: IvrServices;
}

export function buildEngineProgram(config: IvrConfigView): EngineProgram {
  const ivr = config.ivr;
  if (!ivr) throw new IvrMenuMissingError();
  const calendar = config.calendar ? new WorkingDayCalendar(config.calendar) : undefined;
  return {
    ivr,
    defaultLine: config.hotline.defaultLine,
    // The start-up checks refuse an hours node without a calendar; closed is the safe answer otherwise.
    isOpen: (schedule, at) => calendar?.isOpen(schedule, at) ?? false,
  };
}

export function createIvrFlowFactory(deps: IvrFlowFactoryDeps): CallFlowFactory {
  const services = deps.services ?? createIvrServices(deps);
  const ivr = services.ivr;
  const clock = deps.clock ?? (() => new Date());
  const program = buildEngineProgram(deps.config);
  const ports = deps.ports ?? createDialplanHandoff({ context: ivr.dialplan.context });
  const queueSkills = Object.fromEntries(Object.entries(deps.config.acd?.queues ?? {}).map(([name, q]) => [name, q.skill]));
  const flow = new IvrFlow({
    program,
    clock,
    actions: {
      ports,
      ticketStatus: deps.ticketStatus,
      ticketStatusConfig: ivr.ticketStatus,
      queueSkills,
      prompts: { fault: ivr.faultPrompt, emergencyFailed: ivr.emergency.failedPrompt },
      emergency: { key: ivr.emergency.key, route: ivr.emergency.route },
      log: deps.log,
    },
    classify: async (call): Promise<Classification> => {
      const who = await classifyCaller(call.caller.number, call.callId, {
        priority: services.priorityCallers,
        restrictions: services.restrictions,
        priorityTimeoutMs: ivr.priorityCallers.lookupTimeoutMs,
        restrictionTimeoutMs: ivr.restriction.lookupTimeoutMs,
        log: call.log,
      });
      deps.metrics?.callerClassified(who.caller);
      for (const lookup of who.degraded) deps.metrics?.lookupDegraded(lookup);
      return who;
    },
  });
  // The flow keeps no per-call state: one instance serves every call.
  return () => flow;
}
