/**
 * The one place Redis connections are made. Every part of the service gets its client
 * from here and names its keys through `keyspace`, so one prefix from config separates
 * deployments (and test runs) sharing a server.
 *
 * Redis is a dependency that may be absent: answering a call and the emergency path never
 * wait on it. So a command fails fast instead of waiting for Redis to come back — it has
 * `commandTimeout` to be answered and survives at most one reconnect attempt in ioredis's
 * offline queue (which, bounded in time, stays bounded in size). Callers decide what a
 * failure means: fail open (look-ups), retry from their own bounded buffer (the outbox),
 * or answer 503 (operator APIs).
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { withTimeout } from '../shared/with-timeout.js';
import { backoffMs } from '../shared/backoff.js';
import { parseRedisAddress, sentinelOptions } from './redis-address.js';

export interface RedisSettings {
  /** redis://, rediss:// or redis-sentinel:// (redis-address.ts). */
  url: string;
  keyPrefix: string;
  /** Where connection errors go (ioredis otherwise prints raw "Unhandled error event" lines). */
  log?: Logger;
  /** Names the connection in its log lines, e.g. `crm-bridge` or `crm-bridge-reader`. */
  name?: string;
}

/** A command not answered in this long fails: Redis is slow or away, and nobody waits on it. */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;
/** Connection errors of one client are logged at most this often (a down Redis errors every retry). */
const ERROR_LOG_INTERVAL_MS = 10_000;

/** A client for commands: each fails within about a second when Redis does not answer. */
export function createRedis(settings: RedisSettings, options: RedisOptions = {}): Redis {
  const address = parseRedisAddress(settings.url);
  const own: RedisOptions = {
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2000,
    enableReadyCheck: true,
    lazyConnect: false,
    // Reconnect forever, quickly at first, at most every 2 s: Redis is back when it is back.
    retryStrategy: (times) => backoffMs(times, 100, 2000),
    ...options,
  };
  const client = address.kind === 'server' ? new Redis(settings.url, own) : new Redis({ ...sentinelOptions(address), ...own });
  logConnectionErrors(client, settings);
  return client;
}

/**
 * A connection for blocking reads (XREADGROUP … BLOCK): its own, since a blocking read stalls
 * every other command on the connection, and with a timeout that outlasts the longest block.
 */
export function createBlockingRedis(settings: RedisSettings, longestBlockMs: number, options: RedisOptions = {}): Redis {
  return createRedis(settings, { commandTimeout: longestBlockMs + REDIS_COMMAND_TIMEOUT_MS, ...options });
}

function logConnectionErrors(client: Redis, settings: RedisSettings): void {
  let lastLoggedAt = 0;
  let suppressed = 0;
  const log = settings.log?.child({ redis: settings.name ?? 'main' });
  client.on('error', (err: Error) => {
    const now = Date.now();
    if (now - lastLoggedAt < ERROR_LOG_INTERVAL_MS) {
      suppressed++;
      return;
    }
    log?.warn({ err: { message: err.message, code: (err as NodeJS.ErrnoException).code }, repeatedSinceLastLine: suppressed }, 'redis connection error');
    lastLoggedAt = now;
    suppressed = 0;
  });
  client.on('ready', () => {
    if (lastLoggedAt > 0) log?.info('redis connection ready again');
    lastLoggedAt = 0;
    suppressed = 0;
  });
}

/** Builds the full key for a part's own names: keyspace('hotline:')('calls', id) → 'hotline:calls:<id>'. */
export function keyspace(prefix: string): (...parts: string[]) => string {
  return (...parts) => prefix + parts.join(':');
}

/** True when PING answers within `timeoutMs`, false otherwise: what /readyz asks. */
export async function redisAnswers(redis: Redis, timeoutMs = 1000): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  try {
    return (await withTimeout(redis.ping(), timeoutMs, 'redis ping')) === 'PONG';
  } catch {
    return false;
  }
}
