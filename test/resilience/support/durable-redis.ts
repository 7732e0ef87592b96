/**
 * A redis-server of one test's own that keeps its data as production's does (append-only
 * file, as docker-compose.yml runs it): killed with SIGKILL, as a crash, and started again on
 * the same port and directory, it comes back with what it had stored. Every write is synced
 * (`appendfsync always`) so what the service wrote before the kill is there afterwards;
 * production's `everysec` may lose the last second.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { vi } from 'vitest';
import { freePort } from '../../../bench/support/private-redis.js';

export interface DurableRedis {
  readonly url: string;
  /** Kills it at once (SIGKILL) and resolves once it has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port with its data; resolves once it answers PING. */
  start(): Promise<void>;
}

export async function durableRedis(): Promise<DurableRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'hotline-redis-aof-'));
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    if (child) return;
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir], { stdio: 'ignore' });
    child = started;
    await vi.waitFor(
      async () => {
        if (started.exitCode !== null) throw new Error(`redis-server on ${port} exited with code ${started.exitCode}`);
        const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
        client.on('error', () => undefined);
        try {
          await client.connect();
          // PING answers while the append-only file still loads (-LOADING for other commands): ask for data.
          await client.dbsize();
        } finally {
          client.disconnect();
        }
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

  await start();
  return { url, kill, start };
}
