// The pieces of a ladder of n at fixed ratios that are not the engine itself: a configuration
// at size n, the paired relative gap of one trial, and a plain (single-look) 95% summary.
import type { ExperimentConfig } from '../data/config.ts';
import { validateConfig } from '../data/config.ts';
import { type Interval, lookInterval, tMultiplier } from './sequential.ts';
import type { TrialResult } from './trial.ts';

/** A mean with its standard error and two-sided interval mean ± t·se. */
export type GapSummary = Interval;

/** The Student-t quantile for a two-sided 95% interval with df degrees of freedom (∞ below 1). */
export function t95(df: number): number {
  return tMultiplier(0.05, df);
}

export function gapOf(trial: TrialResult, surrogate: string, quantity: 'gen' | 'train'): number {
  const s = trial.surrogates[surrogate];
  return (s[quantity] - trial.nn[quantity]) / trial.nn[quantity];
}

/** The plain 95% interval: the engine's first look at α = 0.1 (α_1 = α/2 = 0.05). */
export function summariseGaps(values: number[]): GapSummary {
  return lookInterval(values, 1, 0.1);
}

export function configAtN(base: ExperimentConfig, n: number): ExperimentConfig {
  return validateConfig({ ...base, n });
}
