/**
 * Wires the ticket backend bridge: subscribed to the bus at once (nothing published before it
 * starts is missed), started in the background since it needs Redis, its admin routes and
 * the signed webhook door, and its readiness.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DomainEventBus } from '../calls/index.js';
import { createCrmBridge, type CrmBridge, type CrmBridgeConfig } from '../crm-bridge/index.js';
import type { ApiAuth } from '../http/auth.js';
import { crmBridgeAdminRoutes } from '../http/routes/crm-bridge-admin.js';
import { ticketWebhookRoutes } from '../http/routes/ticket-webhooks.js';
import { startInBackground, type BackgroundStart } from './background-start.js';
import type { CheckResult } from './readiness.js';

export interface WiredCrmBridge {
  bridge: CrmBridge;
  routes: FastifyPluginAsync[];
  start(): BackgroundStart;
  readiness(): CheckResult;
}

export function wireCrmBridge(deps: {
  config: CrmBridgeConfig;
  redisUrl: string;
  keyPrefix: string;
  bus: DomainEventBus;
  log: Logger;
  secrets: Record<string, string>;
  registry: Registry;
  auth: ApiAuth;
}): WiredCrmBridge {
  const bridge = createCrmBridge({
    config: deps.config,
    redisUrl: deps.redisUrl,
    keyPrefix: deps.keyPrefix,
    bus: deps.bus,
    log: deps.log,
    secrets: deps.secrets,
    registry: deps.registry,
  });
  const routes: FastifyPluginAsync[] = [crmBridgeAdminRoutes({ bridge, guard: deps.auth.require('supervisor') })];
  // Webhooks carry their own HMAC signature: no bearer token.
  if (bridge.inbound) routes.push(ticketWebhookRoutes({ inbound: bridge.inbound }));
  let starting: BackgroundStart | undefined;
  return {
    bridge,
    routes,
    start: () => (starting ??= startInBackground('crm-bridge', () => bridge.start(), deps.log)),
    readiness() {
      if (!starting?.started) return starting?.check() ?? { ok: false, reason: 'crm-bridge not started' };
      // The bridge's own view of delivery (stuck sinks, groups it cannot make), answered from memory.
      return bridge.readiness();
    },
  };
}
