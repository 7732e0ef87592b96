/**
 * The demo's logger: the service's own (same masking, same fields), written readably when
 * a person watches a terminal, as JSON lines otherwise (piped to a file or a tool).
 */
import pretty from 'pino-pretty';
import { createLogger, type Logger } from '../src/log/logger.js';

export function demoLogger(level: string): Logger {
  if (!process.stdout.isTTY) return createLogger(level);
  return createLogger(level, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service', singleLine: true }));
}
