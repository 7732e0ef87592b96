/**
 * Wires the ACD into the service: its core over Redis, the engine that keeps callers from
 * the IVR's queue nodes to an agent, the live statistics, the agents' desk and the HTTP
 * routes of agents, queues and the wallboard. The IVR gets a queue port that serves the
 * caller in the ACD and hands them to the dialplan's queue when the ACD cannot take them.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import {
  AcdEngine,
  AgentDesk,
  checkSipSecret,
  createAcdCore,
  createAcdStats,
  createCallbackMetrics,
  createCallbackStore,
  NodeApps,
  OfferHandOff,
  placeOffer,
  redisWaitingCalls,
  sipCredentials,
  type AcdConfig,
  type AcdCore,
  type AcdStats,
  type CallbackStore,
} from '../acd/index.js';
import type { AriPort } from '../ari/index.js';
import type { CallRegistry, DomainEventBus, FlowResult } from '../calls/index.js';
import { ConfigError } from '../config/config-error.js';
import type { ApiAuth } from '../http/auth.js';
import { HTTP_ERRORS, HttpProblem } from '../http/errors.js';
import { acdAgentRoutes } from '../http/routes/acd-agents.js';
import { WrapUpDispositions, createDispositionMetrics } from '../acd/dispositions/index.js';
import { acdLiveRoutes } from '../http/routes/acd-live.js';
import { acdAgentLiveRoutes } from '../http/routes/acd-agent-live.js';
import { acdStatsHistoryRoutes } from '../http/routes/acd-stats-history.js';
import { createLiveChanges } from '../acd/live-changes/index.js';
import type { AgentStateChanged, ServeRequest } from '../acd/index.js';
import { acdQueueRoutes } from '../http/routes/acd-queues.js';
import { acdSupervisionRoutes } from '../http/routes/acd-supervision.js';
import { acdCallbackRoutes } from '../http/routes/acd-callbacks.js';
import { acdEmergencyTransferRoutes } from '../http/routes/acd-emergency-transfer.js';
import { acdAgentTransferRoutes } from '../http/routes/acd-agent-transfer.js';
import { acdScreenPopRoutes } from '../http/routes/acd-screen-pop.js';
import type { CallRecordReader, CallerLookups } from '../acd/screen-pop/index.js';
import { Supervision } from '../acd/index.js';
import type { CallbackRequestPort, QueuePort, QueueRequest } from '../ivr/index.js';
import type { CalendarConfig } from '../calendar/index.js';
import { LastGoodSample } from '../shared/last-good-sample.js';

export interface WiredAcd {
  core: AcdCore;
  engine: AcdEngine;
  stats: AcdStats;
  desk: AgentDesk;
  supervision: Supervision;
  callbacks: CallbackStore;
  routes: FastifyPluginAsync[];
  /** The IVR's queue port over the ACD, with the dialplan's queue as the fallback. */
  queuePort(fallback: QueuePort): QueuePort;
  /** The IVR's callback requests (called when closed) as missed calls to call back, the dialplan as the fallback. */
  callbackRequestPort(fallback: CallbackRequestPort): CallbackRequestPort;
  /** Starts routing once the call registry runs (the engine hears agent legs through it). */
  start(registry: CallRegistry): void;
  stop(): Promise<void>;
}

export function wireAcd(deps: {
  config: AcdConfig;
  redisUrl: string;
  keyPrefix: string;
  ari: AriPort;
  bus: DomainEventBus;
  log: Logger;
  auth: ApiAuth;
  metrics: Registry;
  agentSipSecret?: string;
  /** The shared calendar: callbacks are placed in its calling hours, "today" is its local day. */
  calendar?: CalendarConfig;
  /** The screen pop's call records (the calls' live store) and the ticket backend's look-ups (none: the pop says so). */
  screenPop?: { records: CallRecordReader; lookups?: CallerLookups };
  /** The emergency routes agents may transfer to or consult (id and label, in the config's order). */
  emergencyRoutes?: Array<{ route: string; label: string }>;
}): WiredAcd {
  const { config, log, metrics } = deps;
  const secret = config.softphones ? sipSecret(deps.agentSipSecret) : undefined;
  const core = createAcdCore({ config, redisUrl: deps.redisUrl, keyPrefix: deps.keyPrefix, log, registry: metrics });
  const callbackMetrics = createCallbackMetrics(metrics);
  const callbackStore = createCallbackStore({ redis: core.redis, keyPrefix: deps.keyPrefix, config: config.callbacks, calendar: deps.calendar, metrics: callbackMetrics });
  const pendingCallbacks = new LastGoodSample({ read: async () => (await callbackStore.pending(0)).count, everyMs: 5000, log, what: 'callbacks pending' });
  // Agent changes and recorded figures, told to every instance's desks and wallboards as they happen.
  const changes = createLiveChanges({ redisUrl: deps.redisUrl, keyPrefix: deps.keyPrefix, publisher: core.redis, log });
  const stats = createAcdStats({ redis: core.redis, keys: deps.keyPrefix, config, log, registry: metrics, timeZone: deps.calendar?.timeZone, callbacksPending: () => pendingCallbacks.value(), onRecorded: () => changes.figuresChanged() });
  changes.onRemoteChange(() => stats.notify());
  // One call.disposition per wrap-up, sent by the change that ends it.
  const dispositionMetrics = createDispositionMetrics(metrics);
  const dispositions = new WrapUpDispositions({ redis: core.redis, keys: core.keys, dispositions: config.dispositions, bus: deps.bus, metrics: dispositionMetrics, log });
  const onAgentChange = (event: AgentStateChanged) => {
    stats.notify();
    dispositions.agentChanged(event);
    changes.agentChanged(event);
  };
  // Picks of callers held by another Asterisk node's app go to that app's instance; this one takes its own app's.
  const nodeApps = new NodeApps({ own: deps.ari.app, list: deps.ari.listApplications?.bind(deps.ari), now: Date.now });
  const handOff = new OfferHandOff({ redisUrl: deps.redisUrl, keyPrefix: deps.keyPrefix, redis: core.redis, app: deps.ari.app, nodeApps, canPlace: () => deps.ari.isConnected(), log, metrics });
  const engine = new AcdEngine({ core, ari: deps.ari, bus: deps.bus, log, stats: stats.recorder, callbacks: callbackStore, callbackStore, onAgentChange, handOff });
  const acdLog = log.child({ part: 'acd' });
  const placeHandedOffer = placeOffer.bind(null, { ari: deps.ari, config, agents: core.agents, calls: core.calls, now: Date.now, changed: (e) => engine.changed(e), log: acdLog, route: () => engine.route() });
  const desk = new AgentDesk({ store: core.agents, redis: core.redis, keys: core.keys, skills: config.skills, changed: (event) => engine.changed(event) });
  const supervision = new Supervision({ ari: deps.ari, agents: core.agents, redis: core.redis, keyPrefix: deps.keyPrefix, log, agentsVia: config.agentsVia });
  const fallbacks = new Counter({
    name: 'hotline_acd_fallbacks_total',
    help: 'Callers the ACD could not take (Redis unreachable), handed to the dialplan queue instead',
    registers: [metrics],
  });
  // A callback asked for outside any queue (the line was closed) reserves agents of this queue.
  const missedQueue = config.callbacks.queue ?? Object.keys(config.queues)[0]!;
  const credentials = (endpoint: string) => {
    if (!config.softphones || !secret) throw new HttpProblem(HTTP_ERRORS.notFound, 'no softphone settings are configured (acd.softphones)');
    return sipCredentials(endpoint, { ...config.softphones, secret });
  };
  return {
    core,
    engine,
    stats,
    desk,
    supervision,
    callbacks: callbackStore,
    routes: [
      acdAgentRoutes({ desk, credentials, auth: deps.auth, dispositions, notReadyReasons: config.notReadyReasons }),
      acdQueueRoutes({ queuesConfig: config.queues, waiting: redisWaitingCalls({ redis: core.redis, keys: core.keys, calls: core.calls }), auth: deps.auth }),
      acdLiveRoutes({ stats, auth: deps.auth }),
      acdStatsHistoryRoutes({ stats, auth: deps.auth }),
      acdAgentLiveRoutes({ desk, changes, auth: deps.auth }),
      acdSupervisionRoutes({ supervision, auth: deps.auth }),
      acdCallbackRoutes({ callbacks: callbackStore, auth: deps.auth }),
      acdEmergencyTransferRoutes({ engine, routes: deps.emergencyRoutes ?? [], auth: deps.auth }),
      acdAgentTransferRoutes({ engine, desk, auth: deps.auth }),
      ...(deps.screenPop ? [acdScreenPopRoutes({ desk, ...deps.screenPop, config: config.screenPop, auth: deps.auth })] : []),
    ],
    callbackRequestPort: (fallback) => ({
      // Called when closed: a missed call, called back in the next calling window (once a day).
      async request(call, request) {
        const now = Date.now();
        try {
          const taken = await callbackStore.scheduleMissed({ callId: call.callId, number: call.caller.number, queue: missedQueue, missedAt: now, reason: 'closed' }, now);
          call.log.info({ taken: taken.result }, 'closed: a callback is scheduled for the missed call');
          return { then: 'hangup', outcome: 'completed' };
        } catch (err) {
          call.log.error({ err }, 'callback not scheduled; handing the request to the dialplan');
          return fallback.request(call, request);
        }
      },
    }),
    queuePort: (fallback) => ({
      async enqueue(call, request) {
        const served = await engine.serve(call, serveRequest(request, () => fallback.enqueue(call, request)));
        if (served.taken) return served.result;
        fallbacks.inc();
        call.log.warn({ reason: served.reason, queue: request.queue }, 'the ACD could not take the caller; handing them to the dialplan queue');
        call.noteQueue({ queue: request.queue, result: 'fallback' });
        return fallback.enqueue(call, request);
      },
      // A caller a dead run of this app left in the ACD (waiting, ringing an agent, talking): carried on.
      async resume(call, request) {
        const served = await engine.resume(call, serveRequest(request, () => fallback.enqueue(call, request)));
        if (!served) return undefined;
        return served.taken ? served.result : fallback.enqueue(call, request);
      },
    }),
    start(registry) {
      // Before routing starts: this instance's callers may be picked on another node at once.
      handOff.start(placeHandedOffer);
      engine.start(registry);
      supervision.attach(registry);
      core.start();
      stats.start();
      changes.start();
      pendingCallbacks.start();
    },
    async stop() {
      // Supervisors' legs are hung up while Asterisk is still reachable.
      await supervision.close();
      await engine.stop();
      handOff.stop();
      handOff.unregister();
      stats.stop();
      changes.stop();
      pendingCallbacks.stop();
      metrics.removeSingleMetric('hotline_acd_fallbacks_total');
      callbackMetrics.unregister();
      dispositionMetrics.unregister();
      await core.stop();
    },
  };
}

function sipSecret(value: string | undefined): string {
  try {
    return checkSipSecret(value);
  } catch (err) {
    throw new ConfigError('environment', [{ path: 'env.AGENT_SIP_SECRET', reason: (err as Error).message }]);
  }
}

/** What the ACD needs of the menu's queue request, with the dialplan's queue as where it goes when the ACD cannot keep it. */
function serveRequest(request: QueueRequest, fallback: () => Promise<FlowResult>): ServeRequest {
  return { queue: request.queue, skill: request.skill, priority: request.priority, emergency: request.emergency, fallback };
}
