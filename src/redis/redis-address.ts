/**
 * Where Redis is, as one string (REDIS_URL), so every part that opens a connection takes it
 * as it is and none needs to know whether Sentinel is in front:
 *
 *   redis://[[user]:password@]host:port[/db]          one server (ioredis parses it)
 *   rediss://…                                        the same over TLS
 *   redis-sentinel://[[user]:password@]host:port[,host:port…]/<master>[/db][?sentinelPassword=…&sentinelUsername=…]
 *                                                     the master of the group <master> as the
 *                                                     Sentinels tell it, followed across failovers
 *
 * user and password (URL-encoded) are the data servers'; Sentinels with their own
 * requirepass take `sentinelPassword`. The Sentinel list needs only some of them: ioredis
 * learns the others from those it reaches.
 */
import type { RedisOptions } from 'ioredis';
import { z } from 'zod';

export type RedisAddress =
  | { kind: 'server'; url: string }
  | {
      kind: 'sentinel';
      sentinels: Array<{ host: string; port: number }>;
      name: string;
      db: number;
      username?: string;
      password?: string;
      sentinelUsername?: string;
      sentinelPassword?: string;
    };

const SENTINEL_SCHEME = 'redis-sentinel://';
const HostPort = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const MasterName = /^[A-Za-z0-9._-]{1,64}$/;

/** The forms REDIS_URL may take, for the environment's schema. */
export const RedisUrlSchema = z.string().superRefine((url, ctx) => {
  try {
    parseRedisAddress(url);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

export function parseRedisAddress(url: string): RedisAddress {
  if (/^rediss?:\/\//.test(url)) return { kind: 'server', url };
  if (!url.startsWith(SENTINEL_SCHEME)) throw new Error('must start with redis://, rediss:// or redis-sentinel://');
  const rest = url.slice(SENTINEL_SCHEME.length);
  const [beforeQuery = '', query = ''] = splitOnce(rest, '?');
  const [authority = '', path = ''] = splitOnce(beforeQuery, '/');
  const at = authority.lastIndexOf('@');
  const credentials = at >= 0 ? authority.slice(0, at) : '';
  const hosts = at >= 0 ? authority.slice(at + 1) : authority;
  const sentinels = hosts.split(',').map((hostPort) => {
    const match = HostPort.exec(hostPort);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) throw new Error(`redis-sentinel://: "${hostPort}" is not host:port`);
    return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
  });
  const [name = '', db = '0', ...extra] = path.split('/');
  if (!MasterName.test(name)) throw new Error('redis-sentinel://: the path must name the master group, e.g. redis-sentinel://s1:26379,s2:26379/hotline');
  if (!/^\d{1,2}$/.test(db) || extra.length > 0) throw new Error('redis-sentinel://: after the master name only a database number may follow');
  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    if (key !== 'sentinelPassword' && key !== 'sentinelUsername') throw new Error(`redis-sentinel://: unknown parameter "${key}"`);
  }
  const [user = '', password = ''] = credentials ? splitOnce(credentials, ':') : [];
  return {
    kind: 'sentinel',
    sentinels,
    name,
    db: Number(db),
    ...(user ? { username: decodeURIComponent(user) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
    ...(params.get('sentinelUsername') ? { sentinelUsername: params.get('sentinelUsername')! } : {}),
    ...(params.get('sentinelPassword') ? { sentinelPassword: params.get('sentinelPassword')! } : {}),
  };
}

/** ioredis options for a Sentinel address: the master of the group, failovers followed as Sentinel announces them. */
export function sentinelOptions(address: Extract<RedisAddress, { kind: 'sentinel' }>): RedisOptions {
  const { kind: _kind, ...rest } = address;
  return {
    ...rest,
    role: 'master',
    // Subscribes to +switch-master: the client moves at the announcement, not at the next failed command.
    failoverDetector: true,
    // Keep asking: while a failover runs, the Sentinels may not name a master for a few seconds.
    sentinelRetryStrategy: (times) => Math.min(100 * times, 1000),
  };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}
