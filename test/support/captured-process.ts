/**
 * A child process of a test (the service, the demo) with its output kept: stdout and stderr
 * as they came, its exit, its JSON log lines; and, after each test, those lines added to the
 * run's test logs for the scan after the run (no whole phone numbers, no repeated keys).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_LOG_DIR } from './test-logger.js';

export interface CapturedProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
  /** Its JSON log lines so far (stdout is not a terminal: pino writes JSON). */
  lines(): Array<Record<string, unknown>>;
  /** SIGKILL unless it has ended, and the exit awaited. */
  kill(): Promise<void>;
}

/** Starts `node --import tsx <entry>` with this environment, its output kept. */
export function spawnCaptured(entry: string, env: NodeJS.ProcessEnv, options: SpawnOptions = {}): CapturedProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { ...options, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout!.on('data', (c: Buffer) => stdout.push(c.toString()));
  child.stderr!.on('data', (c: Buffer) => stderr.push(c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout,
    stderr,
    exited,
    lines: () => jsonLines(stdout).map((l) => JSON.parse(l) as Record<string, unknown>),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Adds the processes' JSON log lines to the run's test logs (`<logName>-<pid>.jsonl`). */
export function keepLogLines(logName: string, processes: readonly CapturedProcess[]): void {
  const lines = processes.flatMap((p) => jsonLines(p.stdout));
  mkdirSync(TEST_LOG_DIR, { recursive: true });
  appendFileSync(join(TEST_LOG_DIR, `${logName}-${process.pid}.jsonl`), lines.map((l) => `${l}\n`).join(''));
}

function jsonLines(stdout: readonly string[]): string[] {
  return stdout.join('').split('\n').filter((l) => l.startsWith('{'));
}
