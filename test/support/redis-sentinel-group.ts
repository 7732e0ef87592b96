/**
 * A Redis Sentinel group of a test's own, from real processes: a master, one replica and
 * three Sentinels (quorum 2) watching them, as a centre would run it (deploy/). Sentinels run
 * as `redis-sentinel` when the package is installed, else as `redis-server --sentinel` (the
 * same program). Each Sentinel rewrites its own config file, so each gets one in a temp
 * directory. Failover is quick here (down after 1 s) so a test sees it within seconds.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { vi } from 'vitest';
import { freePort } from '../../bench/support/private-redis.js';
import { redisProcess, type RedisProcess } from './redis-process.js';

export const MASTER_NAME = 'hotline';
const SENTINELS = 3;

export interface SentinelGroup {
  /** REDIS_URL for the service: redis-sentinel://…/hotline */
  readonly url: string;
  readonly servers: RedisProcess[];
  /** The data server the Sentinels name as master now. */
  masterPort(): Promise<number>;
  /**
   * Kills the master (SIGKILL) and resolves once the Sentinels name another. With
   * `replicaBehindMs`, the replica is frozen and cut off that long first, so the writes the
   * master takes meanwhile are on the master only and die with it (asynchronous replication).
   */
  failover(options?: { replicaBehindMs?: number; timeoutMs?: number }): Promise<{ from: number; to: number }>;
  close(): Promise<void>;
}

function sentinelCommand(): string {
  return spawnSync('redis-sentinel', ['--version']).status === 0 ? 'redis-sentinel' : 'redis-server';
}

export async function sentinelGroup(): Promise<SentinelGroup> {
  const master = await redisProcess();
  const replica = await redisProcess();
  await withClient(replica.url, (c) => c.replicaof('127.0.0.1', master.port));
  await vi.waitFor(async () => {
    const info = await withClient(replica.url, (c) => c.info('replication'));
    if (!/master_link_status:up/.test(info)) throw new Error('replica not in sync yet');
  }, { timeout: 10_000, interval: 50 });

  const dir = mkdtempSync(join(tmpdir(), 'hotline-sentinel-'));
  const command = sentinelCommand();
  const sentinels: Array<{ port: number; child: ChildProcess }> = [];
  for (let i = 0; i < SENTINELS; i++) {
    const port = await freePort();
    const file = join(dir, `sentinel-${port}.conf`);
    writeFileSync(
      file,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${master.port} 2`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
        `sentinel failover-timeout ${MASTER_NAME} 5000`,
        `sentinel parallel-syncs ${MASTER_NAME} 1`,
        '',
      ].join('\n'),
    );
    const args = command === 'redis-sentinel' ? [file] : [file, '--sentinel'];
    const child = spawn(command, args, { stdio: 'ignore' });
    sentinels.push({ port, child });
  }
  const url = `redis-sentinel://${sentinels.map((s) => `127.0.0.1:${s.port}`).join(',')}/${MASTER_NAME}`;

  async function masterPort(): Promise<number> {
    for (const s of sentinels) {
      if (s.child.exitCode !== null) continue;
      try {
        const reply = await withClient(`redis://127.0.0.1:${s.port}`, (c) => c.call('SENTINEL', 'get-master-addr-by-name', MASTER_NAME) as Promise<[string, string] | null>);
        if (reply) return Number(reply[1]);
      } catch {
        // Try the next Sentinel.
      }
    }
    throw new Error('no Sentinel names a master');
  }
  // Every Sentinel knows the master and the replica, and each other, before a test relies on them.
  await vi.waitFor(async () => {
    for (const s of sentinels) {
      const [, fields] = await withClient(`redis://127.0.0.1:${s.port}`, async (c) => [0, (await c.call('SENTINEL', 'master', MASTER_NAME)) as string[]] as const);
      const at = (name: string) => Number(fields[fields.indexOf(name) + 1]);
      if (at('num-slaves') < 1 || at('num-other-sentinels') < SENTINELS - 1) throw new Error('sentinels still discovering');
    }
  }, { timeout: 20_000, interval: 100 });

  return {
    url,
    servers: [master, replica],
    masterPort,
    async failover({ replicaBehindMs = 0, timeoutMs = 20_000 } = {}) {
      const from = await masterPort();
      const server = [master, replica].find((s) => s.port === from)!;
      const other = [master, replica].find((s) => s.port !== from)!;
      if (replicaBehindMs > 0) {
        // Frozen, and its link cut: what the master takes from now on reaches its backlog only.
        other.freeze();
        await withClient(server.url, (c) => c.client('KILL', 'TYPE', 'replica'));
        await new Promise((r) => setTimeout(r, replicaBehindMs));
      }
      await server.kill();
      other.thaw();
      const to = await vi.waitFor(async () => {
        const now = await masterPort();
        if (now === from) throw new Error('no failover yet');
        return now;
      }, { timeout: timeoutMs, interval: 100 });
      return { from, to };
    },
    async close() {
      await Promise.all(
        sentinels.map(({ child }) => {
          if (child.exitCode !== null) return undefined;
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGKILL');
          return exited;
        }),
      );
      await master.kill();
      await replica.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function withClient<T>(url: string, work: (c: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await work(client);
  } finally {
    client.disconnect();
  }
}
