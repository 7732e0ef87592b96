/**
 * The production entry (src/app/main.ts) as a child process against the test's ARI
 * simulator, Redis and reference ticket backend, so a test can kill it with SIGKILL: no
 * shutdown, no hangups, no record finished, nothing flushed — what a crash or an OOM kill
 * leaves. Its JSON log lines join the run's for the scan after the run (no whole numbers).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, inject, vi } from 'vitest';
import { stringify } from 'yaml';
import { keepLogLines, spawnCaptured, type CapturedProcess } from '../../support/captured-process.js';

export interface ServiceProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** How many of its log lines have this message so far. */
  count(msg: RegExp): number;
  /** The first log line with this message, as logged (its fields). */
  line(msg: RegExp): Record<string, unknown> | undefined;
  /** Waits until `times` log lines carry the message; fails naming it, with the output's tail. */
  logged(msg: RegExp, times?: number, timeoutMs?: number): Promise<void>;
  /** SIGKILL, and the exit awaited. */
  kill(): Promise<void>;
}

export interface ServiceProcessOptions {
  ariUrl: string;
  ariUser: string;
  ariPassword: string;
  keyPrefix: string;
  /** The hotline config document (YAML is written from it). */
  config: Record<string, unknown>;
  /** Extra environment: the config's secrets. */
  env?: Record<string, string>;
  /** The Redis to use; the run's shared one by default. */
  redisUrl?: string;
}

/** Registers the clean-up of a test file's processes; returns the function that starts one. */
export function useServiceProcesses(logName: string): (options: ServiceProcessOptions) => ServiceProcess {
  const running: CapturedProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'hotline-process-'));
  afterEach(async () => {
    for (const started of running) await started.kill();
    keepLogLines(logName, running.splice(0));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  return (options) => {
    const configPath = join(dir, `hotline-${running.length}-${Date.now()}.yaml`);
    writeFileSync(configPath, stringify(options.config));
    const started = spawnCaptured('src/app/main.ts', {
      PATH: process.env.PATH ?? '',
      ARI_URL: options.ariUrl,
      ARI_USERNAME: options.ariUser,
      ARI_PASSWORD: options.ariPassword,
      ARI_RECONNECT_MAX_DELAY_MS: '1000',
      // A process started after a SIGKILL waits for the dead one's app lease to lapse: short here.
      ARI_APP_LEASE_MS: '2000',
      REDIS_URL: options.redisUrl ?? inject('redisUrl'),
      REDIS_KEY_PREFIX: options.keyPrefix,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      HOTLINE_CONFIG: configPath,
      SHUTDOWN_GRACE_SECONDS: '0',
      WEB_DIR: join(dir, 'no-pages'),
      SOUNDS_DIR: join(dir, 'no-sounds'),
      ...options.env,
    });
    const { child, stderr, exited, lines } = started;
    const messages = (): string[] => lines().map((l) => String(l.msg));
    const count = (msg: RegExp): number => messages().filter((m) => msg.test(m)).length;
    const service: ServiceProcess = {
      child,
      exited,
      count,
      line: (msg) => lines().find((l) => msg.test(String(l.msg))),
      async logged(msg, times = 1, timeoutMs = 30_000) {
        let done = false;
        const exit = exited.then((code) => {
          if (!done) throw new Error(`the service exited (${code}): ${stderr.join('').slice(-2000)}`);
        });
        const seen = vi.waitFor(
          () => {
            if (count(msg) < times) throw new Error(`"${msg.source}" not logged ${times}× within ${timeoutMs} ms; last lines: ${messages().slice(-5).join(' | ')}`);
          },
          { timeout: timeoutMs, interval: 20 },
        );
        try {
          await Promise.race([seen, exit]);
        } finally {
          done = true;
        }
      },
      kill: started.kill,
    };
    running.push(started);
    return service;
  };
}
