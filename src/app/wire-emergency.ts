/**
 * Wires the emergency linkage into the service: the IVR's emergency port dials the route's
 * targets over ARI itself (failover, receipt), and when none answers the caller is queued for
 * an agent at top priority. Needs nothing but Asterisk: no Redis, no ticket backend.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AriPort } from '../ari/index.js';
import type { CallContext, CallRegistry, FlowResult } from '../calls/index.js';
import { createEmergencyMetrics, EmergencyLinkage, type EmergencyConfig } from '../emergency/index.js';
import { AFTER_FAILED_EMERGENCY_PRIORITY, type EmergencyPort, type QueuePort } from '../ivr/index.js';

export interface WiredEmergency {
  linkage: EmergencyLinkage;
  port: EmergencyPort;
  start(registry: CallRegistry): void;
  stop(): void;
}

export function wireEmergency(deps: {
  config: EmergencyConfig;
  ari: AriPort;
  log: Logger;
  metrics: Registry;
  failedPrompt: string;
  /** The queue port (the ACD, or the dialplan's queue) and the skill of `config.agentQueue`. */
  queue?: { port: QueuePort; skill: string };
}): WiredEmergency {
  const metrics = createEmergencyMetrics(deps.metrics);
  const { queue } = deps;
  const agentQueue = deps.config.agentQueue;
  const toAgent =
    queue && agentQueue
      ? (call: CallContext): Promise<FlowResult> =>
          queue.port.enqueue(call, { queue: agentQueue, skill: queue.skill, priority: AFTER_FAILED_EMERGENCY_PRIORITY, line: call.line, reason: 'menu' })
      : undefined;
  const linkage = new EmergencyLinkage({ ari: deps.ari, config: deps.config, failedPrompt: deps.failedPrompt, toAgent, metrics, log: deps.log.child({ part: 'emergency' }) });
  let detach: (() => void) | undefined;
  return {
    linkage,
    port: { transfer: (call, request) => linkage.transfer(call, request.route), resume: (call, request) => linkage.resume(call, request?.route) },
    start(registry) {
      detach = linkage.attach(registry);
    },
    stop() {
      detach?.();
      metrics.unregister();
    },
  };
}
