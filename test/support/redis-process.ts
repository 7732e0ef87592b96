/**
 * A redis-server of a test's own, on a port that stays its own: stopped (as a crash would)
 * and started again, empty, on the same port, so the service sees Redis go away and come
 * back as in production. Skips nothing: without redis-server on the PATH it throws.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from '../../bench/support/private-redis.js';

export interface RedisProcess {
  readonly url: string;
  readonly port: number;
  readonly running: boolean;
  /** Kills it at once (SIGKILL): nothing is saved, clients see the connection drop. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

export async function redisProcess(options: { startNow?: boolean } = {}): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    if (child) return;
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const started = child;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (started.exitCode !== null) throw new Error(`redis-server on ${port} exited with code ${started.exitCode}`);
      const ping = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
      if (ping.stdout?.trim() === 'PONG') return;
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within 10 s`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function kill(): Promise<void> {
    const running = child;
    if (!running) return;
    child = undefined;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  }

  if (options.startNow !== false) await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get running() {
      return Boolean(child);
    },
    kill,
    start,
  };
}
