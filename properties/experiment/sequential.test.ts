// The intervals the engine draws at each look, and the two fits along the ladder (the limit as
// n → ∞ and the trend in log n), on synthetic numbers with known answers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALPHA, fitLimit, fitTrend, lookAlpha, lookInterval, tMultiplier, zMultiplier } from '../../src/experiment/sequential.ts';

describe('alpha spending over looks', () => {
  it('α_j = α/(j(j+1)) sums to α (the union bound behind validity under optional stopping)', () => {
    let sum = 0;
    for (let j = 1; j <= 1_000_000; j++) sum += lookAlpha(j);
    // The tail beyond J is α/(J+1): 5e-8 here.
    expect(Math.abs(sum - ALPHA)).toBeLessThan(1e-7);
    expect(lookAlpha(1)).toBeCloseTo(0.025, 15);
    expect(() => lookAlpha(0)).toThrow(RangeError);
    expect(() => lookAlpha(1.5)).toThrow(RangeError);
  });

  it('multipliers: the normal and Student quantiles (SciPy 1.17: norm.ppf(0.9875) = 2.241402727604947, t.ppf(0.9875, 5) = 3.163381449748609)', () => {
    expect(Math.abs(zMultiplier(0.025) - 2.241402727604947)).toBeLessThan(1e-12);
    expect(Math.abs(tMultiplier(0.025, 5) - 3.163381449748609)).toBeLessThan(1e-11);
    expect(tMultiplier(0.05, 0)).toBe(Infinity);
  });

  it('a later look draws a wider interval around the same mean; one value gives the whole line', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 20 }), fc.integer({ min: 1, max: 50 }), (v, j) => {
        const a = lookInterval(v, j);
        const b = lookInterval(v, j + 1);
        expect(b.mean).toBe(a.mean);
        expect(b.hi - b.lo).toBeGreaterThanOrEqual(a.hi - a.lo);
      }),
    );
    const one = lookInterval([0.1], 1);
    expect(one.lo).toBe(-Infinity);
    expect(one.hi).toBe(Infinity);
  });
});

describe('the limit as n → ∞: gap(n) = g∞ + c·n^−γ', () => {
  it('recovers g∞ and c from exact points, with an interval around them', () => {
    fc.assert(
      fc.property(fc.double({ min: -0.1, max: 0.1, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), (g, c) => {
        const points = [100, 200, 400, 800].map((n) => ({ n, mean: g + c / Math.sqrt(n), se: 0.01 }));
        const f = fitLimit(points, 1)!;
        expect(f.mean).toBeCloseTo(g, 10);
        expect(f.slope).toBeCloseTo(c, 8);
        expect(f.chi2).toBeLessThan(1e-12);
        expect(f.lo).toBeLessThan(g);
        expect(f.hi).toBeGreaterThan(g);
      }),
    );
  });

  it('its standard error is that of weighted least squares (two rungs: the exact extrapolation formula)', () => {
    // Two points: g∞ = (x₂y₁ − x₁y₂)/(x₂ − x₁), x = n^−½, so se² = (x₂²s₁² + x₁²s₂²)/(x₂ − x₁)².
    const [x1, x2] = [1 / Math.sqrt(100), 1 / Math.sqrt(400)];
    const f = fitLimit([{ n: 100, mean: 0.05, se: 0.02 }, { n: 400, mean: 0.02, se: 0.01 }], 1)!;
    const expected = Math.sqrt((x2 ** 2 * 0.02 ** 2 + x1 ** 2 * 0.01 ** 2) / (x2 - x1) ** 2);
    expect(f.se).toBeCloseTo(expected, 14);
    expect(f.mean).toBeCloseTo((x2 * 0.05 - x1 * 0.02) / (x2 - x1), 14);
  });

  it('reports the rungs\' χ² about the fit (one degree of freedom with three rungs)', () => {
    const tight = [100, 200, 400].map((n) => ({ n, mean: 1 / Math.sqrt(n), se: 0.001 }));
    const scattered = tight.map((p, i) => ({ ...p, mean: p.mean + (i === 1 ? 0.01 : 0) }));
    const a = fitLimit(tight, 1)!;
    const b = fitLimit(scattered, 1)!;
    expect(a.chi2).toBeLessThan(1e-12);
    expect(b.dof).toBe(1);
    expect(b.chi2).toBeGreaterThan(9);
  });

  it('needs two usable rungs', () => {
    expect(fitLimit([{ n: 200, mean: 0, se: 0.01 }], 1)).toBeNull();
    expect(fitLimit([{ n: 200, mean: 0, se: Infinity }, { n: 400, mean: 0, se: 0.01 }], 1)).toBeNull();
  });
});

describe('the trend in log n', () => {
  it('recovers the slope of noiseless values, with an interval that contains it', () => {
    fc.assert(
      fc.property(fc.double({ min: -0.1, max: 0.1, noNaN: true }), fc.double({ min: -0.1, max: 0.1, noNaN: true }), (slope, offset) => {
        const points = [200, 400, 800, 1600].map((n) => ({ n, mean: offset + slope * Math.log(n), se: 0.01 }));
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
      { n: 200, mean: 0, se: 0.001 },
      { n: 400, mean: 0, se: 0.001 },
      { n: 800, mean: 0.1, se: seLast },
    ];
    expect(Math.abs(fitTrend(pts(100))!.slope)).toBeLessThan(1e-6);
    expect(fitTrend(pts(0.001))!.slope).toBeGreaterThan(0.01);
  });

  it('needs two rungs with a finite, positive standard error', () => {
    expect(fitTrend([{ n: 200, mean: 0, se: 0.01 }])).toBeNull();
    expect(fitTrend([{ n: 200, mean: 0, se: Infinity }, { n: 400, mean: 0, se: 0.01 }])).toBeNull();
  });
});

describe('degrees of freedom of the fits (Welch–Satterthwaite)', () => {
  it('with trial counts the interval is a Student one; a rung with few trials widens it only as much as it weighs', () => {
    const pts = [100, 200, 400].map((n) => ({ n, mean: 0.01, se: 0.01 }));
    const normal = fitLimit(pts, 1)!;
    const many = fitLimit(pts.map((p) => ({ ...p, trials: 1000 })), 1)!;
    const fewEverywhere = fitLimit(pts.map((p) => ({ ...p, trials: 4 })), 1)!;
    expect(many.hi - many.lo).toBeGreaterThan(normal.hi - normal.lo);
    expect((many.hi - many.lo) / (normal.hi - normal.lo)).toBeLessThan(1.01);
    expect(fewEverywhere.hi - fewEverywhere.lo).toBeGreaterThan(1.2 * (many.hi - many.lo));
    // A nearly weightless rung with 3 trials barely moves the interval.
    const light = fitLimit([{ n: 100, mean: 0.01, se: 0.001, trials: 1000 }, { n: 200, mean: 0.01, se: 10, trials: 3 }, { n: 400, mean: 0.01, se: 0.001, trials: 1000 }], 1)!;
    const without = fitLimit([{ n: 100, mean: 0.01, se: 0.001, trials: 1000 }, { n: 400, mean: 0.01, se: 0.001, trials: 1000 }], 1)!;
    expect((light.hi - light.lo) / (without.hi - without.lo)).toBeLessThan(1.01);
  });
});
