/**
 * A pino logger whose lines are kept in memory, so tests can read what was logged.
 * Uses the service's own logger options (redaction included) at `trace` level: the tests
 * must see every line the adapter could ever write.
 */
import { Writable } from 'node:stream';
import type { Logger } from '../../../src/log/logger.js';
import { createTestLogger } from '../../support/test-logger.js';

export interface CapturedLog {
  log: Logger;
  lines: string[];
  /** Parsed lines whose `msg` matches. */
  find(msg: RegExp): Array<Record<string, unknown>>;
}

export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const log = createTestLogger({ stream: sink, level: 'trace' });
  return {
    log,
    lines,
    find(msg) {
      return lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((entry) => typeof entry.msg === 'string' && msg.test(entry.msg));
    },
  };
}
