// Intervals that stay valid when we look repeatedly. The ladder engine adds trials until a claim
// is decided, and judges after every batch: a plain 95% interval at every look would reject a
// true claim far more often than 5% of the time (each look is another chance for noise to cross
// the tolerance). So the j-th look spends only part of the error rate,
//   α_j = α / (j·(j + 1)),   Σ_{j ≥ 1} α_j = α,
// and by the union bound the probability that ANY look's interval misses the true value is at
// most α, however the looks were chosen and whenever the engine stops (a confidence sequence
// built by alpha spending). Looks come after batches that double a rung's trials, so after T
// trials there are about log₂ T looks and the interval widens only logarithmically: at the 4th
// look the two-sided level is 99.75% (z ≈ 3.0 instead of 1.96).
// The per-look intervals are Student-t intervals (exact for Gaussian gaps; the gaps of a few
// dozen trials are close to Gaussian, and properties/experiment/sequential.test.ts measures the
// resulting false-alarm rate on skewed and heavy-tailed gaps too).
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import normal from '@stdlib/stats-base-dists-normal';
import { estimate } from './stats.ts';

/** Overall error rate of every interval the engine draws (two-sided). */
export const ALPHA = 0.05;

/** The error rate spent at look j ≥ 1. */
export function lookAlpha(look: number, alpha = ALPHA): number {
  if (!(Number.isInteger(look) && look >= 1)) throw new RangeError(`look must be an integer ≥ 1, got ${look}`);
  return alpha / (look * (look + 1));
}

/** Two-sided Student-t multiplier at level 1 − a with df degrees of freedom (∞ below 1). */
export function tMultiplier(a: number, df: number): number {
  return df >= 1 ? tQuantile(1 - a / 2, df) : Infinity;
}

/** Two-sided normal multiplier at level 1 − a. */
export function zMultiplier(a: number): number {
  return normal.quantile(1 - a / 2, 0, 1);
}

export interface Interval {
  mean: number;
  se: number;
  lo: number;
  hi: number;
}

/** The mean of paired values with its interval at look j (one trial: se = ∞, the whole line). */
export function lookInterval(values: readonly number[], look: number, alpha = ALPHA): Interval {
  const e = estimate(values);
  const se = e.se ?? Infinity;
  const half = tMultiplier(lookAlpha(look, alpha), values.length - 1) * se;
  return { mean: e.mean, se, lo: e.mean - half, hi: e.mean + half };
}

export interface LadderPoint {
  n: number;
  mean: number;
  se: number;
  /** Trials behind the mean: each se is estimated, so the fits use a Student multiplier
   * (Welch–Satterthwaite degrees of freedom; normal when absent). */
  trials?: number;
}

/**
 * The multiplier of a fit's interval at look j. The fit is a linear combination Σ c_i·mean_i of
 * the rung means, each with an estimated variance v_i = c_i²se_i² on trials_i − 1 degrees of
 * freedom; its Student multiplier uses the Welch–Satterthwaite degrees of freedom
 * (Σv_i)²/Σ(v_i²/(trials_i − 1)), so a rung with few trials counts only as much as its weight
 * in the fit. Without trial counts, the normal multiplier.
 */
function fitMultiplier(points: readonly LadderPoint[], coefficients: readonly number[], look: number, alpha: number): number {
  const a = lookAlpha(look, alpha);
  if (points.some((p) => p.trials === undefined)) return zMultiplier(a);
  const v = points.map((p, i) => (coefficients[i] * p.se) ** 2);
  const num = v.reduce((x, y) => x + y, 0) ** 2;
  const den = v.reduce((acc, vi, i) => acc + vi ** 2 / Math.max(1, (points[i].trials as number) - 1), 0);
  return den > 0 ? tMultiplier(a, num / den) : zMultiplier(a);
}

/** Weighted sums of a straight-line fit y = a + b·x with weights 1/se². */
function weightedSums(points: readonly LadderPoint[], x: (p: LadderPoint) => number): { sw: number; sx: number; sy: number; sxx: number; sxy: number; det: number } {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    const w = 1 / p.se ** 2;
    const xi = x(p);
    sw += w;
    sx += w * xi;
    sy += w * p.mean;
    sxx += w * xi * xi;
    sxy += w * xi * p.mean;
  }
  return { sw, sx, sy, sxx, sxy, det: sw * sxx - sx * sx };
}

export interface LimitFit extends Interval {
  /** γ in gap(n) = g∞ + c·n^−γ. */
  exponent: number;
  /** The fitted c, so the curve can be drawn. */
  slope: number;
  /** χ² of the rungs about the fit and its degrees of freedom (rungs − 2): how well g∞ + c·n^−γ describes them. */
  chi2: number;
  dof: number;
  /** The interval widened by √(χ²/dof) when that exceeds 1 (Birge ratio): what a disagreement must clear. */
  widened: { lo: number; hi: number };
}

/**
 * The limit of the gap as n → ∞: weighted least squares (weights 1/se²) of
 * gap(n) = g∞ + c·n^−γ with γ given (½ by default: the corrections the tolerance itself assumes,
 * docs/model.md §6). The rungs' χ² about the fit is returned, with the interval widened by
 * √(χ²/dof) where the rungs scatter more than their errors say: a disagreement must clear the
 * widened one (a few skewed trials at a small rung understate its spread, and then the fit
 * extrapolates with false confidence: 7% false alarms on log-normal gaps without it), while
 * agreement uses the plain one (with one degree of freedom the factor is noisy, and widening
 * made 13% of well-described ladders 1.5× wider). Needs two rungs with finite, positive standard
 * errors; null otherwise.
 */
export function fitLimit(points: readonly LadderPoint[], look: number, exponent = 0.5, alpha = ALPHA): LimitFit | null {
  const usable = points.filter((p) => Number.isFinite(p.mean) && Number.isFinite(p.se) && p.se > 0);
  if (usable.length < 2) return null;
  const { sw, sx, sy, sxx, sxy, det } = weightedSums(usable, (p) => p.n ** -exponent);
  if (!(det > 0)) return null;
  const slope = (sw * sxy - sx * sy) / det;
  const mean = (sy - slope * sx) / sw;
  const dof = usable.length - 2;
  const chi2 = usable.reduce((acc, p) => acc + ((p.mean - mean - slope * p.n ** -exponent) / p.se) ** 2, 0);
  const se = Math.sqrt(sxx / det);
  // g∞ = Σ c_i·mean_i with c_i = w_i(Σwx² − x_iΣwx)/det.
  const coefficients = usable.map((p) => (sxx - p.n ** -exponent * sx) / (p.se ** 2 * det));
  const half = fitMultiplier(usable, coefficients, look, alpha) * se;
  const birge = dof > 0 ? Math.max(1, Math.sqrt(chi2 / dof)) : 1;
  return { mean, se, lo: mean - half, hi: mean + half, exponent, slope, chi2, dof, widened: { lo: mean - birge * half, hi: mean + birge * half } };
}

export interface Trend {
  /** Slope of the value against log n, with its interval. */
  slope: number;
  lo: number;
  hi: number;
  se: number;
  /** The fitted value at log n = 0, so that value(n) = intercept + slope·log n can be drawn. */
  intercept: number;
}

/** Weighted least squares of rung means against log n (weights 1/se²), interval at look j. */
export function fitTrend(points: readonly LadderPoint[], look = 1, alpha = ALPHA): Trend | null {
  const usable = points.filter((p) => Number.isFinite(p.mean) && Number.isFinite(p.se) && p.se > 0);
  if (usable.length < 2) return null;
  const { sw, sx, sy, sxx, sxy, det } = weightedSums(usable, (p) => Math.log(p.n));
  if (!(det > 0)) return null;
  const slope = (sw * sxy - sx * sy) / det;
  const se = Math.sqrt(sw / det);
  // slope = Σ c_i·mean_i with c_i = w_i(x_iΣw − Σwx)/det.
  const coefficients = usable.map((p) => (Math.log(p.n) * sw - sx) / (p.se ** 2 * det));
  const half = fitMultiplier(usable, coefficients, look, alpha) * se;
  return { slope, lo: slope - half, hi: slope + half, se, intercept: (sy - slope * sx) / sw };
}
