// The sRF oracle (docs/model.md §11) on its own: at η̃ = 0 it must be Mei–Montanari's random
// features risk, with λ_MM = λ/α, ψ1 = p/d, ψ2 = α, and a target σ_*(x₁) split into
// F1 = μ₁*, F*² = μ₂* − μ₀*² − μ₁*² (plus the constant μ₀*, learned through the features' mean).
import { describe, expect, it } from 'vitest';
import { type AnyActivationName, anyActivation, activation } from '../../src/math/activations.ts';
import { activationMoments, meiMontanariRisk } from '../../src/oracles/mei-montanari.ts';
import { spikeWeights, srfEtaToProject, srfLambdaToMM, srfLambdaToProject, srfMapping, srfOracle, srfSampledSpectrum, srfSpectrumOf } from '../../src/oracles/srf.ts';
import { gaussianExpectation } from '../../src/math/hermite/index.ts';
import { estimate } from '../../src/experiment/stats.ts';

function targetParts(name: AnyActivationName): { f1: number; fStar: number } {
  const t = anyActivation(name);
  const m0 = gaussianExpectation((z) => t.f(z), t.kinks);
  const m1 = gaussianExpectation((z) => z * t.f(z), t.kinks);
  const m2 = gaussianExpectation((z) => t.f(z) ** 2, t.kinks);
  return { f1: m1, fStar: Math.sqrt(m2 - m0 * m0 - m1 * m1) };
}

function mmOf(act: 'tanh' | 'relu', target: AnyActivationName, psi1: number, alpha: number, lambdaMM: number): number {
  const { f1, fStar } = targetParts(target);
  return meiMontanariRisk({ psi1, psi2: alpha, lambdaMM, moments: activationMoments(activation(act)), f1, fStar, tau: 0 }).risk;
}

// Tolerance of the reduction. With the 'limit' spectrum (p Marchenko–Pastur quantiles) the only
// differences are: the fixed-point tolerance 1e-11 (relative, contraction factor ≲ 0.9 → ≲ 1e-10
// in the error), the quadrature (~1e-13), and the midpoint-quantile discretisation of the spectral
// means ⟨g(D)⟩, which shrinks with p (at ψ1 = 2: 3.9e-6, 1.2e-6, 3.8e-7 relative at d = 500,
// 1000, 2000) down to a floor of 3.9e-6 at ψ1 = 1 (the law's 1/√x edge at 0 in the quantile
// grid). So 2e-5 relative, five times the largest measured difference (4.5e-6). A dropped factor (λ_MM = λ
// instead of λ/α at α = 2, or ψ2 = 1 instead of α) moves the risk by > 1% (checked below).
const REDUCTION_TOL = 2e-5;

describe('sRF oracle reduces to Mei–Montanari at η̃ = 0', () => {
  const cases: [('tanh' | 'relu'), AnyActivationName, number, number, number][] = [
    // act, target, ψ1 = p/d, α, λ
    ['tanh', 'tanh', 1, 0.5, 0.1],
    ['tanh', 'tanh', 1, 2, 0.1],
    ['tanh', 'sin', 1, 1.5, 0.05],
    ['relu', 'tanh', 1, 2, 0.1],
    ['tanh', 'tanh', 2, 1, 0.1],
    ['tanh', 'tanh', 0.5, 3, 0.2],
  ];
  for (const [act, target, psi1, alpha, lambda] of cases) {
    it(`${act}/${target}, ψ1 = ${psi1}, α = ${alpha}, λ = ${lambda}`, () => {
      const d = 1000;
      const p = Math.round(psi1 * d);
      const r = srfOracle({ act, target, alpha0: 0, etaTilde: 0, lambda, alpha, d, p, spectrum: 'limit' });
      expect(r.converged).toBe(true);
      const mm = mmOf(act, target, psi1, alpha, srfLambdaToMM(lambda, alpha));
      expect(Math.abs(r.error - mm) / mm).toBeLessThan(REDUCTION_TOL);
      // Dropping the 1/α of λ_MM (or reading ψ2 as 1) is rejected by the same tolerance.
      if (alpha !== 1) {
        expect(Math.abs(r.error - mmOf(act, target, psi1, alpha, lambda)) / mm).toBeGreaterThan(100 * REDUCTION_TOL);
        expect(Math.abs(r.error - mmOf(act, target, psi1, 1, srfLambdaToMM(lambda, alpha))) / mm).toBeGreaterThan(100 * REDUCTION_TOL);
      }
    });
  }

  it('the sampled averaged spectrum at d = p = 600 is within its finite-size error of the limit', () => {
    // Sampled eigenvalues differ from the quantiles by O(1/p) in the spectral means: measured
    // +1.8e-4, +3.8e-4, +7.2e-4, +4.8e-4 relative for seeds 1–4 (a small upward bias). 2e-3 allows
    // ~3× the largest; a bulk rescaling c off by 5% moves the error by 1.3% and is rejected.
    const base = { act: 'tanh', target: 'tanh', alpha0: 2, etaTilde: 1, lambda: 0.1, alpha: 1, d: 600 } as const;
    const lim = srfOracle({ ...base, spectrum: 'limit' });
    const avg = srfOracle({ ...base, spectrum: 'averaged', seed: 3 });
    expect(Math.abs(avg.error - lim.error) / lim.error).toBeLessThan(2e-3);
    const wrongC = srfOracle({ ...base, spectrum: 'limit', override: { c: lim.mapping.c * 1.05 } });
    expect(Math.abs(wrongC.error - lim.error) / lim.error).toBeGreaterThan(2e-3);
  });
});

describe('sRF mapping and conventions', () => {
  it('c, r, γ at tanh/tanh, α₀ = 2, η̃ = 1 from their defining moments', () => {
    const m = srfMapping(activation('tanh'), activation('tanh'), 2, 1);
    expect(m.c).toBeCloseTo(Math.sqrt(1 + (m.mu2Star * m.s2) / 2), 14);
    expect(m.r).toBeCloseTo(m.mu1 * Math.sqrt(m.mu1Star ** 2 + m.mu2Star / 2), 14);
    expect(m.gamma ** 2 + m.rho ** 2).toBeCloseTo(1, 14);
    // tanh: μ₁ = E tanh'(z) ≈ 0.6057 (Gaussian moment, independent check by quadrature of tanh').
    expect(m.mu1).toBeCloseTo(gaussianExpectation((z) => 1 - Math.tanh(z) ** 2), 12);
  });
  it('λ and η conversions carry their factors', () => {
    expect(srfLambdaToMM(0.1, 2)).toBe(0.05);
    expect(srfLambdaToProject(0.1, 1200)).toBeCloseTo(0.1 / 1200, 18);
    expect(srfEtaToProject(1.5, 600)).toBe(900);
  });
  it('refuses bad input with a named field', () => {
    expect(() => srfOracle({ act: 'tanh', target: 'tanh', alpha0: 2, etaTilde: 1, lambda: 0, alpha: 1, d: 600, spectrum: 'limit' })).toThrow(/lambda/);
    expect(() => srfOracle({ act: 'tanh', target: 'tanh', alpha0: -1, etaTilde: 1, lambda: 0.1, alpha: 1, d: 600, spectrum: 'limit' })).toThrow(/alpha0/);
  });
});

// An independent NumPy implementation of the same equations (properties/fixtures/srf_fixed_point.py,
// output committed beside it): Gauss–Hermite expectations instead of composite Gauss–Legendre, the
// Marchenko–Pastur density integrated instead of p quantiles, the spike direction's weights by
// g(z) and g'(z) on that density, another starting point. Measured differences ≤ 2.7e-6 relative
// at p = 800 and 2000 (the quantile grid's own discretisation, cf. REDUCTION_TOL above); 2e-5
// allows 7× that, while an overlap γ off by 0.01 moves the error by ~3%.
import fixedPoints from '../fixtures/srf-fixed-point.json' with { type: 'json' };

describe('the spike direction’s spectral weights (SrfSpectrum.F)', () => {
  // Without a spike (r = 0) the model σ(c·W₀x) does not see v, so the error cannot depend on the
  // target's overlap γ with v. The law of F given D keeps it so to round-off (measured 2e-12);
  // F replaced by (p/d)D, as for a direction Π keeps, moved it by +48% from γ = 0 to γ = 1.
  const base = { act: 'tanh', target: 'tanh', alpha0: 2, etaTilde: 1, lambda: 0.1, alpha: 1, d: 600 } as const;
  it('no spike: the fixed point does not depend on γ, with the limit and with the averaged spectrum', () => {
    for (const spectrum of ['limit', 'averaged'] as const) {
      const spec = srfSpectrumOf({ ...base, spectrum, seed: 2 }, srfMapping(activation('tanh'), activation('tanh'), 2, 1).c);
      const at = (gamma: number) => srfOracle({ ...base, spectrum, override: { r: 0, gamma } }, spec).error;
      const e0 = at(0);
      for (const g of [0.5, 0.9, 1]) expect(Math.abs(at(g) - e0) / e0).toBeLessThan(1e-9);
    }
  });
  it('negative control: F = (p/d)D (a direction Π keeps) breaks that invariance by > 10%', () => {
    const spec = srfSpectrumOf({ ...base, spectrum: 'limit' }, srfMapping(activation('tanh'), activation('tanh'), 2, 1).c);
    const asIfKept = { ...spec, F: spec.H };
    const at = (gamma: number) => srfOracle({ ...base, spectrum: 'limit', override: { r: 0, gamma } }, asIfKept).error;
    expect(Math.abs(at(1) - at(0)) / at(0)).toBeGreaterThan(0.1);
  });
  it('the law’s spectral mean ⟨F/S⟩ against sampled instances’ listed weights (d = p = 200, seeds 1–12)', () => {
    // ⟨F/S⟩ of one instance is a quadratic form in the one vector Wv: it fluctuates about the law by
    // O(d^-1/2) (measured ±7–10% per instance at d = 200–800, z = −1). The mean of twelve relative
    // differences must be within 4 of its standard errors of 0 (measured −4.3% ± 2.3%), while
    // (p/d)⟨D/S⟩ — the weights of a direction Π keeps — is ~40% below the law.
    // S = λ + V̂₁D + V̂₂ with λ = 0.1, V̂₁ = 0.36, V̂₂ = 0.26: z = −(λ + V̂₂)/V̂₁ = −1.
    const c = srfMapping(activation('tanh'), activation('tanh'), 2, 1).c;
    const [lam, vh1, vh2] = [0.1, 0.36, 0.26];
    const rel: number[] = [];
    const keptRel: number[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const sp = srfSampledSpectrum(200, 200, c, seed, 'instance');
      const law = spikeWeights({ ...sp, F: null }, lam, vh1, vh2).fS;
      rel.push(spikeWeights(sp, lam, vh1, vh2).fS / law - 1);
      let kept = 0;
      for (let i = 0; i < 200; i++) kept += sp.H[i] / (lam + vh1 * sp.D[i] + vh2) / 200;
      keptRel.push(kept / law - 1);
    }
    const e = estimate(rel);
    expect(Math.abs(e.mean), `${e.mean} ± ${e.se}`).toBeLessThan(4 * (e.se as number));
    expect(estimate(keptRel).mean).toBeLessThan(-0.3);
  });
});

describe('the sRF fixed point against an independent NumPy implementation', () => {
  for (const r of fixedPoints.results) {
    const s = r.setting as { act: 'tanh'; target: 'tanh' | 'sin'; alpha0: number; eta: number; lam: number; alpha: number; gamma?: number; r?: number };
    it(`${s.act}/${s.target}, α₀ = ${s.alpha0}, η̃ = ${s.eta}, α = ${s.alpha}, λ = ${s.lam}${s.gamma !== undefined ? `, γ = ${s.gamma}` : ''}${s.r !== undefined ? `, r = ${s.r}` : ''}: ${r.error.toFixed(6)}`, () => {
      const input = { act: s.act, target: s.target, alpha0: s.alpha0, etaTilde: s.eta, lambda: s.lam, alpha: s.alpha, d: 800, spectrum: 'limit' as const };
      const o = srfOracle({ ...input, override: { ...(s.gamma !== undefined ? { gamma: s.gamma } : {}), ...(s.r !== undefined ? { r: s.r } : {}) } });
      expect(o.converged).toBe(true);
      expect(Math.abs(o.error - r.error) / r.error).toBeLessThan(REDUCTION_TOL);
      expect(o.mapping.c).toBeCloseTo(r.c, 12);
      expect(o.mapping.r).toBeCloseTo(r.r, 12);
      if (s.gamma === undefined) expect(o.mapping.gamma).toBeCloseTo(r.gamma, 12);
      if (s.eta > 0 && s.r === undefined) {
        const off = srfOracle({ ...input, override: { gamma: (s.gamma ?? r.gamma) - 0.01 } });
        expect(Math.abs(off.error - r.error) / r.error).toBeGreaterThan(100 * REDUCTION_TOL);
      }
    });
  }
});
