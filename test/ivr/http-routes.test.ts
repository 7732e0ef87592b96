/** The priority-caller and caller-restriction APIs over a real Redis. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import pino from 'pino';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { buildHttpServer } from '../../src/http/server.js';
import { callerRestrictionRoutes } from '../../src/http/routes/caller-restrictions.js';
import { priorityCallerRoutes } from '../../src/http/routes/priority-callers.js';
import { createIvrServices, type IvrServices } from '../../src/ivr/index.js';
import { keyspace } from '../../src/redis/connection.js';
import { exampleConfig } from './support/example-config.js';
import { useTestRedis } from '../support/test-redis.js';

const redis = useTestRedis();
let app: FastifyInstance;
let services: IvrServices;
const log = pino({ level: 'silent' });

beforeEach(async () => {
  const config = exampleConfig();
  services = createIvrServices({ config, redis, keyspace: keyspace(`test:ivr-http:${randomUUID()}:`), log });
  app = await buildHttpServer({
    log,
    plugins: [
      priorityCallerRoutes({ store: services.priorityCallers }),
      callerRestrictionRoutes({ store: services.restrictions, maxMinutes: services.ivr.restriction.maxFlagMinutes }),
    ],
  });
  return () => app.close();
});

describe('priority callers API', () => {
  it('adds, lists and removes a number, normalised', async () => {
    expect((await app.inject({ method: 'PUT', url: '/priority-callers/+8613912345678' })).json()).toEqual({ number: '13912345678', source: 'api' });
    const list = await app.inject({ method: 'GET', url: '/priority-callers' });
    expect(list.json().callers).toEqual([
      { number: '13800000001', source: 'config' },
      { number: '13912345678', source: 'api' },
    ]);
    expect(await services.priorityCallers.isPriority('13912345678')).toBe(true);
    expect((await app.inject({ method: 'DELETE', url: '/priority-callers/13912345678' })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: '/priority-callers/13912345678' })).json()).toMatchObject({ error_id: 'not-found' });
  });

  it('refuses a bad number and removing a number of the config', async () => {
    const bad = await app.inject({ method: 'PUT', url: '/priority-callers/12ab' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error_id: 'invalid-request' });
    const fromConfig = await app.inject({ method: 'DELETE', url: '/priority-callers/13800000001' });
    expect(fromConfig.statusCode).toBe(409);
  });
});

describe('caller restrictions API', () => {
  it('flags a number with a reason and an expiry, shows it, logs it and lifts it', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/caller-restrictions/13912345678',
      payload: { reason: 'calls every few minutes with no new matter', minutes: 30, by: 'supervisor-7' },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ number: '13912345678', source: 'supervisor', by: 'supervisor-7' });
    const { since, until } = put.json() as { since: string; until: string };
    expect(Date.parse(until) - Date.parse(since)).toBe(30 * 60_000);

    expect((await app.inject({ method: 'GET', url: '/caller-restrictions/13912345678' })).json()).toMatchObject({ reason: 'calls every few minutes with no new matter' });
    expect((await app.inject({ method: 'GET', url: '/caller-restrictions' })).json().restrictions).toHaveLength(1);

    const lift = await app.inject({ method: 'DELETE', url: '/caller-restrictions/13912345678?by=supervisor-7&reason=caller%20apologised' });
    expect(lift.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/caller-restrictions/13912345678' })).statusCode).toBe(404);
    const entries = (await app.inject({ method: 'GET', url: '/caller-restrictions/log' })).json().entries;
    expect(entries.map((e: { action: string; reason: string }) => `${e.action}: ${e.reason}`)).toEqual([
      'lifted: caller apologised',
      'applied: calls every few minutes with no new matter',
    ]);
  });

  it('refuses a flag without a reason, too long, or with unknown fields, naming the fields', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/caller-restrictions/13912345678',
      payload: { minutes: 999_999, by: 'supervisor-7', forever: true },
    });
    expect(res.statusCode).toBe(400);
    const paths = (res.json().details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.reason', 'body.minutes']));
  });

  it('a lift without who lifts it is refused', async () => {
    expect((await app.inject({ method: 'DELETE', url: '/caller-restrictions/13912345678' })).statusCode).toBe(400);
  });
});
