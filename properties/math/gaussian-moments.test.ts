// Conditional Gaussian moments (docs/model.md §5): the fast batched path against the accurate scalar path,
// the scalar path against independent quadrature and closed forms, and both against Monte Carlo.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gaussianExpectation } from '../../src/math/hermite/quadrature.ts';
import { type Matrix, zeros } from '../../src/linalg/matrix.ts';
import { ACTIVATION_NAMES, type Activation, activation } from '../../src/math/activations.ts';
import { gaussianMoments, type MomentMatrices } from '../../src/math/gaussian-moments.ts';
import { conditionalMoments, momentTableInfo } from '../../src/math/moment-tables.ts';
import { rootStream } from '../../src/random/stream.ts';

const SMOOTH = ['tanh', 'sigmoid', 'erf'] as const;

/** The requirement: 1e-8 absolute for O(1) values, relative beyond (ReLU's ν grows with s). */
const REQUIRED = 1e-8;
const within = (got: number, want: number, tol: number): boolean =>
  Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));

function batched(act: Activation, b: readonly number[], shifts: readonly number[][]): MomentMatrices {
  const k = b.length;
  const m: Matrix = zeros(shifts.length, k);
  shifts.forEach((r, i) => m.data.set(r, i * k));
  const out = { nu: zeros(m.rows, k), psi: zeros(m.rows, k), phi: zeros(m.rows, k) };
  conditionalMoments(act, Float64Array.from(b), m, out);
  return out;
}

// Scales log-uniform on [0.05, 10] (the project's 0.3–3 and well beyond); shifts over the full
// |s| ≤ 60 and separately the tails, where the tables hand over to the limits.
const scale = fc.double({ min: Math.log(0.05), max: Math.log(10), noNaN: true }).map(Math.exp);
const shift = fc.double({ min: -60, max: 60, noNaN: true });
const tailShift = fc
  .tuple(fc.boolean(), fc.double({ min: Math.log(4), max: Math.log(60), noNaN: true }))
  .map(([neg, l]) => (neg ? -1 : 1) * Math.exp(l));

/** Panel edges for an independent quadrature of E g(bζ+s): kinks, plus a fine grading around the
 * transition ζ₀ = −s/b (width 1/b) so that steep tanh/erf at b up to 10 stay exact. */
function edges(act: Activation, b: number, s: number): number[] {
  const z0 = -s / b;
  const pts = act.kinks.map((k) => (k - s) / b);
  for (const c of [0, 0.25, 0.5, 1, 2, 4, 8]) pts.push(z0 - c / b, z0 + c / b);
  return pts;
}

describe('conditionalMoments (tables) against the accurate scalar path', () => {
  for (const name of SMOOTH) {
    const act = activation(name);
    for (const [label, shiftArb] of [
      ['|s| ≤ 60', shift],
      ['tails', tailShift],
    ] as const) {
      it(`${name}, ${label}: ν, Ψ, Φ within 1e-8 for b ∈ [0.05, 10]`, () => {
        // Each case is several neurons (own b) × several samples (own s): both table directions.
        const cases = fc.tuple(
          fc.array(scale, { minLength: 1, maxLength: 4 }),
          fc.array(shiftArb, { minLength: 1, maxLength: 4 }),
        );
        fc.assert(
          fc.property(cases, ([bs, ss]) => {
            const shifts = ss.map((s) => bs.map(() => s));
            const out = batched(act, bs, shifts);
            ss.forEach((s, r) => {
              bs.forEach((b, i) => {
                const ref = gaussianMoments(act, b, s);
                const e = r * bs.length + i;
                expect(within(out.nu.data[e], ref.nu, REQUIRED)).toBe(true);
                expect(within(out.psi.data[e], ref.psi, REQUIRED)).toBe(true);
                expect(within(out.phi.data[e], ref.phi, REQUIRED)).toBe(true);
              });
            });
          }),
          { numRuns: 60 },
        );
      });
    }

    it(`${name}: continuous across the table's t-range edge`, () => {
      // Straddle |t| = tMax (t = s/√(1+b²), and s/2 at b/2 for sigmoid, which reads tanh's table).
      const info = name === 'erf' ? momentTableInfo().erf : momentTableInfo().tanh;
      const half = name === 'sigmoid' ? 2 : 1;
      for (const b of [0.05, 0.5, 2, 10]) {
        const bt = b / half;
        for (const dt of [-0.3, -1e-9, 1e-9, 0.3]) {
          for (const sign of [-1, 1]) {
            const s = sign * half * (info.tMax + dt) * Math.sqrt(1 + bt * bt);
            const out = batched(act, [b], [[s]]);
            const ref = gaussianMoments(act, b, s);
            expect(within(out.nu.data[0], ref.nu, REQUIRED)).toBe(true);
            expect(within(out.psi.data[0], ref.psi, REQUIRED)).toBe(true);
            expect(within(out.phi.data[0], ref.phi, REQUIRED)).toBe(true);
          }
        }
      }
    });

    it(`${name}: the last double below the t-range edge stays in the table`, () => {
      // At b = 0, t = s exactly (s/2 for sigmoid); t + tMax rounds up to 2·tMax here.
      const info = name === 'erf' ? momentTableInfo().erf : momentTableInfo().tanh;
      const half = name === 'sigmoid' ? 2 : 1;
      for (const s of [half * info.tMax * (1 - 2 ** -53), -half * info.tMax * (1 - 2 ** -53)]) {
        const out = batched(act, [0], [[s]]);
        expect(within(out.nu.data[0], act.f(s), REQUIRED)).toBe(true);
        expect(within(out.psi.data[0], act.df(s), REQUIRED)).toBe(true);
      }
    });

    it(`${name}: any b > 0 works — tiny and huge scales`, () => {
      for (const b of [1e-9, 1e-4, 0.01, 30, 300, 1e6, 1e200]) {
        const ss = [-50, -7, -1.3, -0.2, 0, 0.4, 2.5, 9, 45].map((t) => t * Math.max(1, b / 10));
        const out = batched(
          act,
          [b],
          ss.map((s) => [s]),
        );
        ss.forEach((s, r) => {
          const ref = gaussianMoments(act, b, s);
          expect(within(out.nu.data[r], ref.nu, REQUIRED)).toBe(true);
          expect(within(out.psi.data[r], ref.psi, REQUIRED)).toBe(true);
          expect(within(out.phi.data[r], ref.phi, REQUIRED)).toBe(true);
        });
      }
    });
  }

  it('scalar path: quadrature and the step limit agree where they hand over (b = 1e9)', () => {
    // Just below 1e9 the scalar path integrates, just above it returns the step-function limit;
    // at equal s/b they differ by the O(1/b) corrections (≤ 1e-9) plus Ψ's change with b
    // (relative 2e-6 of a Ψ ~ 1e-9): inside 1e-8.
    for (const name of SMOOTH) {
      const act = activation(name);
      for (const t of [-7, -1.1, 0, 0.3, 2.5]) {
        const lo = gaussianMoments(act, 0.999999e9, t * 0.999999e9);
        const hi = gaussianMoments(act, 1.000001e9, t * 1.000001e9);
        expect(within(hi.nu, lo.nu, REQUIRED)).toBe(true);
        expect(within(hi.psi, lo.psi, REQUIRED)).toBe(true);
        expect(within(hi.phi, lo.phi, REQUIRED)).toBe(true);
      }
    }
  });

  it('relu and linear: batched equals scalar to rounding (same closed forms)', () => {
    fc.assert(
      fc.property(fc.array(scale, { minLength: 1, maxLength: 5 }), fc.array(shift, { minLength: 1, maxLength: 5 }), (bs, ss) => {
        for (const name of ['relu', 'linear'] as const) {
          const act = activation(name);
          const out = batched(
            act,
            bs,
            ss.map((s) => bs.map(() => s)),
          );
          ss.forEach((s, r) =>
            bs.forEach((b, i) => {
              const ref = gaussianMoments(act, b, s);
              const e = r * bs.length + i;
              // A few roundings of the same expression: 1e-14 relative to the moment's scale.
              const sc = (Math.abs(s) + b) ** 2;
              expect(Math.abs(out.nu.data[e] - ref.nu)).toBeLessThanOrEqual(1e-14 * Math.sqrt(sc));
              expect(Math.abs(out.psi.data[e] - ref.psi)).toBeLessThanOrEqual(1e-15);
              expect(Math.abs(out.phi.data[e] - ref.phi)).toBeLessThanOrEqual(1e-14 * sc);
            }),
          );
        }
      }),
    );
  });
});

describe('accurate scalar path against independent quadrature', () => {
  it('ReLU closed forms match quadrature to 1e-12 (relative to the moment scale)', () => {
    const relu = activation('relu');
    fc.assert(
      fc.property(scale, shift, (b, s) => {
        const m = gaussianMoments(relu, b, s);
        const bp = [-s / b];
        const f = (z: number) => Math.max(b * z + s, 0);
        const nu = gaussianExpectation(f, bp);
        const psi = gaussianExpectation((z) => (b * z + s > 0 ? 1 : 0), bp);
        const m2 = gaussianExpectation((z) => f(z) ** 2, bp);
        const phi = gaussianExpectation((z) => (f(z) - nu - b * psi * z) ** 2, bp);
        // Quadrature is good to ~1e-13 of the integrand's size: |s| + b for σ, (|s| + b)² for σ².
        const sc = Math.abs(s) + b;
        expect(Math.abs(m.nu - nu)).toBeLessThanOrEqual(1e-12 * sc);
        expect(Math.abs(m.psi - psi)).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(m.m2 - m2)).toBeLessThanOrEqual(1e-12 * sc * sc);
        expect(Math.abs(m.phi - phi)).toBeLessThanOrEqual(1e-12 * sc * sc);
      }),
    );
  });

  it('erf closed forms for ν and Ψ match quadrature to 1e-12', () => {
    const act = activation('erf');
    fc.assert(
      fc.property(scale, shift, (b, s) => {
        const m = gaussianMoments(act, b, s);
        const bp = edges(act, b, s);
        expect(Math.abs(m.nu - gaussianExpectation((z) => act.f(b * z + s), bp))).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(m.psi - gaussianExpectation((z) => act.df(b * z + s), bp))).toBeLessThanOrEqual(1e-12);
      }),
    );
  });

  it('Φ = M2 − ν² − b²Ψ² ≥ 0, and the residual form equals the difference form', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACTIVATION_NAMES), scale, shift, (name, b, s) => {
        const act = activation(name);
        const m = gaussianMoments(act, b, s);
        expect(m.phi).toBeGreaterThanOrEqual(0);
        // Difference form by independent quadrature: loses digits to cancellation (M2 up to
        // (|s|+b)²), so 1e-12 of that scale; Cauchy–Schwarz makes it ≥ 0 up to the same error.
        const bp = edges(act, b, s);
        const nu = gaussianExpectation((z) => act.f(b * z + s), bp);
        const psi = gaussianExpectation((z) => act.df(b * z + s), bp);
        const m2 = gaussianExpectation((z) => act.f(b * z + s) ** 2, bp);
        const diff = m2 - nu * nu - b * b * psi * psi;
        const sc = (1 + Math.abs(s) + b) ** 2;
        expect(diff).toBeGreaterThanOrEqual(-1e-12 * sc);
        expect(Math.abs(diff - m.phi)).toBeLessThanOrEqual(1e-12 * sc);
        // And the batched path never returns a negative Φ.
        const out = batched(act, [b], [[s]]);
        expect(out.phi.data[0]).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('Stein: E[ζσ(bζ+s)] = b·E σ\'(bζ+s) by quadrature, every activation', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACTIVATION_NAMES), scale, shift, (name, b, s) => {
        const act = activation(name);
        const bp = edges(act, b, s);
        const lhs = gaussianExpectation((z) => z * act.f(b * z + s), bp);
        const rhs = b * gaussianExpectation((z) => act.df(b * z + s), bp);
        // Integrand sizes: |ζσ| ≲ |ζ|(|s| + b|ζ|) for ReLU/linear, |ζ| for the bounded ones.
        expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(s) + b));
        // And Ψ from the accurate path is that expectation.
        expect(Math.abs(gaussianMoments(act, b, s).psi * b - lhs)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(s) + b));
      }),
    );
  });

  it('unconditional moments (s = 0, b = 1) reproduce docs/model.md §4 reference values (6 digits)', () => {
    // E σ(ζ) = h_0, E σ'(ζ) = E[ζσ(ζ)] = h_1, E σ² from the published reference values.
    const ref = {
      relu: { nu: 0.398942, psi: 0.5, m2: 0.5 },
      tanh: { nu: 0, psi: 0.605706, m2: 0.394294 },
      sigmoid: { nu: 0.5, psi: 0.206621, m2: 0.293379 },
    };
    for (const [name, r] of Object.entries(ref) as [keyof typeof ref, (typeof ref)['relu']][]) {
      const act = activation(name);
      const out = batched(act, [1], [[0]]);
      const m2 = out.phi.data[0] + out.nu.data[0] ** 2 + out.psi.data[0] ** 2;
      // Six printed digits: half a unit in the sixth place.
      expect(Math.abs(out.nu.data[0] - r.nu)).toBeLessThanOrEqual(5e-7);
      expect(Math.abs(out.psi.data[0] - r.psi)).toBeLessThanOrEqual(5e-7);
      expect(Math.abs(m2 - r.m2)).toBeLessThanOrEqual(5e-7);
    }
  });
});

describe('moments against Monte Carlo sample averages', () => {
  it('ν, Ψ, M2, Φ within 5 standard errors of seeded sample means', () => {
    // With N draws the sample mean of g(ζ) is ≈ N(E g, Var g/N) (CLT), so |mean − E g| > 5·SE has
    // probability 2·Q(5) = 5.7e-7 per comparison; 5 activations × 4 configurations × 4 statistics
    // = 80 comparisons give a false alarm on a fresh seed with probability ≤ 80·5.7e-7 = 4.6e-5.
    // SE is estimated from the same draws (relative error ~1/√(2N) ≈ 0.2%, immaterial). The table
    // error (≤ 1e-10) and rounding (1e-12) form the floor for the statistics that are exactly
    // constant (linear). The test can still fail: SE = √(Var g/N) ≈ 3e-3·√(Var g) with N = 1e5
    // and Var g ≤ ~10 in these configurations, so a moment off by more than a few 1e-2 (a wrong
    // sign, factor or scale in a formula) is caught.
    // |s|/b ≤ 2 throughout: for ReLU at s/b = −5 the event bζ+s > 0 has probability 3e-7, no
    // draw hits it, and the estimated SE collapses to 0 — the CLT argument needs N·P ≫ 1.
    const N = 100_000;
    const zeta = rootStream(7).child('gaussian-moments-mc').gaussians(N);
    const configs = [
      [0.3, -0.45],
      [1, 0.5],
      [2.5, 3],
      [0.8, -1.6],
    ];
    for (const name of ACTIVATION_NAMES) {
      const act = activation(name);
      for (const [b, s] of configs) {
        const out = batched(act, [b], [[s]]);
        const nu = out.nu.data[0];
        const psi = out.psi.data[0];
        const phi = out.phi.data[0];
        const stats: [number, (z: number) => number][] = [
          [nu, (z) => act.f(b * z + s)],
          [psi, (z) => act.df(b * z + s)],
          [phi + nu * nu + b * b * psi * psi, (z) => act.f(b * z + s) ** 2],
          [phi, (z) => (act.f(b * z + s) - nu - b * psi * z) ** 2],
        ];
        for (const [want, g] of stats) {
          let sum = 0;
          let sum2 = 0;
          for (let j = 0; j < N; j++) {
            const v = g(zeta[j]);
            sum += v;
            sum2 += v * v;
          }
          const mean = sum / N;
          const se = Math.sqrt(Math.max(sum2 / N - mean * mean, 0) / N);
          expect(Math.abs(mean - want)).toBeLessThanOrEqual(5 * se + 1e-10);
        }
      }
    }
  });
});

describe('edges and contracts', () => {
  it('b = 0 gives σ(s), σ\'(s) and Φ = 0 on both paths', () => {
    for (const name of ACTIVATION_NAMES) {
      const act = activation(name);
      for (const s of [-3, -0.5, 0.7, 4]) {
        const m = gaussianMoments(act, 0, s);
        expect([m.nu, m.psi, m.phi]).toEqual([act.f(s), act.df(s), 0]);
        // The tables' b = 0 end is an interpolation node edge: within the general requirement.
        const out = batched(act, [0], [[s]]);
        expect(within(out.nu.data[0], act.f(s), REQUIRED)).toBe(true);
        expect(within(out.psi.data[0], act.df(s), REQUIRED)).toBe(true);
        expect(out.phi.data[0]).toBe(0);
      }
    }
  });

  it('infinite shifts give the limits, NaN stays NaN', () => {
    const limits = { tanh: [-1, 1], sigmoid: [0, 1], erf: [-1, 1] };
    for (const name of SMOOTH) {
      const out = batched(activation(name), [1], [[-Infinity], [Infinity], [NaN]]);
      expect([out.nu.data[0], out.nu.data[1]]).toEqual(limits[name]);
      expect([out.psi.data[0], out.psi.data[1], out.phi.data[0], out.phi.data[1]]).toEqual([0, 0, 0, 0]);
      expect([out.nu.data[2], out.psi.data[2], out.phi.data[2]].every(Number.isNaN)).toBe(true);
    }
  });

  it('rejects negative or non-finite scales and mismatched shapes', () => {
    const act = activation('tanh');
    expect(() => gaussianMoments(act, -1, 0)).toThrow(RangeError);
    expect(() => gaussianMoments(act, NaN, 0)).toThrow(RangeError);
    expect(() => gaussianMoments(act, 1, Infinity)).toThrow(RangeError);
    expect(() => batched(act, [1, -0.5], [[0, 0]])).toThrow(RangeError);
    const out = { nu: zeros(2, 2), psi: zeros(2, 2), phi: zeros(1, 2) };
    expect(() => conditionalMoments(act, Float64Array.of(1, 1), zeros(2, 2), out)).toThrow(RangeError);
    expect(() => conditionalMoments(act, Float64Array.of(1), zeros(2, 2), out)).toThrow(RangeError);
  });
});
