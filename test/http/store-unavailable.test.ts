/**
 * "The store did not answer" as ioredis really raises it, each error made by a real client
 * against a real socket, mapped to 503 `store-unavailable`; a Redis reply error stays a fault.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Redis, ReplyError, type RedisOptions } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { isStoreUnavailable } from '../../src/http/store-errors.js';
import { storeCall } from '../../src/http/store-call.js';
import { HttpProblem } from '../../src/http/errors.js';
import { useTestRedis } from '../support/test-redis.js';
import { asSupervisor, startOperatorApp } from './support/operator-app.js';

const redis = useTestRedis();

/** A TCP server that accepts connections and never answers a byte: a hung Redis. */
let silent: Server;
let silentPort: number;
const sockets = new Set<Socket>();
/** A port nothing listens on: a stopped Redis. */
let closedPort: number;

beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

const clients: Redis[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});
function client(port: number, options: RedisOptions): Redis {
  const c = new Redis({ host: '127.0.0.1', port, ...options });
  c.on('error', () => undefined);
  clients.push(c);
  return c;
}

async function rejection(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the command to fail');
}

describe('errors that mean the store did not answer', () => {
  it('MaxRetriesPerRequestError: Redis stopped, the client gave up after its retries', async () => {
    const err = await rejection(client(closedPort, { maxRetriesPerRequest: 1, retryStrategy: () => 20 }).get('k'));
    expect(err.name).toBe('MaxRetriesPerRequestError');
    expect(isStoreUnavailable(err)).toBe(true);
  });

  it('Command timed out: Redis hung', async () => {
    const err = await rejection(client(silentPort, { commandTimeout: 50, enableReadyCheck: false, maxRetriesPerRequest: 0 }).get('k'));
    expect(err.message).toBe('Command timed out');
    expect(isStoreUnavailable(err)).toBe(true);
  });

  it('ECONNREFUSED (the client reports it as an error event) and Connection is closed (what commands then get)', async () => {
    const c = client(closedPort, { lazyConnect: true, retryStrategy: () => null });
    const reported = new Promise<Error>((resolve) => c.once('error', resolve));
    const commandErr = await rejection(c.connect());
    const refused = await reported;
    expect((refused as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(isStoreUnavailable(refused)).toBe(true);
    expect(commandErr.message).toBe('Connection is closed.');
    expect(isStoreUnavailable(commandErr)).toBe(true);
  });

  it('Connection is closed: a command on a connection that was closed', async () => {
    const c = new Redis(inject('redisUrl'));
    await c.ping();
    c.disconnect();
    const err = await rejection(c.get('k'));
    expect(err.message).toBe('Connection is closed.');
    expect(isStoreUnavailable(err)).toBe(true);
  });

  it("Stream isn't writeable: no offline queue and no connection", async () => {
    const err = await rejection(client(closedPort, { lazyConnect: true, enableOfflineQueue: false }).get('k'));
    expect(err.message).toContain("Stream isn't writeable");
    expect(isStoreUnavailable(err)).toBe(true);
  });

  it('a reply error (wrong type) is a fault, not an outage; nor is any other error', async () => {
    const key = `test:store-errors:${process.pid}:${Date.now()}`;
    await redis.set(key, 'a string');
    const err = await rejection(redis.lpush(key, 'x'));
    await redis.del(key);
    expect(err.name).toBe('ReplyError');
    expect(isStoreUnavailable(err)).toBe(false);
    expect(isStoreUnavailable(new TypeError('x is not a function'))).toBe(false);
    // Redis answers, but cannot serve yet: an outage for the client.
    expect(isStoreUnavailable(new ReplyError('LOADING Redis is loading the dataset in memory'))).toBe(true);
    expect(isStoreUnavailable('Connection is closed.')).toBe(false);
  });

  it('a store call that gets no answer at all is 503 after its bound', async () => {
    const hung = client(silentPort, { enableReadyCheck: false, maxRetriesPerRequest: null });
    const err = await rejection(storeCall(() => hung.get('k'), 100));
    expect(err).toBeInstanceOf(HttpProblem);
    expect((err as HttpProblem).spec.errorId).toBe('store-unavailable');
  });
});

describe('the operator routes with Redis stopped or hung', () => {
  it.each([
    ['stopped', () => client(closedPort, { maxRetriesPerRequest: 1, retryStrategy: () => 20 })],
    ['hung', () => client(silentPort, { commandTimeout: 100, enableReadyCheck: false, maxRetriesPerRequest: 0 })],
  ])('Redis %s: 503 store-unavailable in the one error shape', async (_how, makeClient) => {
    const api = await startOperatorApp(makeClient());
    try {
      for (const [method, url] of [
        ['GET', '/priority-callers'],
        ['PUT', '/priority-callers/13812345678'],
        ['GET', '/caller-restrictions/13812345678'],
      ] as const) {
        const res = await api.app.inject({ method, url, headers: asSupervisor });
        expect({ url, status: res.statusCode }).toEqual({ url, status: 503 });
        expect(res.json()).toEqual({ error_id: 'store-unavailable', message: 'the store (Redis) did not answer; retry later' });
      }
      expect(api.lines.filter((l) => l.msg === 'request failed')).toEqual([]);
    } finally {
      await api.app.close();
    }
  });
});
