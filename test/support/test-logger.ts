/**
 * The tests' logger: the service's own (same masking, same fields), writing every line at
 * `debug` to var/test-logs/<pid>.jsonl so the whole run's logs can be scanned afterwards
 * (test/support/log-scan.ts: no whole phone number, no key written twice), and to stdout at
 * TEST_LOG_LEVEL when that is set. `extra` also receives every line (tests that read logs).
 */
import { mkdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import pino from 'pino';
import { createLogger, type Logger } from '../../src/log/logger.js';

export const TEST_LOG_DIR = 'var/test-logs';

let fileStream: pino.DestinationStream | undefined;

function runLogFile(): pino.DestinationStream {
  if (!fileStream) {
    mkdirSync(TEST_LOG_DIR, { recursive: true });
    fileStream = pino.destination({ dest: join(TEST_LOG_DIR, `${process.pid}.jsonl`), sync: true, append: true });
  }
  return fileStream;
}

export function createTestLogger(extra?: { stream: pino.DestinationStream; level: pino.Level }): Logger {
  const streams: pino.StreamEntry[] = [{ level: 'debug', stream: runLogFile() }];
  const shown = process.env.TEST_LOG_LEVEL;
  if (shown && shown !== 'silent') streams.push({ level: shown as pino.Level, stream: process.stdout });
  if (extra) streams.push(extra);
  const lowest = extra?.level === 'trace' ? 'trace' : 'debug';
  return createLogger(lowest, pino.multistream(streams));
}

/** The test logger, with the messages of its lines at `level` and above also kept for counting. */
export function countingLogger(level: pino.Level = 'info'): { log: Logger; count: (msg: RegExp) => number } {
  const messages: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) messages.push(String((JSON.parse(line) as { msg?: unknown }).msg));
      done();
    },
  });
  return { log: createTestLogger({ stream, level }), count: (msg) => messages.filter((m) => msg.test(m)).length };
}
