// A trial as data: what `onestep trial` and a figure's sweep run, in a form a worker thread can
// receive (src/parallel/pool.ts), and the type of a function that runs many of them, here in
// turn or on workers (src/cli/parallel.ts).
import type { ExperimentConfig } from '../data/config.ts';
import { parseSurrogateList } from '../surrogates/index.ts';
import { runTrial, type TrialResult } from './trial.ts';
import { runInTurn } from '../parallel/pool.ts';

export interface TrialTask {
  config: ExperimentConfig;
  seed: number;
  /** Comma list, as on the command line. */
  surrogates: string;
  degreeCap: number | null;
  exactGen?: boolean;
  lemma?: boolean;
}

/** Runs tasks and returns their results in order; `onResult` hears of each as it lands. */
export type TrialBatch = (tasks: readonly TrialTask[], onResult?: (index: number, result: TrialResult) => void) => TrialResult[];

/** One trial without its arrays (those are for --save-npy only). */
export function runTrialTask(t: TrialTask): TrialResult {
  const { arrays: _arrays, ...rest } = runTrial({ config: t.config, seed: t.seed, surrogates: parseSurrogateList(t.surrogates), degreeCap: t.degreeCap, exactGen: t.exactGen, lemma: t.lemma });
  return rest;
}

/** The tasks in turn, in this thread. */
export const localTrials: TrialBatch = (tasks, onResult) => runInTurn(tasks, runTrialTask, onResult);
