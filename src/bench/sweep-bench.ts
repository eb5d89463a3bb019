// Bench section: the wall time of a sweep of independent trials on 1 worker (in this thread) and
// on N worker threads (src/cli/parallel.ts), start-up of the workers included, and whether the
// two gave the same numbers (they must: a trial depends on its seed alone). Each trial times itself,
// so the N-worker line also says where the time beyond 1/N went: trials that ran slower side by
// side (cores no longer free for the kernels' second thread and V8's background collector,
// shared caches) or the start-up of the workers and the last trial's wait.
import { DEFAULT_CONFIG, validateConfig } from '../data/config.ts';
import { parallel } from '../cli/parallel.ts';
import { nativeThreads } from '../linalg/index.ts';

export interface SweepTiming {
  n: number;
  trials: number;
  jobs: number;
  seconds: number;
  speedup: number;
  identical: boolean;
}

/** The sweep's trials: the default setting at n = m = k, network and Hermite-3, seeds 1…trials. */
function sweepTasks(n: number, trials: number) {
  const config = validateConfig({ ...DEFAULT_CONFIG, n, mRatio: 1, kRatio: 1 });
  return Array.from({ length: trials }, (_, t) => ({ config, seed: 1 + t, surrogates: 'hermite:3', degreeCap: null }));
}

/**
 * The same sweep on one worker whose kernels run on one thread (null without the native
 * backend). A lone trial otherwise spreads its products, Gaussian fills and per-entry passes over
 * every core, so `--jobs 1` is itself parallel; this is the baseline where it is not, against
 * which N workers show what running trials side by side costs.
 */
export function oneThreadSweepSeconds(n: number, trials: number): number | null {
  const before = nativeThreads();
  if (before === null) return null;
  const tasks = sweepTasks(n, trials);
  const workers = parallel(1);
  try {
    nativeThreads(1);
    const t0 = performance.now();
    workers.trials(tasks);
    return (performance.now() - t0) / 1000;
  } finally {
    workers.close();
    nativeThreads(before);
  }
}

export function sweepSection(n: number, trials: number, jobsList: readonly number[], log: (line: string) => void = () => {}): SweepTiming[] {
  const tasks = sweepTasks(n, trials);
  const out: SweepTiming[] = [];
  let reference: string | null = null;
  let base = NaN;
  let perTrialBase = NaN;
  for (const jobs of jobsList) {
    const workers = parallel(jobs);
    const t0 = performance.now();
    const results = workers.trials(tasks);
    const seconds = (performance.now() - t0) / 1000;
    workers.close();
    const numbers = JSON.stringify(results.map((r) => [r.nn, r.surrogates]));
    const perTrial = results.reduce((a, r) => a + r.seconds, 0) / trials;
    reference ??= numbers;
    if (jobs === jobsList[0]) [base, perTrialBase] = [seconds, perTrial];
    const row = { n, trials, jobs, seconds, speedup: base / seconds, identical: numbers === reference };
    const where = jobs === jobsList[0] ? '' : `; a trial took ${(perTrial * 1000).toFixed(0)} ms against ${(perTrialBase * 1000).toFixed(0)} ms, and start-up and the last trial ${(seconds - (perTrial * trials) / jobs).toFixed(2)} s`;
    log(`sweep ${trials} trials n=${n}: --jobs ${String(jobs).padEnd(3)} ${seconds.toFixed(2).padStart(7)} s  (${(seconds / base).toFixed(2)}× the time of --jobs ${jobsList[0]}; ${row.identical ? 'same numbers' : 'DIFFERENT numbers'}${where})`);
    out.push(row);
  }
  return out;
}
