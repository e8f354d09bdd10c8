import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Forks isolate native modules (better-sqlite3) and child processes cleanly.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // The second reporter prints a plain closing line: "Summary: N passed, N failed, N skipped".
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
