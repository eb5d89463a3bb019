import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// The suites live in properties/, mirroring src/ and theorems/, in three projects named by the
// file's suffix:
//   unit         *.test.ts         pure functions and small runs, seconds (npm run test:unit);
//   statistical  *.stat.test.ts    simulation against references (NumPy fixtures, oracles), minutes;
//   checker      *.check.test.ts   theorems, pinned claims, negative controls, the CLI end to end.
// Numeric trials are CPU-bound, so files run in parallel workers (one per core) and each test
// gets a generous timeout instead of a timed assertion: speed targets belong in `npm run bench`.
// The opt-in tiers climb ladders to n = 800 or 1600 with up to 24 trials per rung, so one check
// can take minutes there.
const longTier = process.env.ONESTEP_TIER === 'standard' || process.env.ONESTEP_TIER === 'stress';
const timeout = longTier ? 60 * 60_000 : 120_000;
const TIERED = ['properties/**/*.stat.test.ts', 'properties/**/*.check.test.ts'];

export default defineConfig({
  test: {
    setupFiles: ['properties/setup.ts'],
    testTimeout: timeout,
    hookTimeout: timeout,
    pool: 'forks',
    // One worker per core (vitest's default leaves one core idle): the suites are CPU-bound
    // and independent.
    maxWorkers: availableParallelism(),
    projects: [
      { extends: true, test: { name: 'unit', include: ['properties/**/*.test.ts'], exclude: TIERED } },
      { extends: true, test: { name: 'statistical', include: ['properties/**/*.stat.test.ts'] } },
      { extends: true, test: { name: 'checker', include: ['properties/**/*.check.test.ts'] } },
    ],
  },
});
