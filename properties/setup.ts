// fast-check seed for the whole suite: FC_SEED=<int> replays a run, FC_SEED=random explores.
// The default is fixed so that `npm test` is deterministic in CI; the seed is printed so any
// failure replays with `FC_SEED=<seed> npx vitest run <file>` (fast-check also prints the path).
import fc from 'fast-check';

const raw = process.env.FC_SEED;
const seed = raw === 'random' ? (Date.now() ^ (process.pid << 8)) >>> 0 : raw ? Number(raw) : 20261122;
if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer or 'random', got '${raw}'`);
fc.configureGlobal({ seed, numRuns: Number(process.env.FC_NUM_RUNS ?? 100) });
if (raw) console.log(`fast-check seed: ${seed}`);

// Tests never reach the network: the Fashion-MNIST images are not fetched on first use here (a
// test needing them uses a synthetic directory, the installed package or the cache, or is skipped).
process.env.ONESTEP_OFFLINE ??= '1';

// Commands run in-process here use one thread unless a test asks for workers: vitest already
// runs one test file per core.
process.env.ONESTEP_JOBS ??= '1';
