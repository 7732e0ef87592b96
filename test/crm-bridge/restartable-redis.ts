/**
 * A redis-server of one test's own, on a port that stays the same when the test kills it
 * (SIGKILL: no goodbye to its clients) and starts it again — empty, since it keeps nothing
 * on disk. The run's shared Redis is never touched.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterEach, vi } from 'vitest';
import { freePort } from '../../bench/support/private-redis.js';
import type { CrmBridge } from '../../src/crm-bridge/index.js';
import type { ReferenceBackend } from '../../sim/ticket-backend/server.js';

export interface RestartableRedis {
  url: string;
  /** Kills the server and resolves once it has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty; resolves once it answers PING. */
  start(): Promise<void>;
}

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

export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

export async function startRestartableRedis(): Promise<RestartableRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const server: RestartableRedis = {
    url,
    async kill() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGKILL');
      await exited;
    },
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      await vi.waitFor(() => answersPing(url), { timeout: 10_000, interval: 50 });
    },
  };
  await server.start();
  return server;
}

async function answersPing(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    if ((await client.ping()) !== 'PONG') throw new Error('no PONG');
  } finally {
    client.disconnect();
  }
}
