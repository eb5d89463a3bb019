// The pieces of a ladder of n at fixed ratios that are not the engine itself: a configuration
// at size n, the paired relative gap of one trial, and a plain (single-look) 95% summary.
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { ExperimentConfig } from '../data/config.ts';
import { validateConfig } from '../data/config.ts';
import { estimate, type Estimate } from './stats.ts';
import type { TrialResult } from './trial.ts';

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
