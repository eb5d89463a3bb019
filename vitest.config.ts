import { defineConfig } from 'vitest/config';

// Property suites live in properties/. Numeric trials are CPU-bound, so files run in
// parallel workers (one per core) and each test gets a generous timeout instead of a
// timed assertion: speed targets belong in `npm run bench`.
export default defineConfig({
  test: {
    include: ['properties/**/*.test.ts'],
    setupFiles: ['properties/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
