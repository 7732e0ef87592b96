/**
 * The one place Redis connections are made. Every part of the service gets its client
 * from here and names its keys through `keyspace`, so one prefix from config separates
 * deployments (and test runs) sharing a server.
 */
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisSettings {
  url: string;
  keyPrefix: string;
}

/**
 * A client for commands. `maxRetriesPerRequest: null` is what BullMQ requires of the
 * connections it is given, and makes commands wait out a short Redis blip instead of failing.
 */
export function createRedis(settings: RedisSettings, options: RedisOptions = {}): Redis {
  return new Redis(settings.url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: false,
    ...options,
  });
}

/** Builds the full key for a part's own names: keyspace('hotline:')('calls', id) → 'hotline:calls:<id>'. */
export function keyspace(prefix: string): (...parts: string[]) => string {
  return (...parts) => prefix + parts.join(':');
}

/** Resolves when PING answers within `timeoutMs`, false otherwise: what /readyz asks. */
export async function redisAnswers(redis: Redis, timeoutMs = 1000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const pong = await Promise.race([
      redis.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return pong === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
