import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'sim/**/*.test.ts'],
    globalSetup: ['test/support/redis-global-setup.ts', 'test/support/web-build-global-setup.ts'],
    // Integration tests open real sockets and a real Redis; two cores run them comfortably in forks.
    pool: 'forks',
    // Both cores: vitest's default leaves one idle, and most files wait on sockets, not CPU.
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
