// A ladder of n at fixed ratios: paired trials of the network and one surrogate at each n,
// with the relative gaps of both errors summarised per rung. Trials are added adaptively
// (see verdict.ts); this module only runs and summarises.
import type { ExperimentConfig } from '../data/config.ts';
import { validateConfig } from '../data/config.ts';
import { parseSurrogate } from '../surrogates/index.ts';
import { estimate, type Estimate } from './stats.ts';
import { runTrial, type TrialResult } from './trial.ts';

export interface Rung {
  n: number;
  trials: TrialResult[];
}

export interface GapSummary {
  mean: number;
  se: number;
  /** Two-sided confidence interval mean ± t·se. */
  lo: number;
  hi: number;
}

/** Student-t quantiles for a two-sided 95% interval (df = 1..30; 1.96 beyond). */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function t95(df: number): number {
  return df >= 1 && df <= 30 ? T95[df - 1] : 1.96;
}

export function gapOf(trial: TrialResult, surrogate: string, quantity: 'gen' | 'train'): number {
  const s = trial.surrogates[surrogate];
  return (s[quantity] - trial.nn[quantity]) / trial.nn[quantity];
}

export function summariseGaps(values: number[]): GapSummary {
  const e: Estimate = estimate(values);
  const se = e.se ?? Infinity;
  const half = t95(values.length - 1) * se;
  return { mean: e.mean, se, lo: e.mean - half, hi: e.mean + half };
}

export function configAtN(base: ExperimentConfig, n: number): ExperimentConfig {
  return validateConfig({ ...base, n });
}

/** Run `count` more trials at one rung, seeds continuing from what the rung already has. */
export function extendRung(rung: Rung, base: ExperimentConfig, surrogate: string, seed: number, count: number, degreeCap: number | null): void {
  const config = configAtN(base, rung.n);
  const spec = parseSurrogate(surrogate);
  for (let i = 0; i < count; i++) {
    // Seeds are spread per rung so rungs never share draws: seed + 100003·rung index + trial.
    const trialSeed = seed + rung.trials.length;
    rung.trials.push(runTrial({ config, seed: trialSeed, surrogates: [spec], degreeCap }));
  }
}
