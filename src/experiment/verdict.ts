// A surrogate claim for the ladder engine (engine.ts): one trial at size n is a paired run of
// the network and the surrogate on the same draws, its quantities the relative gaps of the
// generalisation and training errors, judged against this tolerance policy.
//
// Tolerance at size n (relative gap of an error):
//   tol(n) = floor + finite(n),  floor = 1e-6,  finite(n) = τ·√(n_ref/n).
// - floor: the numerical floor. Errors are float64 sums whose round-off, amplified by the
//   ridge solve's condition number (≤ 1e6 at λ = 1e-4 here), stays below 1e-8 relative (the
//   NumPy cross-check measures ~1e-10); 1e-6 leaves two orders of margin.
// - finite(n): the theorems are limit statements with corrections of relative order n^{−1/2}
//   (fluctuations of the step's spike and of the finite-rank shifts), so the allowance shrinks as
//   √(n_ref/n). Its size τ at n_ref = 200 is the resolution the claims are meant to have: docs/model.md §6
//   separates "within a few percent" (the right surrogate) from "off by tens of percent" (the
//   wrong one), so τ = 5% — a gap must be at most 5% at n = 200, 3.5% at 400, 2.5% at 800.
// - the k·standard-error term is the interval itself (k = the Student quantile at the look's
//   level, sequential.ts): agreement needs the whole interval inside ±tol(n), disagreement needs
//   it wholly outside — at the largest n and for the limit as n → ∞ (engine.ts).
// The false-alarm rate this policy gives is measured over generated configurations
// (properties/theorems/theorems.check.test.ts, docs/findings.md §8) and on synthetic gaps
// (properties/experiment/engine.test.ts); change τ only with such a measurement.
import type { ExperimentConfig } from '../data/config.ts';
import { parseSurrogate } from '../surrogates/index.ts';
import { type Budget, type Decision, type LadderSpec, runLadder, type TrialRunner } from './engine.ts';
import { configAtN, gapOf } from './ladder.ts';
import { runTrial, type TrialResult } from './trial.ts';

export type { Decision, DecidingRule, RungReport, Verdict } from './engine.ts';
export { formatInterval as formatGap, MIN_DECISIVE_TRIALS } from './engine.ts';
export type { Trend } from './sequential.ts';

export interface TolerancePolicy {
  floor: number;
  /** τ: allowed relative gap at n_ref. */
  finiteSize: number;
  nRef: number;
}

export const DEFAULT_TOLERANCE: TolerancePolicy = { floor: 1e-6, finiteSize: 0.05, nRef: 200 };

export function toleranceAt(n: number, p: TolerancePolicy): number {
  return p.floor + p.finiteSize * Math.sqrt(p.nRef / n);
}

export function describeTolerance(p: TolerancePolicy): string {
  return `tol(n) = ${p.floor} (numerical floor) + ${p.finiteSize}·√(${p.nRef}/n) (finite-size allowance, O(n^-1/2)), judged at the largest n: agreement needs the interval of the paired relative gap inside ±tol and its limit as n → ∞ (fit g∞ + c·n^-1/2) inside too, or consistent (estimate inside, interval no wider than ±2·tol); disagreement needs either interval wholly outside; intervals at level 1 − 0.05/(j(j+1)) at look j stay valid under optional stopping`;
}

export interface CheckOptions {
  config: ExperimentConfig;
  surrogate: string;
  ladder: number[];
  seed: number;
  budget: Budget;
  degreeCap: number | null;
  tolerance?: TolerancePolicy;
  /** Exact generalisation errors where possible (default true); false scores on the test set. */
  exactGen?: boolean;
  clock?: () => number;
  /** Parallel trials (engine.ts); the verdict is the same without it. */
  runner?: TrialRunner;
  onProgress?: (message: string) => void;
}

/** What a surrogate claim measures: the paired relative gaps of both errors. */
export type SurrogateClaimKey = Pick<CheckOptions, 'config' | 'surrogate' | 'degreeCap' | 'tolerance' | 'exactGen'>;

export function surrogateClaimSpec(opts: SurrogateClaimKey): LadderSpec<TrialResult> {
  const p = opts.tolerance ?? DEFAULT_TOLERANCE;
  const spec = parseSurrogate(opts.surrogate);
  const key: SurrogateClaimKey = { config: opts.config, surrogate: opts.surrogate, degreeCap: opts.degreeCap, tolerance: opts.tolerance, exactGen: opts.exactGen };
  return {
    remote: { kind: 'surrogate-claim', args: key },
    quantities: ['gen', 'train'],
    rule: 'within',
    // Generalisation errors exact over the input distribution where the models allow it
    // (mixture-population.ts): the test set's noise leaves the paired gap.
    measure: (n, seed) => runTrial({ config: configAtN(opts.config, n), seed, surrogates: [spec], degreeCap: opts.degreeCap, exactGen: opts.exactGen ?? true }),
    value: (t, q) => gapOf(t, opts.surrogate, q as 'gen' | 'train'),
    tolerance: (n) => toleranceAt(n, p),
    describeTolerance: describeTolerance(p),
    describeRung: (_n, trials) => {
      const exact = trials.filter((t) => t.genSource === 'population').length;
      return [exact === trials.length ? 'generalisation errors exact over the input distribution' : `generalisation errors exact in ${exact} of ${trials.length} trials, on the test set in the rest`];
    },
    failure: (t) => {
      const f = t.surrogates[opts.surrogate]?.failure;
      return f ? `${f} (seed ${t.seed})` : undefined;
    },
  };
}

/** Run the ladder of a surrogate claim and decide. */
export function checkClaim(opts: CheckOptions): Decision {
  return runLadder(surrogateClaimSpec(opts), { ladder: opts.ladder, seed: opts.seed, budget: opts.budget, clock: opts.clock, onProgress: opts.onProgress, runner: opts.runner });
}
