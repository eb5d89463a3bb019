// Hermite machinery (docs/model.md §4): orthogonality, coefficient values, stable evaluation, the rule.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  degreeRule,
  gaussHermiteRule,
  gaussianExpectation,
  gaussianHermiteProjections,
  hermite,
  hermiteCoefficients,
  hermiteCoefficientsAtScales,
  hermiteNoiseScale,
  hermiteSeries,
  normalisedCoefficients,
} from '../../src/math/hermite/index.ts';
import { ANY_ACTIVATION_NAMES, activation, anyActivation } from '../../src/math/activations.ts';

function factorial(j: number): number {
  let r = 1;
  for (let i = 2; i <= j; i++) r *= i;
  return r;
}

describe('Gaussian quadrature', () => {
  it('reproduces Gaussian moments and kinked expectations to 1e-13', () => {
    let dbl = 1;
    for (let p = 1; p <= 10; p++) {
      dbl *= 2 * p - 1; // (2p−1)!!
      expect(Math.abs(gaussianExpectation((z) => z ** (2 * p)) / dbl - 1)).toBeLessThan(1e-13);
      expect(Math.abs(gaussianExpectation((z) => z ** (2 * p - 1)))).toBeLessThan(1e-13 * dbl);
    }
    expect(gaussianExpectation(Math.abs, [0])).toBeCloseTo(Math.sqrt(2 / Math.PI), 14);
    // E[(ζ − a)₊] = φ(a) − a(1 − Φ(a)); at a = 1: 0.0833154705876864.
    expect(gaussianExpectation((z) => Math.max(z - 1, 0), [1])).toBeCloseTo(0.0833154705876864, 14);
  });
});

describe('Hermite polynomials', () => {
  it('are orthogonal: E[He_i He_j] = j!·[i = j] for i, j ≤ 20', () => {
    for (let i = 0; i <= 20; i++) {
      for (let j = i; j <= 20; j++) {
        const e = gaussianExpectation((z) => hermite(i, z) * hermite(j, z));
        // Quadrature is exact to ~1e-16 relative to the integrand's scale √(i! j!).
        const scale = Math.sqrt(factorial(i) * factorial(j));
        expect(Math.abs(e - (i === j ? factorial(j) : 0))).toBeLessThan(1e-12 * scale);
      }
    }
  });

  it('series evaluation is stable at degree 20 and |x| ≤ 10 (exact BigInt reference)', () => {
    // He_j(x) = j! Σ_m (−1)^m x^{j−2m} / (m! (j−2m)! 2^m), exact in integers for integer x.
    const exactHermite = (j: number, x: bigint): bigint => {
      let s = 0n;
      const fact = (v: number): bigint => {
        let r = 1n;
        for (let i = 2n; i <= BigInt(v); i++) r *= i;
        return r;
      };
      for (let m = 0; 2 * m <= j; m++) {
        const term = (fact(j) * x ** BigInt(j - 2 * m)) / (fact(m) * fact(j - 2 * m) * 2n ** BigInt(m));
        s += m % 2 === 0 ? term : -term;
      }
      return s;
    };
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 10 }), fc.integer({ min: 0, max: 20 }), (x, j) => {
        const exact = Number(exactHermite(j, BigInt(x)));
        // Relative error of the recurrence grows mildly with j: 1e-13 relative to the size of
        // the largest term (|x| + √j)^j bounds it with a margin.
        const tol = 1e-13 * Math.max(1, (Math.abs(x) + Math.sqrt(j)) ** j);
        expect(Math.abs(hermite(j, x) - exact)).toBeLessThanOrEqual(tol);
        const c = new Float64Array(j + 1);
        c[j] = 1;
        expect(Math.abs(hermiteSeries(c, x) * Math.sqrt(factorial(j)) - exact)).toBeLessThanOrEqual(tol);
      }),
    );
  });
});

describe('coefficients (docs/model.md §4 values at b = 1)', () => {
  // The reference values are printed to 6 decimals: agreement to 1e-6 (half an ulp of the print is 5e-7).
  const cases: [string, number, number[], number[]][] = [
    ['relu', 0.5, [0.398942, 0.5, 0.398942, 0, -0.398942, 0, 1.196827], [0.583819, 0.301405, 0.106149, 0.106149, 0.068089, 0.068089]],
    ['tanh', 0.394294, [0, 0.605706, 0, -0.363595, 0, 0.685174, 0], [0.627929, 0.165576, 0.165576, 0.07336, 0.07336, 0.038334]],
    ['sigmoid', 0.293379, [0.5, 0.206621, 0, -0.062396, 0, 0.06438, 0], []],
  ];
  for (const [name, m2, hs, stars] of cases) {
    it(`${name}: h_0..h_6, E σ² and h*_1..h*_6`, () => {
      const { h, secondMoment } = hermiteCoefficients(activation(name as 'relu'), 1, 6);
      expect(Math.abs(secondMoment - m2)).toBeLessThan(1e-6);
      hs.forEach((v, j) => expect(Math.abs(h[j] - v)).toBeLessThan(1e-6));
      stars.forEach((v, i) => expect(Math.abs(hermiteNoiseScale(h, secondMoment, i + 1) - v)).toBeLessThan(1e-6));
    });
  }

  it('ReLU closed forms agree with kink-split quadrature to 1e-12 at any b', () => {
    const relu = activation('relu');
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 5, noNaN: true }), (b) => {
        const { h, secondMoment } = hermiteCoefficients(relu, b, 12);
        for (let j = 0; j <= 12; j++) {
          const q = gaussianExpectation((z) => relu.f(b * z) * hermite(j, z), [0]);
          expect(Math.abs(h[j] - q)).toBeLessThan(1e-12 * b * Math.sqrt(factorial(j)));
        }
        expect(Math.abs(secondMoment - gaussianExpectation((z) => relu.f(b * z) ** 2, [0]))).toBeLessThan(1e-12 * b * b);
      }),
      { numRuns: 30 },
    );
  });

  it('the polynomial part plus the noise has σ’s second moment (L² identity)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('relu', 'tanh', 'sigmoid', 'erf'),
        fc.double({ min: 0.3, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 8 }),
        (name, b, degree) => {
          const act = activation(name as 'relu');
          const { h, secondMoment } = hermiteCoefficients(act, b, degree + 1);
          const c = normalisedCoefficients(h.subarray(0, degree + 1));
          const poly = gaussianExpectation((z) => hermiteSeries(c, z) ** 2);
          const star = hermiteNoiseScale(h, secondMoment, degree + 1);
          expect(Math.abs(poly + star * star - secondMoment)).toBeLessThan(1e-11 * Math.max(1, secondMoment));
          // And the polynomial part has σ's projection: E[σ̂ He_j] = h_j for j ≤ degree.
          for (let j = 0; j <= degree; j++) {
            const proj = gaussianExpectation((z) => hermiteSeries(c, z) * hermite(j, z));
            expect(Math.abs(proj - h[j])).toBeLessThan(1e-11 * Math.sqrt(factorial(j)) * Math.max(1, b));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('rejects a bad scale and a bad degree', () => {
    expect(() => hermiteCoefficients(activation('tanh'), 0, 3)).toThrow(/scale b/);
    expect(() => hermiteCoefficients(activation('tanh'), 1, -1)).toThrow(/degree/);
  });
});

describe('degree rule', () => {
  it('inside each interval ((D−1)/D, D/(D+1)) the degree is D', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (D, u) => {
          const lo = D === 1 ? 0 : (D - 1) / D;
          const hi = D / (D + 1);
          const beta = lo + u * (hi - lo);
          const r = degreeRule(beta);
          expect(r).toMatchObject({ degree: D, status: 'inside' });
          expect(r.interval.lo).toBeCloseTo(lo, 15);
          expect(r.interval.hi).toBeCloseTo(hi, 15);
        },
      ),
    );
  });

  it('the paper’s settings: β = 0.74 → 3, β = 0 → 1, β = 3/4 − 0.01 → 3, β = 0.6 → 2', () => {
    expect(degreeRule(0.74).degree).toBe(3);
    expect(degreeRule(0).degree).toBe(1);
    expect(degreeRule(0).status).toBe('inside');
    expect(degreeRule(0.75 - 0.01).degree).toBe(3);
    expect(degreeRule(0.6).degree).toBe(2);
  });

  it('boundaries D/(D+1) are flagged, computed as decimals or fractions', () => {
    for (let D = 1; D <= 20; D++) {
      const r = degreeRule(D / (D + 1));
      expect(r.status).toBe('boundary');
      expect(r.degree).toBe(D);
    }
    expect(degreeRule(0.75).status).toBe('boundary');
    expect(degreeRule(2 / 3).status).toBe('boundary');
    expect(degreeRule(0.5).status).toBe('boundary');
    expect(degreeRule(1)).toMatchObject({ status: 'uncovered', degree: Infinity });
  });

  it('rejects β outside [0, 1] and NaN', () => {
    for (const b of [-0.1, 1.01, Number.NaN, Infinity]) expect(() => degreeRule(b)).toThrow(/beta/);
  });
});

describe('Gauss–Hermite rules and one-pass projections (used by the exact generalisation error)', () => {
  it('the N-point rule integrates ζ^p exactly for p ≤ 2N − 1 (E ζ^{2q} = (2q − 1)!!)', () => {
    for (const N of [1, 2, 4, 8, 16]) {
      const { nodes, weights } = gaussHermiteRule(N);
      for (let p = 0; p <= 2 * N - 1; p++) {
        const got = nodes.reduce((acc, z, q) => acc + weights[q] * z ** p, 0);
        let exact = p % 2 === 1 ? 0 : 1;
        for (let i = p - 1; i > 1 && p % 2 === 0; i -= 2) exact *= i;
        // Round-off (eigen-solver and summation): 1e-12 of the sum of the terms' magnitudes.
        const scale = nodes.reduce((acc, z, q) => acc + weights[q] * Math.abs(z) ** p, 0);
        expect(Math.abs(got - exact)).toBeLessThanOrEqual(1e-12 * Math.max(1, scale));
      }
    }
    expect(() => gaussHermiteRule(0)).toThrow(RangeError);
  });

  it('one-pass projections equal the separate integrals E[f(ζ)He_l(ζ)] (same panels, so to round-off)', () => {
    for (const [f, breaks] of [[Math.tanh, []], [(z: number) => Math.max(0, z - 0.3), [0.3]]] as const) {
      const all = gaussianHermiteProjections(f, 20, breaks);
      for (let l = 0; l <= 20; l++) {
        const one = gaussianExpectation((z) => f(z) * hermite(l, z), breaks);
        // He_20 reaches ~1e9 at the panels' edges, so round-off scales with √(l!); 1e-12·√(l!).
        expect(Math.abs(all[l] - one)).toBeLessThanOrEqual(1e-12 * Math.sqrt(factorial(l)));
      }
    }
  });

  it('coefficients at many scales at once equal one scale at a time (same rule, so to round-off)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ANY_ACTIVATION_NAMES), fc.array(fc.double({ min: 0.05, max: 4, noNaN: true }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 40 }), (name, scales, L) => {
        const act = anyActivation(name);
        const many = hermiteCoefficientsAtScales(act, Float64Array.from(scales), L);
        expect(many.length).toBe(scales.length);
        scales.forEach((b, i) => {
          const one = hermiteCoefficients(act, b, L);
          // The sums differ only in order: round-off of |h_l| ≲ √(l!)·max(1, b) (the bound above), E σ² to 1e-14.
          for (let l = 0; l <= L; l++) expect(Math.abs(many[i].h[l] - one.h[l])).toBeLessThanOrEqual(1e-12 * Math.sqrt(factorial(l)) * Math.max(1, b));
          expect(Math.abs(many[i].secondMoment - one.secondMoment)).toBeLessThanOrEqual(1e-14 * Math.max(1, one.secondMoment));
        });
      }),
      { numRuns: 60 },
    );
    expect(() => hermiteCoefficientsAtScales(anyActivation('tanh'), Float64Array.of(1, 0), 3)).toThrow(/scale/);
  });
});

