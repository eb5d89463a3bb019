// The CLI's parallel trials: a pool of worker threads (src/parallel/pool.ts) running
// src/cli/worker.ts, as a TrialRunner for the ladder engine and a TrialBatch for trial sweeps.
// With N workers on C cores the native kernels get max(1, ⌊C/N⌋) threads, so the two levels of
// parallelism never oversubscribe the machine; a trial depends on its task alone and the
// products are bit-identical at any thread count (properties/linalg), so results are the same
// whatever N is.
import { availableParallelism } from 'node:os';
import { type ExperimentConfig, MEMORY_BUDGET_BYTES, sizesOf, workerBytes } from '../data/config.ts';
import type { LadderSpec, TrialRunner } from '../experiment/engine.ts';
import { localTrials, runTrialTask, type TrialBatch } from '../experiment/trial-task.ts';
import { nativeThreads } from '../linalg/index.ts';
import { createPool, defaultJobs, runInTurn, type TaskPool } from '../parallel/pool.ts';
import type { FlagSpec, ParsedFlags } from './args.ts';
import { numberFlag } from './args.ts';

export interface Parallel extends TrialRunner {
  trials: TrialBatch;
  /**
   * Any other kind of task the worker module knows (src/cli/worker.ts), given as data with the
   * function that runs one here: on the workers and this thread, or in turn when jobs = 1.
   */
  run<T, R>(kind: string, tasks: readonly T[], local: (task: T) => R, onResult?: (index: number, result: R) => void): R[];
  close(): void;
}

export const JOBS_FLAG: Record<'jobs', FlagSpec> = {
  jobs: { type: 'string', value: 'N', help: `trials run in parallel on N worker threads (default: the cores available, ${defaultJobs()} here; ONESTEP_JOBS sets it); the results are the same for every N` },
};

/**
 * --jobs, at most as many as concurrent trials of `config` fit in the memory one trial may use
 * (60% of the machine's, workerBytes): each worker holds a whole trial (~0.46 GB at n = 2000)
 * and up to 0.27 GB of recycled arrays.
 */
export function jobsFlag(flags: ParsedFlags, config?: ExperimentConfig): number {
  const asked = numberFlag(flags, 'jobs', defaultJobs(), { min: 1, max: 256, integer: true });
  if (!config) return asked;
  const fit = Math.max(1, Math.floor(MEMORY_BUDGET_BYTES / workerBytes(sizesOf(config))));
  if (fit < asked) process.stderr.write(`onestep: --jobs ${asked} lowered to ${fit}: that many trials of this size fit in memory at once\n`);
  return Math.min(asked, fit);
}

/** Parallel trials on `jobs` workers (1: everything in this thread, no workers). */
export function parallel(jobs: number): Parallel {
  if (jobs <= 1) {
    const measure = <T>(spec: LadderSpec<T>, n: number, seeds: readonly number[]): T[] => seeds.map((seed) => spec.measure(n, seed));
    const run = <T, R>(_kind: string, tasks: readonly T[], local: (task: T) => R, onResult?: (index: number, result: R) => void): R[] => runInTurn(tasks, local, onResult);
    return { jobs: 1, measure, trials: localTrials, run, close: () => undefined };
  }
  // Kernel threads are per process: every worker thread shares the setting made here.
  const before = nativeThreads();
  nativeThreads(Math.max(1, Math.floor(availableParallelism() / jobs)));
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  let pool: TaskPool | null = null;
  // jobs − 1 workers and this thread, which runs tasks while the workers have theirs queued.
  // Started at the first batch: a command that never runs trials in parallel starts no worker.
  const get = (): TaskPool => (pool ??= createPool(jobs - 1, new URL(`./worker${ext}`, import.meta.url)));
  // A batch of one task runs here: starting a worker for it would only add the worker's start-up.
  const run = <T, R>(kind: string, tasks: readonly T[], local: (task: T) => R, onResult?: (index: number, result: R) => void): R[] =>
    tasks.length <= 1 ? runInTurn(tasks, local, onResult) : get().map(tasks.map((args) => ({ kind, args })), onResult, (t) => local(t.args as T));
  return {
    jobs,
    measure: <T>(spec: LadderSpec<T>, n: number, seeds: readonly number[]): T[] => {
      if (!spec.remote) return seeds.map((seed) => spec.measure(n, seed));
      const remote = spec.remote;
      return run('claim-trial', seeds.map((seed) => ({ spec: remote, n, seed })), (t) => spec.measure(n, t.seed));
    },
    trials: (tasks, onResult) => run('trial', tasks, runTrialTask, onResult),
    run,
    close: () => {
      pool?.close();
      if (before !== null) nativeThreads(before);
    },
  };
}
