/**
 * Vitest global setup: every test run gets a real Redis — a private one (free port, no
 * persistence) when `redis-server` is on the PATH, else `REDIS_URL` as it is.
 */
import type { TestProject } from 'vitest/node';
import type {} from 'vitest';
import { startPrivateRedis } from '../../bench/support/private-redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const redis = await startPrivateRedis();
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}
