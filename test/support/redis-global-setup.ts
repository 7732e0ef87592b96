/**
 * Vitest global setup: every test run gets a real Redis — a private one (free port, no
 * persistence) when `redis-server` is on the PATH, else `REDIS_URL` as it is. After the run,
 * the logs every test wrote are scanned (test/support/log-scan.ts): a whole phone number or a
 * key written twice in any line fails the run.
 */
import type { TestProject } from 'vitest/node';
import type {} from 'vitest';
import { startPrivateRedis } from '../../bench/support/private-redis.js';
import { clearTestLogs, scanTestLogs } from './log-scan.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  clearTestLogs();
  const redis = await startPrivateRedis();
  project.provide('redisUrl', redis.url);
  return async () => {
    await redis.stop();
    const { lines, faults } = scanTestLogs();
    if (faults.length > 0) {
      const shown = faults.slice(0, 5).map((f) => `  ${f.file}: ${f.why}: ${f.line.slice(0, 300)}`).join('\n');
      throw new Error(`the test run's logs hold ${faults.length} faulty line(s) of ${lines}:\n${shown}`);
    }
    process.stdout.write(`log scan: ${lines} log lines, no whole phone number, no repeated key\n`);
  };
}
