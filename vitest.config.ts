import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Property suites live in properties/. Numeric trials are CPU-bound, so files run in
// parallel workers (one per core) and each test gets a generous timeout instead of a
// timed assertion: speed targets belong in `npm run bench`. The opt-in tiers climb ladders
// to n = 800 or 1600 with up to 24 trials per rung, so one check can take minutes there.
const longTier = process.env.ONESTEP_TIER === 'standard' || process.env.ONESTEP_TIER === 'stress';
const timeout = longTier ? 60 * 60_000 : 120_000;

export default defineConfig({
  test: {
    include: ['properties/**/*.test.ts'],
    setupFiles: ['properties/setup.ts'],
    testTimeout: timeout,
    hookTimeout: timeout,
    pool: 'forks',
    // One worker per core (vitest's default leaves one core idle): the suites are CPU-bound
    // and independent, and on 2 cores this takes npm test from 2.6 to 1.8 minutes.
    maxWorkers: availableParallelism(),
  },
});
