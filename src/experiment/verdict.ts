// The decision procedure: never a bare boolean. Along a ladder of n, the paired relative gap
// of each error gets a 95% interval; the claim is judged at the largest n against a derived
// tolerance, a trend in n is fitted, and trials are added until the verdict is decided or the
// budget is spent.
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
// - the k·standard-error term is the 95% interval itself: agreement needs the whole interval
//   inside ±tol(n), disagreement needs it wholly outside.
import type { ExperimentConfig } from '../data/config.ts';
import { extendRung, gapOf, type GapSummary, type Rung, summariseGaps, t95 } from './ladder.ts';

export type Verdict = 'agree' | 'disagree' | 'inconclusive';

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
  return `tol(n) = ${p.floor} (numerical floor) + ${p.finiteSize}·√(${p.nRef}/n) (finite-size allowance, O(n^-1/2)); agreement needs the 95% interval of the paired relative gap inside ±tol(n) at the largest n, disagreement needs it wholly outside`;
}

export interface RungReport {
  n: number;
  trials: number;
  relGap: GapSummary;
  relGapTrain: GapSummary;
  tolerance: number;
}

export interface Trend {
  /** Slope of the generalisation gap against log n, with a 95% interval. */
  slope: number;
  lo: number;
  hi: number;
  /** The fitted gap at log n = 0, so that gap(n) = intercept + slope·log n can be drawn. */
  intercept: number;
}

export interface Decision {
  verdict: Verdict;
  reasons: string[];
  ladder: RungReport[];
  trend: Trend | null;
  tolerance: string;
}

/** Weighted least squares of gap means against log n (weights 1/se²). */
export function fitTrend(points: { n: number; gap: GapSummary }[]): Trend | null {
  const usable = points.filter((p) => Number.isFinite(p.gap.se) && p.gap.se > 0);
  if (usable.length < 2) return null;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const p of usable) {
    const w = 1 / p.gap.se ** 2;
    const x = Math.log(p.n);
    sw += w;
    sx += w * x;
    sy += w * p.gap.mean;
    sxx += w * x * x;
    sxy += w * x * p.gap.mean;
  }
  const det = sw * sxx - sx * sx;
  if (!(det > 0)) return null;
  const slope = (sw * sxy - sx * sy) / det;
  const seSlope = Math.sqrt(sw / det);
  const z = usable.length > 2 ? t95(usable.length - 2) : 1.96;
  return { slope, lo: slope - z * seSlope, hi: slope + z * seSlope, intercept: (sy - slope * sx) / sw };
}

function judge(gap: GapSummary, tol: number): Verdict {
  // A gap that is not a finite number means the surrogate's error overflowed or is NaN in some
  // trial (the network's errors are checked finite in runTrial): a numerical failure of the
  // surrogate, which docs/model.md §6 wants reported as a disagreement with its diagnosis.
  if (!Number.isFinite(gap.mean)) return 'disagree';
  if (!Number.isFinite(gap.se)) return 'inconclusive';
  if (gap.lo >= -tol && gap.hi <= tol) return 'agree';
  if (gap.lo > tol || gap.hi < -tol) return 'disagree';
  return 'inconclusive';
}

export interface CheckOptions {
  config: ExperimentConfig;
  surrogate: string;
  ladder: number[];
  seed: number;
  /** Trials per rung to start with (≥ 2 so that a standard error exists). */
  initialTrials: number;
  /** Most trials at the largest rung. */
  maxTrials: number;
  /**
   * Fewest trials at the largest rung behind a decisive verdict (default 6, capped by maxTrials).
   * The t-interval accounts for an uncertain spread, but a verdict from three trials rests on a
   * spread estimated with two degrees of freedom: in gaussian-equivalence at n = 800 (trial SD
   * ≈ 2.9%) three trials happened to lie within 0.3% of each other and gave a tight interval and a
   * false 'disagree' (docs/findings.md). P(s < 0.11·σ) is 1.1% with two degrees of freedom and
   * below 1e-4 with five, so six trials make such a fluke negligible at a modest cost.
   */
  minDecisiveTrials?: number;
  degreeCap: number | null;
  tolerance?: TolerancePolicy;
  onProgress?: (message: string) => void;
}

export function report(rungs: Rung[], surrogate: string, p: TolerancePolicy): RungReport[] {
  return rungs.map((r) => ({
    n: r.n,
    trials: r.trials.length,
    relGap: summariseGaps(r.trials.map((t) => gapOf(t, surrogate, 'gen'))),
    relGapTrain: summariseGaps(r.trials.map((t) => gapOf(t, surrogate, 'train'))),
    tolerance: toleranceAt(r.n, p),
  }));
}

/** "1.23% [0.50%, 1.96%]", or "not a finite number" rather than a NaN. */
export function formatGap(g: GapSummary): string {
  if (!Number.isFinite(g.mean)) return 'not a finite number';
  return `${(100 * g.mean).toFixed(2)}% [${(100 * g.lo).toFixed(2)}%, ${(100 * g.hi).toFixed(2)}%]`;
}

/** The verdict at one rung: both errors' intervals judged against the rung's tolerance. */
export function verdictOf(top: RungReport): { verdict: Verdict; reasons: string[] } {
  const gen = judge(top.relGap, top.tolerance);
  const train = judge(top.relGapTrain, top.tolerance);
  const pct = (g: GapSummary) =>
    Number.isFinite(g.mean) ? formatGap(g) : `${formatGap(g)} (the surrogate’s error overflowed or is NaN in at least one trial: a numerical failure)`;
  const reasons = [
    `n = ${top.n}, ${top.trials} paired trials: generalisation gap ${pct(top.relGap)} → ${gen}; training gap ${pct(top.relGapTrain)} → ${train}; tolerance ±${(100 * top.tolerance).toFixed(2)}%`,
  ];
  const verdict: Verdict = gen === 'disagree' || train === 'disagree' ? 'disagree' : gen === 'agree' && train === 'agree' ? 'agree' : 'inconclusive';
  return { verdict, reasons };
}

/** Fewest trials at the largest rung behind agree/disagree (see CheckOptions.minDecisiveTrials). */
export const MIN_DECISIVE_TRIALS = 6;

/** Run the ladder and decide, adding trials at the largest rung while undecided. */
export function checkClaim(opts: CheckOptions): Decision {
  const p = opts.tolerance ?? DEFAULT_TOLERANCE;
  const rungs: Rung[] = opts.ladder.map((n) => ({ n, trials: [] }));
  rungs.forEach((rung, i) => {
    opts.onProgress?.(`n = ${rung.n}: ${opts.initialTrials} trials`);
    extendRung(rung, opts.config, opts.surrogate, opts.seed + 100_003 * i, opts.initialTrials, opts.degreeCap);
  });
  const top = rungs[rungs.length - 1];
  let ladder = report(rungs, opts.surrogate, p);
  let decided = verdictOf(ladder[ladder.length - 1]);
  const minDecisive = Math.min(opts.minDecisiveTrials ?? MIN_DECISIVE_TRIALS, opts.maxTrials);
  const undecided = () => decided.verdict === 'inconclusive' || top.trials.length < minDecisive;
  while (undecided() && top.trials.length < opts.maxTrials) {
    const more = Math.min(opts.maxTrials - top.trials.length, Math.max(1, top.trials.length));
    opts.onProgress?.(`n = ${top.n}: ${decided.verdict === 'inconclusive' ? 'undecided' : `${decided.verdict} on ${top.trials.length} trials, confirming`}, ${more} more trials`);
    extendRung(top, opts.config, opts.surrogate, opts.seed + 100_003 * (rungs.length - 1), more, opts.degreeCap);
    ladder = report(rungs, opts.surrogate, p);
    decided = verdictOf(ladder[ladder.length - 1]);
  }
  const trend = fitTrend(ladder.map((r) => ({ n: r.n, gap: r.relGap })));
  const reasons = [...decided.reasons];
  const failures = top.trials.filter((t) => t.surrogates[opts.surrogate]?.failure);
  if (failures.length > 0) {
    reasons.push(`${failures.length} of ${top.trials.length} trials at n = ${top.n}: ${failures[0].surrogates[opts.surrogate].failure} (seed ${failures[0].seed})`);
  }
  if (trend) {
    const dir = trend.hi < 0 ? 'decreasing' : trend.lo > 0 ? 'increasing' : 'no significant trend';
    reasons.push(`trend of the generalisation gap in log n: slope ${trend.slope.toFixed(4)} [${trend.lo.toFixed(4)}, ${trend.hi.toFixed(4)}] (${dir})`);
  }
  if (decided.verdict === 'inconclusive') reasons.push(`budget of ${opts.maxTrials} trials at n = ${top.n} spent without a decision`);
  else if (top.trials.length < minDecisive) {
    // Only reachable when maxTrials < 6: say the verdict rests on few trials rather than hide it.
    reasons.push(`decided on ${top.trials.length} trials, fewer than the ${minDecisive} a verdict should rest on`);
  }
  return { verdict: decided.verdict, reasons, ladder, trend, tolerance: describeTolerance(p) };
}
