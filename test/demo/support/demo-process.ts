/**
 * `npm run demo` as a child process for the demo tests: started with a test's environment,
 * killed after each test, its JSON log lines added to the run's for the scan after the run
 * (no whole phone numbers).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, inject } from 'vitest';
import { TEST_LOG_DIR } from '../../support/test-logger.js';

export interface DemoProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
  /** stdout is not a terminal here: the demo writes JSON lines. */
  lines(): Array<Record<string, unknown>>;
}

/** Registers the clean-up of a test file's demos; returns the function that starts one. */
export function useDemoProcesses(logName: string): (env: Record<string, string>) => DemoProcess {
  const running: DemoProcess[] = [];
  afterEach(async () => {
    for (const demo of running) {
      if (demo.child.exitCode !== null) continue;
      demo.child.kill('SIGKILL');
      await demo.exited;
    }
    const lines = running.splice(0).flatMap((demo) => demo.stdout.join('').split('\n').filter((l) => l.startsWith('{')));
    mkdirSync(TEST_LOG_DIR, { recursive: true });
    appendFileSync(join(TEST_LOG_DIR, `${logName}-${process.pid}.jsonl`), lines.map((l) => `${l}\n`).join(''));
  });
  return (env) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/main.ts'], {
      env: { PATH: process.env.PATH ?? '', REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: `${logName}:${Date.now()}:`, DEMO_CALLS_PER_MINUTE: '0', SHUTDOWN_GRACE_SECONDS: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: string[] = [];
    const stderr: string[] = [];
    child.stdout!.on('data', (c: Buffer) => stdout.push(c.toString()));
    child.stderr!.on('data', (c: Buffer) => stderr.push(c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const demo: DemoProcess = {
      child,
      stdout,
      stderr,
      exited,
      lines: () =>
        stdout
          .join('')
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>),
    };
    running.push(demo);
    return demo;
  };
}
