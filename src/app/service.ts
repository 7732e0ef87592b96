/**
 * Composition of the running service: Redis, the domain event bus, the call registry on the
 * ARI port, the features that subscribe, and the HTTP server. `main.ts` (and the demo, and
 * the integration tests) start it through here, so all three run the same service.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AriPort } from '../ari/port.js';
import type { CallFlowFactory } from '../calls/call-flow.js';
import { registerCallMetrics } from '../calls/call-metrics.js';
import { CallRegistry } from '../calls/call-registry.js';
import { DomainEventBus } from '../calls/event-bus.js';
import { LiveCallStore } from '../calls/live-call-store.js';
import { PromptCatalog } from '../calls/prompt-catalog.js';
import { welcomeFlow } from '../calls/welcome-flow.js';
import type { ApiToken } from '../config/api-tokens.js';
import type { Env } from '../config/env.js';
import type { HotlineConfig } from './config-schema.js';
import { createCrmBridge } from '../crm-bridge/index.js';
import { ApiAuth } from '../http/auth.js';
import { crmBridgeAdminRoutes } from '../http/routes/crm-bridge-admin.js';
import { healthRoutes } from '../http/routes/health.js';
import { ticketWebhookRoutes } from '../http/routes/ticket-webhooks.js';
import { buildHttpServer } from '../http/server.js';
import { wireIvr } from './wire-ivr.js';
import { createMetricsRegistry } from '../metrics/registry.js';
import { createRedis, keyspace } from '../redis/connection.js';
import type { CrmBridge } from '../crm-bridge/index.js';

export interface HotlineServiceOptions {
  env: Pick<Env, 'REDIS_URL' | 'REDIS_KEY_PREFIX' | 'HTTP_HOST' | 'HTTP_PORT'> & Partial<Pick<Env, 'SOUNDS_DIR'>>;
  config: HotlineConfig;
  ari: AriPort;
  log: Logger;
  /** Picks each call's flow; by default the IVR menu when configured, else the welcome prompt. */
  flows?: CallFlowFactory;
  /** The secrets the crmBridge section names (see readCrmSecrets); required when it is configured. */
  crmSecrets?: Record<string, string>;
  /** Bearer tokens of the operator APIs; none: those APIs refuse everyone. */
  apiTokens?: ApiToken[];
}

export interface HotlineService {
  readonly http: FastifyInstance;
  /** Base URL the HTTP server listens on. */
  readonly url: string;
  readonly calls: CallRegistry;
  readonly bus: DomainEventBus;
  readonly redis: Redis;
  readonly metrics: Registry;
  /** Present when the hotline config has a crmBridge section. */
  readonly crmBridge?: CrmBridge;
  /** Stops taking calls, lets live ones finish for `graceMs`, then closes everything. */
  shutdown(graceMs: number): Promise<void>;
}

export async function startHotlineService(options: HotlineServiceOptions): Promise<HotlineService> {
  const { env, config, ari, log } = options;
  const redis = createRedis({ url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX });
  const keys = keyspace(env.REDIS_KEY_PREFIX);
  const bus = new DomainEventBus(log.child({ part: 'bus' }));
  const metrics = createMetricsRegistry();
  const auth = new ApiAuth(options.apiTokens ?? [], log.child({ part: 'api-auth' }));
  const plugins: FastifyPluginAsync[] = [];

  // Subscribed to the bus from here on, before any call: no event goes unrecorded.
  const crmBridge = config.crmBridge
    ? createCrmBridge({
        config: config.crmBridge,
        redisUrl: env.REDIS_URL,
        keyPrefix: env.REDIS_KEY_PREFIX,
        bus,
        log,
        secrets: options.crmSecrets ?? {},
        registry: metrics,
      })
    : undefined;
  if (crmBridge) {
    plugins.push(crmBridgeAdminRoutes({ bridge: crmBridge, preHandler: auth.require('supervisor') }));
    // Webhooks carry their own HMAC signature: no bearer token.
    if (crmBridge.inbound) plugins.push(ticketWebhookRoutes({ inbound: crmBridge.inbound }));
  }

  let flows = options.flows;
  if (!flows && config.ivr) {
    const ivr = wireIvr({ config, redis, keys, log, auth, ticketStatus: crmBridge?.ticketClient, soundsDir: env.SOUNDS_DIR });
    flows = ivr.flows;
    plugins.push(...ivr.routes);
  }

  const calls = new CallRegistry({
    ari,
    bus,
    log: log.child({ part: 'calls' }),
    config,
    prompts: new PromptCatalog(config.prompts),
    flows: flows ?? (() => welcomeFlow(config.calls.welcomePrompt)),
    store: new LiveCallStore(redis, keys, log.child({ part: 'live-calls' })),
  });
  const stopCallMetrics = registerCallMetrics(bus, metrics, () => calls.size);
  plugins.unshift(healthRoutes({ ari, redis, metrics, isDraining: () => calls.isDraining }));

  const http = await buildHttpServer({ log, plugins });
  await crmBridge?.start();
  const url = await http.listen({ host: env.HTTP_HOST, port: env.HTTP_PORT });
  calls.start();
  log.info({ url, app: ari.app, ivr: Boolean(config.ivr && !options.flows), crmBridge: Boolean(crmBridge) }, 'hotline service started');

  let stopping: Promise<void> | undefined;
  const shutdown = (graceMs: number): Promise<void> =>
    (stopping ??= (async () => {
      log.info({ graceMs, activeCalls: calls.size }, 'shutting down: no new calls');
      await calls.drain(graceMs);
      calls.stop();
      stopCallMetrics();
      await http.close();
      await crmBridge?.stop();
      await ari.close();
      await redis.quit().catch(() => redis.disconnect());
      log.info('shutdown complete');
    })());

  return { http, url, calls, bus, redis, metrics, crmBridge, shutdown };
}
