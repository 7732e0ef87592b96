import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { parseEnv } from '../../src/config/env.js';

function faultsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).faults.map((f) => `${f.path}: ${f.reason}`);
  }
  throw new Error('expected a ConfigError');
}

describe('environment', () => {
  it('has working defaults for a newcomer (simulator, local Redis)', () => {
    const env = parseEnv({});
    expect(env.ARI_URL).toBeUndefined();
    expect(env.ARI_APP).toBe('hotline');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.HTTP_PORT).toBe(8080);
  });

  it('names each bad variable and the reason', () => {
    const faults = faultsOf(() => parseEnv({ HTTP_PORT: 'eighty', ARI_URL: 'ftp://pbx', REDIS_URL: 'localhost:6379', LOG_LEVEL: 'loud' }));
    expect(faults.find((f) => f.startsWith('env.HTTP_PORT:'))).toBeDefined();
    expect(faults.find((f) => f.startsWith('env.ARI_URL:'))).toBeDefined();
    expect(faults.find((f) => f.startsWith('env.REDIS_URL:'))).toMatch(/redis:\/\//);
    expect(faults.find((f) => f.startsWith('env.LOG_LEVEL:'))).toBeDefined();
  });

  it('requires a password when a real Asterisk is configured', () => {
    expect(faultsOf(() => parseEnv({ ARI_URL: 'http://asterisk:8088' }))).toEqual(['env.ARI_PASSWORD: required when ARI_URL is set']);
  });

  it('treats empty variables as unset', () => {
    expect(parseEnv({ ARI_URL: '', HTTP_PORT: '' }).HTTP_PORT).toBe(8080);
  });
});
