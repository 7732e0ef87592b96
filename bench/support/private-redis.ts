/**
 * A private redis-server on a free port, with no persistence, for tests and benchmarks:
 * runs never touch a developer's data nor collide. Falls back to REDIS_URL when no
 * redis-server is on the PATH.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface PrivateRedis {
  url: string;
  /** Commands served so far, by name (INFO commandstats), to count a call's round trips. */
  commandCounts(): Record<string, number>;
  stop(): void;
}

/** INFO commandstats of the server at `url`, as calls per command (empty when redis-cli is missing). */
export function commandCounts(url: string): Record<string, number> {
  const { hostname, port } = new URL(url);
  const info = spawnSync('redis-cli', ['-h', hostname, '-p', port || '6379', 'info', 'commandstats'], { encoding: 'utf8' });
  const counts: Record<string, number> = {};
  for (const m of (info.stdout ?? '').matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) counts[m[1]!] = Number(m[2]);
  return counts;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    return { url, commandCounts: () => commandCounts(url), stop: () => {} };
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const ping = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    if (ping.stdout?.trim() === 'PONG') break;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within 10 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = `redis://127.0.0.1:${port}`;
  return { url, commandCounts: () => commandCounts(url), stop: () => child.kill('SIGTERM') };
}
