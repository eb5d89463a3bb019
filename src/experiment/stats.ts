// Summary statistics over independent trials: every agreement claim is a mean with its
// standard error, and surrogate-vs-network gaps are paired (same draws) per trial.
import type { TrialResult } from './trial.ts';

export interface Estimate {
  mean: number;
  /** Standard error of the mean (sample std / √trials); null for a single trial, which
   * has no spread to measure (never a NaN). */
  se: number | null;
}

export function estimate(values: readonly number[]): Estimate {
  const t = values.length;
  if (t === 0) throw new RangeError('no values to summarise');
  // Work in units of a power of two near the largest |value|, so that huge but finite values
  // (an exploding high-degree surrogate's gap of 1e200, say) give a finite spread rather than
  // ∞ or NaN. Scaling by a power of two is exact: ordinary inputs give the same bits as before.
  const largest = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const unit = Number.isFinite(largest) && largest > 1 ? 2 ** Math.min(1023, Math.ceil(Math.log2(largest))) : 1;
  const mean = (values.reduce((s, v) => s + v / unit, 0) / t) * unit;
  if (t < 2) return { mean, se: null };
  const m = mean / unit;
  const variance = values.reduce((s, v) => s + (v / unit - m) ** 2, 0) / (t - 1);
  return { mean, se: Math.sqrt(variance / t) * unit };
}

export interface ModelSummary {
  train: Estimate;
  gen: Estimate;
  genZeroOne?: Estimate;
}

export interface SurrogateSummary extends ModelSummary {
  /** Paired relative gap (E_surrogate − E_nn)/E_nn of the generalisation error. */
  relGap: Estimate;
  /** The same for the training error. */
  relGapTrain: Estimate;
  /** Trials in which the surrogate failed numerically (its estimates are then NaN, null in JSON), and the first reason. */
  failures?: { trials: number; first: string };
}

export interface LemmaSummary {
  spike: Estimate;
  residual: Estimate;
  ratio: Estimate;
}

export interface Summary {
  nn: ModelSummary;
  baseline: { halfVarY: Estimate };
  lemma?: LemmaSummary;
  [surrogate: string]: ModelSummary | SurrogateSummary | { halfVarY: Estimate } | LemmaSummary | undefined;
}

export function summarise(trials: readonly TrialResult[]): Summary {
  const pick = (f: (t: TrialResult) => number): Estimate => estimate(trials.map(f));
  const nn: ModelSummary = { train: pick((t) => t.nn.train), gen: pick((t) => t.nn.gen) };
  if (trials[0].nn.genZeroOne !== undefined) nn.genZeroOne = pick((t) => t.nn.genZeroOne ?? NaN);
  const summary: Summary = { nn, baseline: { halfVarY: pick((t) => t.baseline.halfVarY) } };
  if (trials.every((t) => t.lemma)) {
    summary.lemma = {
      spike: pick((t) => t.lemma?.spike ?? NaN),
      residual: pick((t) => t.lemma?.residual ?? NaN),
      ratio: pick((t) => t.lemma?.ratio ?? NaN),
    };
  }
  for (const name of Object.keys(trials[0].surrogates)) {
    const s: SurrogateSummary = {
      train: pick((t) => t.surrogates[name].train),
      gen: pick((t) => t.surrogates[name].gen),
      relGap: pick((t) => (t.surrogates[name].gen - t.nn.gen) / t.nn.gen),
      relGapTrain: pick((t) => (t.surrogates[name].train - t.nn.train) / t.nn.train),
    };
    if (trials[0].nn.genZeroOne !== undefined) s.genZeroOne = pick((t) => t.surrogates[name].genZeroOne ?? NaN);
    const failed = trials.filter((t) => t.surrogates[name].failure);
    if (failed.length > 0) s.failures = { trials: failed.length, first: `${failed[0].surrogates[name].failure} (seed ${failed[0].seed})` };
    summary[name] = s;
  }
  return summary;
}
