// The decision procedure's arithmetic on its own, with synthetic numbers: the estimate of a
// mean and its standard error, the t quantiles, the tolerance policy, the rung verdict and the
// trend fit. The theorem suites exercise the same code on real trials; here every branch is
// driven to a known answer, so a slip in the statistics cannot hide behind simulation noise.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summariseGaps, t95 } from '../../src/experiment/ladder.ts';
import { estimate } from '../../src/experiment/stats.ts';
import { DEFAULT_TOLERANCE, fitTrend, type RungReport, toleranceAt, verdictOf } from '../../src/experiment/verdict.ts';

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

function rung(gen: [number, number], train: [number, number], tolerance = 0.025): RungReport {
  const g = (lo: number, hi: number) => ({ mean: (lo + hi) / 2, se: (hi - lo) / 4, lo, hi });
  return { n: 800, trials: 6, relGap: g(...gen), relGapTrain: g(...train), tolerance };
}

describe('the verdict at one rung', () => {
  it('agree needs both intervals inside ±tol; disagree needs either wholly outside; else inconclusive', () => {
    expect(verdictOf(rung([-0.01, 0.01], [-0.02, 0.02])).verdict).toBe('agree');
    expect(verdictOf(rung([0.03, 0.05], [-0.01, 0.01])).verdict).toBe('disagree');
    expect(verdictOf(rung([-0.01, 0.01], [-0.09, -0.03])).verdict).toBe('disagree');
    expect(verdictOf(rung([-0.01, 0.03], [-0.01, 0.01])).verdict).toBe('inconclusive');
    // An interval touching the tolerance from outside is not yet a disagreement.
    expect(verdictOf(rung([0.025, 0.05], [-0.01, 0.01])).verdict).toBe('inconclusive');
  });

  it('a gap that is not a finite number (a surrogate that overflowed or gave NaN) is a disagreement, with its diagnosis', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const r = rung([-0.001, 0.001], [-0.001, 0.001]);
      r.relGap = { mean: bad, se: Number.NaN, lo: Number.NaN, hi: Number.NaN };
      const v = verdictOf(r);
      expect(v.verdict).toBe('disagree');
      expect(v.reasons[0]).toContain('numerical failure');
      expect(v.reasons[0]).not.toContain('NaN%');
    }
  });

  it('a missing spread (one trial, or a non-finite standard error) never decides', () => {
    const r = rung([-0.001, 0.001], [-0.001, 0.001]);
    r.relGap.se = Number.POSITIVE_INFINITY;
    expect(verdictOf(r).verdict).toBe('inconclusive');
  });

  it('on random intervals the verdict is the rule, and the reason prints the numbers it used', () => {
    const end = fc.double({ min: -0.2, max: 0.2, noNaN: true });
    fc.assert(
      fc.property(end, end, end, end, (a, b, c, d) => {
        const gen: [number, number] = [Math.min(a, b), Math.max(a, b)];
        const train: [number, number] = [Math.min(c, d), Math.max(c, d)];
        const tol = 0.025;
        const inside = (i: [number, number]) => i[0] >= -tol && i[1] <= tol;
        const outside = (i: [number, number]) => i[0] > tol || i[1] < -tol;
        const expected = outside(gen) || outside(train) ? 'disagree' : inside(gen) && inside(train) ? 'agree' : 'inconclusive';
        const v = verdictOf(rung(gen, train, tol));
        expect(v.verdict).toBe(expected);
        expect(v.reasons[0]).toContain('tolerance ±2.50%');
      }),
    );
  });
});

describe('the trend of the gap in log n', () => {
  it('recovers the slope of noiseless gaps, with an interval that contains it', () => {
    fc.assert(
      fc.property(fc.double({ min: -0.1, max: 0.1, noNaN: true }), fc.double({ min: -0.1, max: 0.1, noNaN: true }), (slope, offset) => {
        const points = [200, 400, 800, 1600].map((n) => {
          const mean = offset + slope * Math.log(n);
          return { n, gap: { mean, se: 0.01, lo: mean - 0.02, hi: mean + 0.02 } };
        });
        const t = fitTrend(points)!;
        expect(t.slope).toBeCloseTo(slope, 12);
        expect(t.intercept).toBeCloseTo(offset, 10);
        expect(t.lo).toBeLessThan(slope);
        expect(t.hi).toBeGreaterThan(slope);
      }),
    );
  });

  it('weights rungs by 1/se²: a precise rung pulls the line, an imprecise one barely does', () => {
    const pts = (seLast: number) => [
      { n: 200, gap: { mean: 0, se: 0.001, lo: 0, hi: 0 } },
      { n: 400, gap: { mean: 0, se: 0.001, lo: 0, hi: 0 } },
      { n: 800, gap: { mean: 0.1, se: seLast, lo: 0, hi: 0 } },
    ];
    expect(Math.abs(fitTrend(pts(100))!.slope)).toBeLessThan(1e-6);
    expect(fitTrend(pts(0.001))!.slope).toBeGreaterThan(0.01);
  });

  it('needs two rungs with a finite, positive standard error', () => {
    expect(fitTrend([{ n: 200, gap: { mean: 0, se: 0.01, lo: 0, hi: 0 } }])).toBeNull();
    expect(fitTrend([
      { n: 200, gap: { mean: 0, se: Number.POSITIVE_INFINITY, lo: 0, hi: 0 } },
      { n: 400, gap: { mean: 0, se: 0.01, lo: 0, hi: 0 } },
    ])).toBeNull();
  });
});
