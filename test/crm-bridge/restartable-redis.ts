/**
 * The ticket-bridge tests' scene with a Redis of their own (test/support/redis-process.ts):
 * killed and started again empty on the same port, everything stopped after each test.
 */
import { afterEach } from 'vitest';
import { redisProcess, redisServerAvailable, type RedisProcess } from '../support/redis-process.js';
import type { CrmBridge } from '../../src/crm-bridge/index.js';
import type { ReferenceBackend } from '../../sim/ticket-backend/server.js';

export type RestartableRedis = RedisProcess;

/** What a test with its own Redis sets up; everything is stopped after each test, the bridge first. */
export interface OwnRedisScene {
  redis?: RestartableRedis;
  backend?: ReferenceBackend;
  bridge?: CrmBridge;
}

export function ownRedisScene(): OwnRedisScene {
  const scene: OwnRedisScene = {};
  afterEach(async () => {
    await scene.bridge?.stop();
    await scene.backend?.close();
    await scene.redis?.kill();
    delete scene.bridge;
    delete scene.backend;
    delete scene.redis;
  });
  return scene;
}

export { redisServerAvailable };

/** Started at once. */
export const startRestartableRedis = (): Promise<RestartableRedis> => redisProcess();
