/**
 * A configuration fault, named by the path of the bad field. The service refuses to start
 * with it and prints every fault found, not only the first.
 */
import type { z } from 'zod';

export interface ConfigFault {
  /** Dotted path of the field, prefixed with its source: `env.ARI_URL`, `hotline.ivr.nodes.main`. */
  path: string;
  reason: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'config:invalid';
  constructor(readonly source: string, readonly faults: ConfigFault[]) {
    super(`invalid configuration in ${source}:\n${faults.map((f) => `  - ${f.path}: ${f.reason}`).join('\n')}`);
  }
}

export function faultsFromZod(prefix: string, error: z.ZodError): ConfigFault[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    reason: issue.message,
  }));
}
