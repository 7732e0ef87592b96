/**
 * REDIS_URL's three forms: one server, over TLS, or a Sentinel group's master; bad ones
 * refused with the reason.
 */
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.js';
import { parseRedisAddress, sentinelOptions } from '../../src/redis/redis-address.js';

describe('REDIS_URL', () => {
  it('takes one server as ioredis does', () => {
    expect(parseRedisAddress('redis://127.0.0.1:6379/2')).toEqual({ kind: 'server', url: 'redis://127.0.0.1:6379/2' });
    expect(parseRedisAddress('rediss://:pw@redis.internal:6380')).toEqual({ kind: 'server', url: 'rediss://:pw@redis.internal:6380' });
  });

  it('takes a Sentinel group: the Sentinels, the master name, database, credentials', () => {
    expect(parseRedisAddress('redis-sentinel://:s%40cret@10.0.0.1:26379,sentinel-b:26380,[::1]:26381/hotline/3?sentinelPassword=sp')).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: 'sentinel-b', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      name: 'hotline',
      db: 3,
      password: 's@cret',
      sentinelPassword: 'sp',
    });
    const options = sentinelOptions(parseRedisAddress('redis-sentinel://s1:26379/hotline') as Extract<ReturnType<typeof parseRedisAddress>, { kind: 'sentinel' }>);
    expect(options).toMatchObject({ name: 'hotline', role: 'master', failoverDetector: true, db: 0, sentinels: [{ host: 's1', port: 26379 }] });
  });

  it.each([
    ['http://127.0.0.1:6379', /must start with redis:\/\/, rediss:\/\/ or redis-sentinel:\/\//],
    ['redis-sentinel://s1:26379', /must name the master group/],
    ['redis-sentinel://s1/hotline', /"s1" is not host:port/],
    ['redis-sentinel://s1:99999/hotline', /is not host:port/],
    ['redis-sentinel://s1:26379/hotline/x', /only a database number/],
    ['redis-sentinel://s1:26379/hotline?password=x', /unknown parameter "password"/],
  ])('refuses %s', (url, reason) => {
    expect(() => parseRedisAddress(url)).toThrow(reason);
    expect(() => parseEnv({ REDIS_URL: url })).toThrow(/REDIS_URL/);
  });
});
