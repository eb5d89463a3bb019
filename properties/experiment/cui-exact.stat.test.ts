// The exact test error of Cui et al.'s protocol (isotropicExactError, src/experiment/cui-protocol.ts)
// against the test set it replaces. The readouts do not depend on the test set, so on the same seeds
// the test-set error is an unbiased estimate of the exact one: their per-trial relative difference
// must average to 0 within its standard error. An exact error wrong by 2% (twice the excess that
// srf-asymptotics must resolve) must be rejected by the same rule: measured, the test-set error's
// relative difference is −0.13% ± 0.18% (srf), −0.17% ± 0.18% (nn), −0.26% ± 0.22% (no spike).
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { describe, expect, it } from 'vitest';
import { cuiTrial, isotropicExactError } from '../../src/experiment/cui-protocol.ts';
import { estimate } from '../../src/experiment/stats.ts';
import { fromData } from '../../src/linalg/index.ts';
import { activation } from '../../src/math/activations.ts';
import { gaussHermiteRule, gaussianExpectation } from '../../src/math/hermite/index.ts';
import { rootStream } from '../../src/random/stream.ts';

describe('the exact error of a readout on σ(Ax), x ~ N(0, I_d), target σ_*(x₁)', () => {
  it('equals a direct three-dimensional Gauss–Hermite integral over (x₁, u₁, u₂) for two tanh neurons', () => {
    // d = 3, p = 2: (x₁, u₁, u₂) is Gaussian with covariance [[1, A₁₁, A₂₁], [A₁₁, ‖a₁‖², a₁ᵀa₂], [A₂₁, a₁ᵀa₂, ‖a₂‖²]].
    const A = fromData(2, 3, Float64Array.of(0.35, -0.6, 0.5, 0.2, 0.7, 0.45));
    const w = Float64Array.of(1.3, -0.8);
    const act = activation('tanh');
    const exact = isotropicExactError(A, w, act, act) as number;
    // x = (z₁, z₂, z₃) directly, 64³ nodes of the product rule. Gauss–Hermite converges only
    // geometrically for tanh (poles at ±iπ/2): the difference was 3.7e-7 with 40 nodes, 2.6e-9 with
    // 64, i.e. the direct integral's own error; 1e-8 allows 4× that.
    const { nodes, weights } = gaussHermiteRule(64);
    let direct = 0;
    for (let a = 0; a < 64; a++) {
      for (let b = 0; b < 64; b++) {
        for (let c = 0; c < 64; c++) {
          const x = [nodes[a], nodes[b], nodes[c]];
          const u = [0, 1].map((i) => A.data[3 * i] * x[0] + A.data[3 * i + 1] * x[1] + A.data[3 * i + 2] * x[2]);
          const yhat = (w[0] * Math.tanh(u[0]) + w[1] * Math.tanh(u[1])) / Math.SQRT2;
          direct += weights[a] * weights[b] * weights[c] * (Math.tanh(x[0]) - yhat) ** 2;
        }
      }
    }
    expect(Math.abs(exact - direct)).toBeLessThan(1e-8);
    // The 1/√p of the predictions is in it: without it the error is another number.
    const noScale = isotropicExactError(A, w.map((t) => t * Math.SQRT2), act, act) as number;
    expect(Math.abs(noScale - direct)).toBeGreaterThan(1e-2);
  });

  it('a linear σ: E σ_*² − 2μ₁*(Aᵀw)₁/√p + ‖Aᵀw‖²/p exactly', () => {
    const [p, d] = [7, 5];
    const A = fromData(p, d, rootStream(3).child('A').gaussians(p * d).map((t) => t / Math.sqrt(d)));
    const w = rootStream(3).child('w').gaussians(p);
    const tanh = activation('tanh');
    const atw = new Float64Array(d);
    for (let i = 0; i < p; i++) for (let t = 0; t < d; t++) atw[t] += A.data[i * d + t] * w[i];
    const mu1 = gaussianExpectation((z) => z * Math.tanh(z));
    const mu2 = gaussianExpectation((z) => Math.tanh(z) ** 2);
    const want = mu2 - (2 * mu1 * atw[0]) / Math.sqrt(p) + atw.reduce((s, t) => s + t * t, 0) / p;
    expect(isotropicExactError(A, w, activation('linear'), tanh)).toBeCloseTo(want, 12);
  });
});

// d = 200, seeds 1–8, 200d = 40,000 test points per trial (the test set's relative spread is
// ≈ 1.5/√40,000 ≈ 0.75% per trial). Allowed: t_{0.9995, 7}·SE (a 0.1% two-sided false-failure rate
// per check, 3 checks) plus a 1e-9 floor. About 10 s.
const TRIALS = 8;
const D = 200;
const T_ALLOWED = tQuantile(1 - 0.0005, TRIALS - 1);

describe(`exact error vs the test set on the same draws (d = ${D}, ${TRIALS} seeds, tanh/tanh, α₀ = 2, η̃ = 1, α = 1, λ = 0.1)`, () => {
  const s = { act: 'tanh', target: 'tanh', alpha0: 2, etaTilde: 1, lambda: 0.1, alpha: 1, d: D, testSize: 200 * D, exact: true } as const;
  const trials = Array.from({ length: TRIALS }, (_, t) => cuiTrial(s, t + 1, ['srf', 'srf-no-spike']));
  const relative = (test: string, exact: string) => estimate(trials.map((r) => ((r.testErrors as Record<string, number>)[test] - r.errors[exact]) / r.errors[exact]));

  for (const model of ['nn', 'srf', 'srf-no-spike']) {
    it(`${model}: the test-set error is unbiased for the exact one`, () => {
      const e = relative(model, model);
      console.log(`${model}: (test − exact)/exact = ${e.mean} ± ${e.se}`);
      expect(Math.abs(e.mean), `mean ${e.mean}, se ${e.se}`).toBeLessThanOrEqual(T_ALLOWED * (e.se as number) + 1e-9);
    });
  }

  it('negative control: an exact error 2% too high (the size of the excess srf-asymptotics must resolve) is rejected', () => {
    const e = estimate(trials.map((r) => ((r.testErrors as Record<string, number>).srf - 1.02 * r.errors.srf) / (1.02 * r.errors.srf)));
    expect(Math.abs(e.mean), `mean ${e.mean}, se ${e.se}`).toBeGreaterThan(T_ALLOWED * (e.se as number) + 1e-9);
  });
});
