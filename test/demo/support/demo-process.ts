/**
 * `npm run demo` as a child process for the demo tests: started with a test's environment,
 * killed after each test, its JSON log lines added to the run's for the scan after the run
 * (no whole phone numbers).
 */
import { afterEach, inject } from 'vitest';
import { keepLogLines, spawnCaptured, type CapturedProcess } from '../../support/captured-process.js';

export type DemoProcess = CapturedProcess;

/** Registers the clean-up of a test file's demos; returns the function that starts one. */
export function useDemoProcesses(logName: string): (env: Record<string, string>) => DemoProcess {
  const running: DemoProcess[] = [];
  afterEach(async () => {
    for (const demo of running) await demo.kill();
    keepLogLines(logName, running.splice(0));
  });
  return (env) => {
    const demo = spawnCaptured('demo/main.ts', { PATH: process.env.PATH ?? '', REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: `${logName}:${Date.now()}:`, DEMO_CALLS_PER_MINUTE: '0', SHUTDOWN_GRACE_SECONDS: '0', ...env });
    running.push(demo);
    return demo;
  };
}
