// Probabilists' Hermite polynomials. Evaluation always goes through the three-term
// recurrence — never a monomial expansion, whose cancellation destroys degree-20 sums — and
// series use the normalised polynomials p_j = He_j/√(j!), orthonormal under N(0,1), so that
// coefficients stay O(1) instead of growing like j!.
import { linalg } from '../../linalg/index.ts';

/** He_j(x) by He_{j+1} = x He_j − j He_{j−1}. */
export function hermite(j: number, x: number): number {
  if (j === 0) return 1;
  let prev = 1;
  let cur = x;
  for (let i = 1; i < j; i++) {
    const next = x * cur - i * prev;
    prev = cur;
    cur = next;
  }
  return cur;
}

/** p_j(x) = He_j(x)/√(j!) by p_{j+1} = (x p_j − √j p_{j−1})/√(j+1). */
export function normalisedHermite(j: number, x: number): number {
  if (j === 0) return 1;
  let prev = 1;
  let cur = x;
  for (let i = 1; i < j; i++) {
    const next = (x * cur - Math.sqrt(i) * prev) / Math.sqrt(i + 1);
    prev = cur;
    cur = next;
  }
  return cur;
}

/** Precomputed √j and 1/√(j+1) for the series recurrence (degrees up to this many). */
const MAX_DEGREE = 64;
const SQRT = Float64Array.from({ length: MAX_DEGREE + 2 }, (_, j) => Math.sqrt(j));
const INV_SQRT_NEXT = Float64Array.from({ length: MAX_DEGREE + 2 }, (_, j) => 1 / Math.sqrt(j + 1));

/** Σ_j c_j p_j(x) for c = (c_0, …, c_D), D ≤ 64. */
export function hermiteSeries(c: Float64Array, x: number): number {
  const d = c.length - 1;
  if (d > MAX_DEGREE) throw new RangeError(`Hermite series of degree ${d} exceeds ${MAX_DEGREE}`);
  let sum = c[0];
  if (d === 0) return sum;
  let prev = 1;
  let cur = x;
  sum += c[1] * cur;
  for (let i = 1; i < d; i++) {
    const next = (x * cur - SQRT[i] * prev) * INV_SQRT_NEXT[i];
    prev = cur;
    cur = next;
    sum += c[i + 1] * cur;
  }
  return sum;
}

/**
 * out[i] += Σ_j c_j p_j(scale·x[i]) for every entry: the Hermite model's hot loop, through the
 * backend's pass where it has one (the same operations in the same order: the same bits).
 */
export function hermiteSeriesAddInto(c: Float64Array, x: Float64Array, scale: number, out: Float64Array): void {
  if (c.length === 0 || c.length - 1 > MAX_DEGREE) throw new RangeError(`Hermite series needs 1 to ${MAX_DEGREE + 1} coefficients, got ${c.length}`);
  if (x.length !== out.length) throw new RangeError(`Hermite series of ${x.length} entries into ${out.length}`);
  const native = linalg().hermiteSeriesAdd;
  if (native) native(c, SQRT, INV_SQRT_NEXT, x, scale, out);
  else for (let i = 0; i < x.length; i++) out[i] += hermiteSeries(c, scale * x[i]);
}

