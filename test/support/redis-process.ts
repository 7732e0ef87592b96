/**
 * A redis-server of one test's own, on a port that stays its own: killed (SIGKILL, as a crash:
 * no goodbye to its clients) and started again on the same port, empty (or with its data when
 * durable), so the service sees Redis go away and come back as in production. The run's shared Redis is never touched.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { vi } from 'vitest';
import { freePort } from '../../bench/support/private-redis.js';

export interface RedisProcess {
  readonly url: string;
  readonly port: number;
  readonly running: boolean;
  /** Kills it at once and resolves once it has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty; resolves once it answers PING. */
  start(): Promise<void>;
  /** Stops (SIGSTOP) or continues (SIGCONT) the process: a server that hangs, then goes on. */
  freeze(): void;
  thaw(): void;
}

export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

export interface RedisProcessOptions {
  /** Start it at once (default). */
  startNow?: boolean;
  /**
   * Keep its data as production does (append-only file, as docker-compose.yml runs it), so a
   * restart after a SIGKILL comes back with what it had. Every write is synced (`appendfsync
   * always`) so what was written before the kill is there; production's `everysec` may lose
   * the last second.
   */
  durable?: boolean;
}

export async function redisProcess(options: RedisProcessOptions = {}): Promise<RedisProcess> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  // Its own directory: a replica writes the RDB of its full sync there even with --save "".
  const dir = mkdtempSync(join(tmpdir(), 'hotline-redis-'));

  async function start(): Promise<void> {
    if (child) return;
    const persistence = options.durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', dir], { stdio: 'ignore' });
    child = started;
    await vi.waitFor(
      async () => {
        if (started.exitCode !== null) throw new Error(`redis-server on ${port} exited with code ${started.exitCode}`);
        await answersPing(url);
      },
      { timeout: 10_000, interval: 25 },
    );
  }

  async function kill(): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  }

  if (options.startNow !== false) await start();
  return {
    url,
    port,
    get running() {
      return Boolean(child);
    },
    kill,
    start,
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
  };
}

async function answersPing(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    // PING answers while an append-only file still loads (-LOADING for other commands): ask for data.
    await client.dbsize();
  } finally {
    client.disconnect();
  }
}
