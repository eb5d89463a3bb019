// The statistics under the decision procedure, with synthetic numbers: the estimate of a mean
// and its standard error, the t quantiles and the tolerance policy (the engine's rules, looks
// and fits: engine.test.ts and sequential.test.ts). The theorem suites exercise the same code on real trials; here every branch is
// driven to a known answer, so a slip in the statistics cannot hide behind simulation noise.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summariseGaps, t95 } from '../../src/experiment/ladder.ts';
import { estimate } from '../../src/experiment/stats.ts';
import { DEFAULT_TOLERANCE, toleranceAt } from '../../src/experiment/verdict.ts';

// Values far below 1e-100 are rounded to 0: subnormal numbers lose relative precision in any
// formula, which would test the float format rather than the estimate.
const values = fc
  .array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 30 })
  .map((v) => v.map((x) => (Math.abs(x) < 1e-100 ? 0 : x)));

/** The textbook two-pass formulas, written out independently. */
function naive(v: number[]): { mean: number; se: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const ss = v.reduce((a, b) => a + (b - mean) * (b - mean), 0);
  return { mean, se: Math.sqrt(ss / (v.length - 1) / v.length) };
}

describe('estimate: mean and standard error', () => {
  it('equals the two-pass formulas (scaling by a power of two is exact, so to the last bit for |v| ≤ 1)', () => {
    fc.assert(
      fc.property(values, (v) => {
        const e = estimate(v);
        const r = naive(v);
        // Rounding: each pass sums ≤ 30 terms, so the relative error is below 30·2⁻⁵² ≈ 7e-15
        // of the largest term; 1e-12 of the largest |v| leaves two orders of margin.
        const big = Math.max(...v.map(Math.abs), 1e-300);
        expect(Math.abs(e.mean - r.mean)).toBeLessThanOrEqual(1e-12 * big);
        expect(Math.abs((e.se ?? NaN) - r.se)).toBeLessThanOrEqual(1e-12 * big);
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 30 }), (v) => {
        const e = estimate(v);
        const r = naive(v);
        expect(e.mean).toBe(r.mean);
        expect(e.se).toBe(r.se);
      }),
    );
  });

  it('huge but finite values (an exploding surrogate) give a finite spread, never ∞ or NaN', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 100, max: 300 }), (v, p) => {
        const c = 10 ** p;
        const e = estimate(v.map((x) => x * c));
        const r = naive(v);
        expect(Number.isFinite(e.mean) && Number.isFinite(e.se ?? NaN)).toBe(true);
        const big = Math.max(...v.map(Math.abs), 1e-300) * c;
        expect(Math.abs(e.mean - r.mean * c)).toBeLessThanOrEqual(1e-12 * big);
        expect(Math.abs((e.se ?? NaN) - r.se * c)).toBeLessThanOrEqual(1e-12 * big);
      }),
    );
    // Near the top of the float range: the mean 1.35e308 and se 0.35e308 are still finite.
    const top = estimate([1e308, 1.7e308]);
    expect(Math.abs(top.mean / 1.35e308 - 1)).toBeLessThan(1e-14);
    expect(Math.abs((top.se ?? NaN) / 0.35e308 - 1)).toBeLessThan(1e-14);
  });

  it('one value has a mean and no standard error (null, not NaN); no value is refused', () => {
    expect(estimate([3])).toEqual({ mean: 3, se: null });
    expect(() => estimate([])).toThrow(RangeError);
  });
});

describe('t quantiles and the tolerance policy', () => {
  it('t95 is the two-sided 95% Student quantile (reference values from SciPy 1.17, t.ppf(0.975, df))', () => {
    const scipy: [number, number][] = [[1, 12.706204736174694], [2, 4.302652729749462], [11, 2.200985160091639], [30, 2.0422724563012378], [1000, 1.9623390808264083]];
    for (const [df, q] of scipy) expect(Math.abs(t95(df) - q)).toBeLessThan(1e-12 * q);
    for (let df = 1; df < 100; df++) expect(t95(df + 1)).toBeLessThan(t95(df));
    expect(t95(1e6)).toBeGreaterThan(1.959963984);
  });

  it('tol(n) = floor + τ·√(n_ref/n): 5% at n = 200, 2.5% at 800, halving per factor 4 in n', () => {
    const p = DEFAULT_TOLERANCE;
    expect(toleranceAt(200, p)).toBeCloseTo(0.05 + 1e-6, 15);
    expect(toleranceAt(800, p)).toBeCloseTo(0.025 + 1e-6, 15);
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 100_000 }), (n) => {
        expect(toleranceAt(4 * n, p) - p.floor).toBeCloseTo((toleranceAt(n, p) - p.floor) / 2, 14);
      }),
    );
  });

  it('summariseGaps gives mean ± t95(t−1)·se', () => {
    const g = summariseGaps([0.01, 0.02, 0.03]);
    expect(g.mean).toBeCloseTo(0.02, 15);
    expect(g.hi - g.mean).toBeCloseTo(t95(2) * g.se, 15);
    expect(g.mean - g.lo).toBeCloseTo(t95(2) * g.se, 15);
  });
});
