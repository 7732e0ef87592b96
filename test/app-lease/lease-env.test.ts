/** ARI_APP_LEASE_MS: on by default (5 s), 0 turns it off, anything else outside 1 s – 60 s refused by name. */
import { expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { parseEnv } from '../../src/config/env.js';

it('defaults to a 5 s lease, takes 0 (off) and 1000–60000, refuses the rest naming the variable', () => {
  expect(parseEnv({}).ARI_APP_LEASE_MS).toBe(5000);
  expect(parseEnv({ ARI_APP_LEASE_MS: '0' }).ARI_APP_LEASE_MS).toBe(0);
  expect(parseEnv({ ARI_APP_LEASE_MS: '2000' }).ARI_APP_LEASE_MS).toBe(2000);
  for (const bad of ['500', '120000', 'soon', '-1']) {
    let error: unknown;
    try {
      parseEnv({ ARI_APP_LEASE_MS: bad });
    } catch (err) {
      error = err;
    }
    expect(error, bad).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message), bad).toContain('env.ARI_APP_LEASE_MS');
  }
});
