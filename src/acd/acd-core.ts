/**
 * Assembles the ACD's core over one Redis connection: the agent store, the call queue, the
 * router, and the background sample of agents by state behind the metrics. What offers
 * calls over ARI, runs wrap-up timers and publishes `agent.state-changed` is built on top.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { register as globalRegister, type Registry } from 'prom-client';
import { createRedis } from '../redis/connection.js';
import { LastGoodSample } from '../shared/last-good-sample.js';
import type { AgentStateKind } from './agent-state.js';
import { AgentStore } from './agent-store.js';
import { CallQueue } from './call-queue.js';
import { AcdConfigSchema, type AcdConfig, type AcdConfigInput } from './config-schema.js';
import { acdKeys, type AcdKeys } from './keys.js';
import { createAcdMetrics } from './metrics.js';
import { Router } from './router.js';

export interface AcdCoreOptions {
  /** The `acd` section of the hotline config (parsed, or raw: defaults are filled here). */
  config: AcdConfig | AcdConfigInput;
  redisUrl: string;
  keyPrefix: string;
  log: Logger;
  /** Where the metrics go; prom-client's global registry when absent. */
  registry?: Registry;
  /** How often agents by state are read from Redis for the metrics. */
  sampleEveryMs?: number;
}

export interface AcdCore {
  readonly config: AcdConfig;
  /** The ACD's own connection (fail-fast: a command waits at most its timeout). */
  readonly redis: Redis;
  readonly keys: AcdKeys;
  readonly agents: AgentStore;
  readonly calls: CallQueue;
  readonly router: Router;
  /** Agents by state as last sampled; null before the first sample answered. */
  agentCounts(): Record<AgentStateKind, number> | null;
  start(): void;
  stop(): Promise<void>;
}

export function createAcdCore(options: AcdCoreOptions): AcdCore {
  const config = AcdConfigSchema.parse(options.config);
  const log = options.log.child({ part: 'acd' });
  const redis = createRedis({ url: options.redisUrl, keyPrefix: options.keyPrefix, log, name: 'acd' });
  const keys = acdKeys(options.keyPrefix);
  const agents = new AgentStore({ redis, keys, config });
  const sampler = new LastGoodSample({ read: () => agents.countByState(), everyMs: options.sampleEveryMs ?? 5000, log, what: 'agents by state' });
  const metrics = createAcdMetrics(options.registry ?? globalRegister, () => sampler.value());
  return {
    config,
    redis,
    keys,
    agents,
    calls: new CallQueue(redis, keys, config),
    router: new Router(redis, keys, config, metrics),
    agentCounts: () => sampler.value(),
    start: () => sampler.start(),
    async stop() {
      sampler.stop();
      metrics.unregister();
      redis.disconnect();
    },
  };
}
