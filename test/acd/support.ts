/** One ACD over a Redis connection under a test's own prefix, and the config the routing tests share. */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AcdConfigSchema, AgentStore, CallQueue, Router, acdKeys, type AcdConfig, type AcdConfigInput } from '../../src/acd/index.js';

export const T0 = 1_764_000_000_000;

export const routingConfig: AcdConfigInput = {
  skills: ['general', 'enterprise', 'leaders'],
  notReadyReasons: { lunch: { label: '午休' } },
  queues: {
    general: {
      skill: 'general',
      minLevel: 5,
      widening: [{ afterSeconds: 30, minLevel: 3 }, { afterSeconds: 60, skill: 'enterprise', minLevel: 7 }],
      missesBeforePause: 1,
    },
    enterprise: { skill: 'enterprise', missesBeforePause: 2, wrapUpSeconds: 0 },
    leaders: { skill: 'leaders', kind: 'guest' },
  },
};

export interface TestAcd {
  config: AcdConfig;
  store: AgentStore;
  calls: CallQueue;
  router: Router;
  prefix: string;
}

export function testAcd(redis: Redis, prefix = `acd-test-${randomUUID()}:`, input: AcdConfigInput = routingConfig): TestAcd {
  const config = AcdConfigSchema.parse(input);
  const keys = acdKeys(prefix);
  return {
    config,
    prefix,
    store: new AgentStore({ redis, keys, config }),
    calls: new CallQueue(redis, keys, config),
    router: new Router(redis, keys, config),
  };
}

/** An agent with general skill at `level` (and other skills), logged in at `at`. */
export function agent(id: string, skills: Record<string, number>, kind: 'regular' | 'guest' = 'regular') {
  return { id, displayName: `Agent ${id}`, endpoint: `PJSIP/${id}`, skills, kind };
}
