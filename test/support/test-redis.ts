/**
 * A Redis client on the test run's private server for one test file, closed after the
 * file's tests. Keys are the tests' own business: use a unique prefix per test.
 */
import { Redis } from 'ioredis';
import { afterAll, inject } from 'vitest';

export function useTestRedis(): Redis {
  const redis = new Redis(inject('redisUrl'), { lazyConnect: true, maxRetriesPerRequest: null });
  afterAll(async () => {
    await redis.quit();
  });
  return redis;
}
