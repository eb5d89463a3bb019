// A ladder of n at fixed ratios: paired trials of the network and one surrogate at each n,
// with the relative gaps of both errors summarised per rung. Trials are added adaptively
// (see verdict.ts); this module only runs and summarises.
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
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

/** The Student-t quantile for a two-sided 95% interval with df degrees of freedom (∞ below 1). */
export function t95(df: number): number {
  return df >= 1 ? tQuantile(0.975, df) : Infinity;
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
