/**
 * How an entry ends on bad configuration: the faults on stderr, one per line, exit code 2.
 * Anything else is a bug and is rethrown (exit code 1 with the stack).
 */
import { ConfigError } from '../config/config-error.js';

export function exitOnConfigError(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
