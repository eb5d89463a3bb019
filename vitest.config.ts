import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
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

// examples/ is a user's suite: it imports 'onestep' and 'onestep/vitest' by the package's own
// name. Here they resolve to the sources (src/api), so the examples test the code as it is, not a
// build that may be stale; package.json's exports point a user's imports at the built dist/.
const ownName = {
  alias: [
    { find: /^onestep$/, replacement: resolve(import.meta.dirname, 'src/api/index.ts') },
    { find: /^onestep\/vitest$/, replacement: resolve(import.meta.dirname, 'src/api/vitest.ts') },
  ],
};

export default defineConfig({
  resolve: ownName,
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
      { extends: true, test: { name: 'examples', include: ['examples/**/*.test.ts'] } },
    ],
  },
});
