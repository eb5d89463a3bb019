// Cui et al. (ICML 2024): the spiked random features (sRF) model of a two-layer network after one
// giant gradient step, and the self-consistent equations that give its test error in the
// proportional limit (their Result 3.3, conditional Gaussian equivalence). docs/model.md §11
// states the model, the protocol and every convention; this module only computes.
//
// Conventions (theirs, kept here; the map to the project's is in docs/model.md §11):
//   d input dimension, p width, n = αd readout samples, n₀ = α₀d step samples;
//   ridge ŵ = argmin ‖y − σ(ZW₁ᵀ)w/√p‖² + λ‖w‖² (a SUM loss); error = E(σ_*(x₁) − ŷ)² (no ½).
// The equations are those of Loureiro et al.'s Gaussian-covariate ridge with p features, so the
// sample ratio that multiplies the hat variables is n/p (= α when p = d) and ⟨·⟩ is a mean over the
// p eigenvalues; at r = 0 this is what makes them reduce to Mei–Montanari at ψ1 = p/d, ψ2 = n/d
// with λ_MM = λ/α (held by properties/oracles/srf.test.ts, also at p ≠ d).
import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { gaussianRule } from '../math/hermite/index.ts';
import { type Activation, anyActivation, type AnyActivationName } from '../math/activations.ts';
import { linalg } from '../linalg/index.ts';
import { fromData } from '../linalg/matrix.ts';
import { rootStream } from '../random/stream.ts';
import { dampedFixedPoint, nonNegative, positive, requireNumber, type SolverStatus } from './fixed-point.ts';

// ---------------------------------------------------------------------------------------------
// The sRF mapping: what one giant step does to the first layer, in three numbers.

export interface SrfMapping {
  /** μ₁ = E[zσ(z)] (= Eσ'(z)). */
  mu1: number;
  /** μ₁* = E[zσ_*(z)]. */
  mu1Star: number;
  /** μ₂* = E[σ_*(z)²] (a second moment, not a variance). */
  mu2Star: number;
  /** s² = E[(σ'(z) − μ₁)²]. */
  s2: number;
  /** Bulk rescaling c = √(1 + η̃²μ₂*s²/α₀). */
  c: number;
  /** Spike strength r = η̃μ₁√(μ₁*² + μ₂*·α₀⁻¹). */
  r: number;
  /** Overlap of the spike direction with the target direction, γ = μ₁* / √(μ₁*² + μ₂*·α₀⁻¹). */
  gamma: number;
  /** ρ = √(1 − γ²). */
  rho: number;
}

/** E over z ~ N(0,1) by the project's quadrature, split at the kinks of the integrand. */
function expect(f: (z: number) => number, kinks: readonly number[]): number {
  const { nodes, weights } = gaussianRule(kinks);
  let s = 0;
  for (let i = 0; i < nodes.length; i++) s += weights[i] * f(nodes[i]);
  return s;
}

/**
 * (c, r, γ) from the activation, the target and the step (α₀ = n₀/d, η̃). Derivation in one line:
 * with a₀ = 𝟙/√p and f₀ ≈ 0, row i moves by Δw_i = (η̃/n₀)Σ_μ y_μσ'(w_iᵀx_μ)x_μ; σ' = μ₁ + (σ' − μ₁)
 * splits it into a common spike η̃μ₁·Xᵀy/n₀ (squared norm/d → μ₁*² + μ₂*·α₀⁻¹, its overlap with e₁
 * → μ₁*) and a bulk of per-entry variance η̃²μ₂*s²/n₀, i.e. squared row norm η̃²μ₂*s²/α₀.
 * With α₀ = 0 or η̃ = 0 there is no step: c = 1, r = 0, γ = 0.
 * `bulkFactor` multiplies the bulk term under the root (1: the mapping; any other value is the
 * "wrong bulk rescaling" control, e.g. μ₁², which one public notebook writes there).
 */
export function srfMapping(act: Activation, target: Activation, alpha0: number, etaTilde: number, bulkFactor = 1): SrfMapping {
  const mu1 = expect((z) => z * act.f(z), act.kinks);
  const mu1Star = expect((z) => z * target.f(z), target.kinks);
  const mu2Star = expect((z) => target.f(z) ** 2, target.kinks);
  const s2 = expect((z) => (act.df(z) - mu1) ** 2, act.kinks);
  if (alpha0 === 0 || etaTilde === 0) return { mu1, mu1Star, mu2Star, s2, c: 1, r: 0, gamma: 0, rho: 1 };
  const spikeNorm = Math.sqrt(mu1Star * mu1Star + mu2Star / alpha0);
  const c = Math.sqrt(1 + (bulkFactor * etaTilde * etaTilde * mu2Star * s2) / alpha0);
  const r = etaTilde * mu1 * spikeNorm;
  const gamma = spikeNorm > 0 ? mu1Star / spikeNorm : 0;
  return { mu1, mu1Star, mu2Star, s2, c, r, gamma, rho: Math.sqrt(Math.max(0, 1 - gamma * gamma)) };
}

// ---------------------------------------------------------------------------------------------
// Conditional moments on the κ grid (the conditional Gaussian equivalence).

export interface SrfConditionals {
  /** κ nodes and weights (weights include the normal density): E_κ g ≈ Σ weight·g(kappa). */
  kappa: Float64Array;
  weight: Float64Array;
  /** μ₀(κ) = Eσ(rκ + cz), μ₁(κ) = E[zσ(rκ + cz)]/c, μ₂(κ)² = Eσ² − μ₀² − c²μ₁². */
  mu0: Float64Array;
  mu1: Float64Array;
  mu2sq: Float64Array;
  /** h(κ) = Eσ_*(γκ + ρz), h₁(κ) = E[zσ_*(γκ + ρz)], hh(κ) = Eσ_*(γκ + ρz)². */
  h: Float64Array;
  h1: Float64Array;
  hh: Float64Array;
}

/**
 * The six functions of κ at the nodes of the project's Gaussian rule (composite Gauss–Legendre
 * against φ: exact to ~1e-13 for smooth integrands and, split at the kinks, for ReLU too, where
 * Gauss–Hermite loses ~0.4%). The inner z-integrals split at the kinks of σ(rκ + cz) and σ_*(γκ + ρz).
 * They do not depend on the fixed-point state, so they are computed once.
 */
export function srfConditionals(act: Activation, target: Activation, map: Pick<SrfMapping, 'c' | 'r' | 'gamma' | 'rho'>): SrfConditionals {
  const { nodes: kappa, weights: weight } = gaussianRule();
  const K = kappa.length;
  const out = { kappa, weight, mu0: new Float64Array(K), mu1: new Float64Array(K), mu2sq: new Float64Array(K), h: new Float64Array(K), h1: new Float64Array(K), hh: new Float64Array(K) };
  const { c, r, gamma, rho } = map;
  for (let j = 0; j < K; j++) {
    const k = kappa[j];
    if (weight[j] < 1e-300) continue; // beyond |κ| ≈ 37: no mass
    const a = gaussianRule(act.kinks.map((q) => (q - r * k) / c));
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < a.nodes.length; i++) {
      const z = a.nodes[i];
      const v = act.f(r * k + c * z);
      s0 += a.weights[i] * v;
      s1 += a.weights[i] * z * v;
      s2 += a.weights[i] * v * v;
    }
    out.mu0[j] = s0;
    out.mu1[j] = s1 / c;
    // Round-off can push a vanishing nonlinear part below 0 (a linear σ): clamp.
    out.mu2sq[j] = Math.max(0, s2 - s0 * s0 - s1 * s1);
    const b = rho > 0 ? gaussianRule(target.kinks.map((q) => (q - gamma * k) / rho)) : { nodes: Float64Array.of(0), weights: Float64Array.of(1) };
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    for (let i = 0; i < b.nodes.length; i++) {
      const z = b.nodes[i];
      const v = target.f(gamma * k + rho * z);
      t0 += b.weights[i] * v;
      t1 += b.weights[i] * z * v;
      t2 += b.weights[i] * v * v;
    }
    out.h[j] = t0;
    out.h1[j] = t1;
    out.hh[j] = t2;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Spectral data.

export type SrfSpectrumMode = 'averaged' | 'instance' | 'limit';

export interface SrfSpectrum {
  /**
   * Eigenvalues D of Ω = WΠWᵀ (p of them), and the weights F_i = (p/d)(UᵀWv)_i², H_i = (p/d)(UᵀWζ)_i²
   * of docs/model.md §11. The factor p/d (1 in their p = d experiments) is the normalisation of a
   * direction of norm √d seen through p features; without it the equations miss Mei–Montanari at
   * ψ1 = p/d ≠ 1 by 40–100% (properties/oracles/srf.test.ts), with it they meet it to 1e-6.
   *
   * F = null: the spike direction's weights are not listed but follow their law given D (spikeWeights).
   * Wv is not a random direction for Ω: Π removes v itself, Ω = WWᵀ − (Wv)(Wv)ᵀ/d, so by
   * Sherman–Morrison (1/p)Σ F_i/(D_i − z) = g/(1 − g) with g(z) = (p/d)⟨D/(D − z)⟩, not g as for
   * a direction Π keeps (H; ζ ⊥ v). Replacing F by D (as H) made the fixed point depend on the
   * target's overlap γ with v even without a spike, where the model cannot see v (+48% at γ = 1, r = 0).
   */
  D: Float64Array;
  F: Float64Array | null;
  H: Float64Array;
  /** p/d (the law of F needs it). */
  pOverD: number;
  mode: SrfSpectrumMode;
}

/**
 * The three spectral means of the spike direction's weights F the equations need, ⟨F/S⟩, ⟨F/S²⟩
 * and ⟨DF/S²⟩ with S = λ + V̂₁D + V̂₂ = V̂₁(D − z), z = −(λ + V̂₂)/V̂₁. Listed weights: the sums. Their
 * law (F = null; SrfSpectrum.F): with g = (p/d)V̂₁⟨D/S⟩ = (p/d)⟨D/(D − z)⟩,
 *   ⟨F/S⟩ = (p/d)⟨D/S⟩/(1 − g),  ⟨F/S²⟩ = (p/d)⟨D/S²⟩/(1 − g)²  (the z-derivative of g/(1 − g)),
 * and for both ⟨DF/S²⟩ = (⟨F/S⟩ − (λ + V̂₂)⟨F/S²⟩)/V̂₁ (D = (S − λ − V̂₂)/V̂₁).
 */
export function spikeWeights(spec: SrfSpectrum, lambda: number, vh1: number, vh2: number): { fS: number; fS2: number; fDS2: number } {
  const { D, F } = spec;
  const p = D.length;
  // ⟨w/S⟩ and ⟨w/S²⟩ for listed weights w.
  const moments = (w: ArrayLike<number>): [number, number] => {
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < p; i++) {
      const inv = 1 / (lambda + vh1 * D[i] + vh2);
      s1 += w[i] * inv;
      s2 += w[i] * inv * inv;
    }
    return [s1 / p, s2 / p];
  };
  let fS: number;
  let fS2: number;
  if (F) [fS, fS2] = moments(F);
  else {
    const [dS, dS2] = moments(D);
    const g = spec.pOverD * vh1 * dS;
    fS = (spec.pOverD * dS) / (1 - g);
    fS2 = (spec.pOverD * dS2) / (1 - g) ** 2;
  }
  return { fS, fS2, fDS2: (fS - (lambda + vh2) * fS2) / vh1 };
}

/**
 * W₀ (p×d, rows uniform on the unit sphere), v and ζ ⊥ v (both of norm √d) from a seed, and the
 * eigendecomposition of Ω = c²W₀ΠW₀ᵀ, Π = I − vvᵀ/d. 'instance' keeps F_i = (UᵀWv)_i² and
 * H_i = (UᵀWζ)_i²; 'averaged' replaces H by D, its expectation over a uniformly random direction ζ
 * ⊥ v (which removes its χ²₁ fluctuations), and F by its law given D (SrfSpectrum.F).
 */
export function srfSampledSpectrum(d: number, p: number, c: number, seed: number, mode: 'averaged' | 'instance'): SrfSpectrum {
  const stream = rootStream(seed).child('srf-spectrum');
  const W0 = fromData(p, d, stream.child('W0').gaussians(p * d));
  for (let i = 0; i < p; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += W0.data[i * d + j] ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < d; j++) W0.data[i * d + j] *= inv;
  }
  const v = unitTimesSqrt(stream.child('v').gaussians(d));
  const g = stream.child('zeta').gaussians(d);
  // ζ = Πg, rescaled to norm √d.
  let gv = 0;
  for (let j = 0; j < d; j++) gv += g[j] * v[j];
  for (let j = 0; j < d; j++) g[j] -= (gv / d) * v[j];
  const zeta = unitTimesSqrt(g);
  const Wv = matVecRows(W0.data, p, d, v, c);
  const Wz = matVecRows(W0.data, p, d, zeta, c);
  const gram = linalg().gramAAt(W0);
  const omega = new MlMatrix(p, p);
  for (let i = 0; i < p; i++) {
    for (let k = 0; k < p; k++) omega.set(i, k, c * c * gram.data[i * p + k] - (Wv[i] * Wv[k]) / d);
  }
  const evd = new EigenvalueDecomposition(omega, { assumeSymmetric: true });
  const D = Float64Array.from(evd.realEigenvalues, (x) => Math.max(0, x));
  const teacher = p / d; // see SrfSpectrum.F
  if (mode === 'averaged') {
    return { D, F: null, H: D.map((x) => teacher * x), pOverD: teacher, mode };
  }
  const U = evd.eigenvectorMatrix;
  const F = new Float64Array(p);
  const H = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    let fv = 0;
    let hz = 0;
    for (let i = 0; i < p; i++) {
      const u = U.get(i, a);
      fv += u * Wv[i];
      hz += u * Wz[i];
    }
    F[a] = teacher * fv * fv;
    H[a] = teacher * hz * hz;
  }
  return { D, F, H, pOverD: teacher, mode };
}

function unitTimesSqrt(x: Float64Array): Float64Array {
  let s = 0;
  for (const v of x) s += v * v;
  const scale = Math.sqrt(x.length / s);
  return x.map((v) => v * scale);
}

function matVecRows(a: Float64Array, rows: number, cols: number, x: Float64Array, scale: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += a[i * cols + j] * x[j];
    out[i] = scale * s;
  }
  return out;
}

/**
 * The d → ∞ spectrum: p quantiles (at levels (i + ½)/p) of the Marchenko–Pastur law of W₀W₀ᵀ at
 * ratio p/d (support (1 ± √(p/d))², an atom 1 − d/p at 0 when p > d), scaled by c²; H = (p/d)D and F by its law given D (SrfSpectrum.F).
 * Deterministic, so the oracle's value depends on nothing random: the limit the sampled modes
 * approach at rate O(1/p).
 */
export function srfLimitSpectrum(p: number, ratio: number, c: number): SrfSpectrum {
  const lo = (1 - Math.sqrt(ratio)) ** 2;
  const hi = (1 + Math.sqrt(ratio)) ** 2;
  const mid = (lo + hi) / 2;
  const half = (hi - lo) / 2;
  // x = mid − half·cos t, t ∈ [0, π]: the density's square-root edges become smooth in t,
  // f(x)dx = half²sin²t/(2π·ratio·x) dt. Cumulative by the trapezoid rule on a fine t grid.
  const steps = 200_000;
  const cdf = new Float64Array(steps + 1);
  const xs = new Float64Array(steps + 1);
  const dens = (t: number): number => {
    const x = mid - half * Math.cos(t);
    const s = Math.sin(t);
    return x > 0 ? (half * half * s * s) / (2 * Math.PI * ratio * x) : half / (Math.PI * ratio) / 2;
  };
  const dt = Math.PI / steps;
  const atom = ratio > 1 ? 1 - 1 / ratio : 0;
  cdf[0] = atom;
  xs[0] = lo;
  let prev = dens(0);
  for (let i = 1; i <= steps; i++) {
    const t = i * dt;
    const cur = dens(t);
    cdf[i] = cdf[i - 1] + 0.5 * (prev + cur) * dt;
    xs[i] = mid - half * Math.cos(t);
    prev = cur;
  }
  // Normalise away the trapezoid's O(dt²) error in the total mass.
  const total = cdf[steps];
  const D = new Float64Array(p);
  let j = 0;
  for (let i = 0; i < p; i++) {
    const level = (i + 0.5) / p;
    if (level < atom) {
      D[i] = 0;
      continue;
    }
    const target = atom + ((level - atom) * (total - atom)) / (1 - atom);
    while (j < steps && cdf[j + 1] < target) j++;
    const w = (target - cdf[j]) / (cdf[j + 1] - cdf[j] || 1);
    D[i] = c * c * (xs[j] + w * (xs[j + 1] - xs[j]));
  }
  return { D, F: null, H: D.map((x) => ratio * x), pOverD: ratio, mode: 'limit' };
}

// ---------------------------------------------------------------------------------------------
// The fixed point.

export interface SrfInput {
  act: AnyActivationName;
  target: AnyActivationName;
  /** α₀ = n₀/d (0: no step). */
  alpha0: number;
  /** η̃: W₁ = W₀ + η̃·p·Gᵀ. */
  etaTilde: number;
  /** λ of the sum loss ‖y − Φw/√p‖² + λ‖w‖². */
  lambda: number;
  /** α = n/d. */
  alpha: number;
  d: number;
  /** Width (default d). */
  p?: number;
  spectrum: SrfSpectrumMode;
  /** Seed of W₀, v, ζ for the sampled spectra. */
  seed?: number;
  /** Replace the mapping's (c, r, γ) (the controls: r = 0, a wrong c). */
  override?: Partial<Pick<SrfMapping, 'c' | 'r' | 'gamma'>>;
}

export interface SrfResult {
  /** Test error E(σ_*(x₁) − ŷ)² (their convention: no ½, noise-free). */
  error: number;
  mapping: SrfMapping;
  overlaps: { q1: number; q2: number; V1: number; V2: number; theta: number; psi: number; m: number };
  status: SolverStatus;
  iterations: number;
  /** Last relative change of the iteration (its residual). */
  lastChange: number;
  converged: boolean;
}

export function validateSrf(input: SrfInput): void {
  requireNumber('alpha0', input.alpha0, 'α₀ = n₀/d, a number ≥ 0', nonNegative);
  requireNumber('eta-tilde', input.etaTilde, 'η̃, a finite number ≥ 0', nonNegative);
  requireNumber('lambda', input.lambda, 'λ of the sum loss, a number > 0', positive);
  requireNumber('alpha', input.alpha, 'α = n/d, a number > 0', positive);
  requireNumber('d', input.d, 'an integer ≥ 2', (v) => Number.isInteger(v) && v >= 2);
  if (input.p !== undefined) requireNumber('p', input.p, 'an integer ≥ 1', (v) => Number.isInteger(v) && v >= 1);
}

/** The spectrum the input asks for. */
export function srfSpectrumOf(input: SrfInput, c: number): SrfSpectrum {
  const p = input.p ?? input.d;
  if (input.spectrum === 'limit') return srfLimitSpectrum(p, p / input.d, c);
  return srfSampledSpectrum(input.d, p, c, input.seed ?? 1, input.spectrum);
}

/** Solve the self-consistent equations of docs/model.md §11 and return the test error. */
export function srfOracle(input: SrfInput, spectrumGiven?: SrfSpectrum): SrfResult {
  validateSrf(input);
  const act = anyActivation(input.act);
  const target = anyActivation(input.target);
  const base = srfMapping(act, target, input.alpha0, input.etaTilde);
  const o = input.override ?? {};
  const gamma = o.gamma ?? base.gamma;
  const mapping: SrfMapping = { ...base, c: o.c ?? base.c, r: o.r ?? base.r, gamma, rho: Math.sqrt(Math.max(0, 1 - gamma * gamma)) };
  const spectrum = spectrumGiven ?? srfSpectrumOf(input, mapping.c);
  const cond = srfConditionals(act, target, mapping);
  const p = spectrum.D.length;
  // The hat variables carry n/p (module comment): α·d/p.
  const ratio = (input.alpha * input.d) / p;
  return solveSrf(cond, spectrum, input.lambda, ratio, mapping);
}

/** The damped iteration on (q₁, q₂, V₁, V₂, θ, ψ, m) and the error at its fixed point. */
export function solveSrf(cond: SrfConditionals, spec: SrfSpectrum, lambda: number, ratio: number, mapping: SrfMapping): SrfResult {
  const { kappa, weight, mu0, mu1, mu2sq, h, h1, hh } = cond;
  const K = kappa.length;
  const { D, H } = spec;
  const p = D.length;
  // m multiplies μ₀(κ); with μ₀ ≡ 0 (an odd σ without spike shift) it is undetermined and irrelevant: 0.
  let mu0Size = 0;
  for (let j = 0; j < K; j++) mu0Size = Math.max(mu0Size, Math.abs(mu0[j]));
  const hasMean = mu0Size > 1e-12;
  const map = (x: Float64Array): Float64Array => {
    const [q1, q2, V1, V2, th, ps, m] = x;
    let qh1 = 0;
    let qh2 = 0;
    let vh1 = 0;
    let vh2 = 0;
    let thh = 0;
    let psh = 0;
    let mNum = 0;
    let mDen = 0;
    for (let j = 0; j < K; j++) {
      const w = weight[j];
      if (w === 0) continue;
      const m1 = mu1[j];
      const m1s = m1 * m1;
      const m2s = mu2sq[j];
      const V = m1s * V1 + m2s * V2;
      const Q = m1s * q1 + m2s * q2;
      const C = mu0[j] * m + m1 * kappa[j] * th;
      const inv = 1 / (1 + V);
      const A = (C * C + hh[j] - 2 * C * h[j] - 2 * m1 * ps * h1[j] + Q) * inv * inv;
      qh1 += w * m1s * A;
      qh2 += w * m2s * A;
      vh1 += w * m1s * inv;
      vh2 += w * m2s * inv;
      thh += w * kappa[j] * m1 * (h[j] - C) * inv;
      psh += w * m1 * h1[j] * inv;
      if (hasMean) {
        mNum += w * mu0[j] * (h[j] - m1 * kappa[j] * th) * inv;
        mDen += w * mu0[j] * mu0[j] * inv;
      }
    }
    qh1 *= ratio;
    qh2 *= ratio;
    vh1 *= ratio;
    vh2 *= ratio;
    thh *= ratio;
    psh *= ratio;
    // Spectral means over the p eigenvalues; the spike direction's (F) by spikeWeights.
    let dS = 0;
    let oneS = 0;
    let ddS2 = 0;
    let dS2 = 0;
    let oneS2 = 0;
    let hS = 0;
    let hS2 = 0;
    let hdS2 = 0;
    for (let i = 0; i < p; i++) {
      const inv = 1 / (lambda + vh1 * D[i] + vh2);
      const inv2 = inv * inv;
      dS += D[i] * inv;
      oneS += inv;
      ddS2 += D[i] * D[i] * inv2;
      dS2 += D[i] * inv2;
      oneS2 += inv2;
      hS += H[i] * inv;
      hS2 += H[i] * inv2;
      hdS2 += H[i] * D[i] * inv2;
    }
    const f = spikeWeights(spec, lambda, vh1, vh2);
    const t2 = thh * thh;
    const p2 = psh * psh;
    // q₁ = ⟨D·N/S²⟩, q₂ = ⟨N/S²⟩ with N = q̂₁D + q̂₂ + θ̂²F + ψ̂²H.
    const nq1 = qh1 * (ddS2 / p) + qh2 * (dS2 / p) + t2 * f.fDS2 + p2 * (hdS2 / p);
    const nq2 = qh1 * (dS2 / p) + qh2 * (oneS2 / p) + t2 * f.fS2 + p2 * (hS2 / p);
    return Float64Array.of(nq1, nq2, dS / p, oneS / p, thh * f.fS, (psh * hS) / p, hasMean ? mNum / mDen : 0);
  };
  // The published starting point; damping ½ (halved by the solver when the residual grows).
  const fp = dampedFixedPoint(map, [0.1, 0.2, 3, 3, 0.5, 0.5, hasMean ? 1.5 : 0], { damping: 0.5, tolerance: 1e-11, maxIterations: 20_000 });
  const [q1, q2, V1, V2, theta, psi, m] = fp.value;
  let error = 0;
  for (let j = 0; j < K; j++) {
    const w = weight[j];
    if (w === 0) continue;
    const C = mu0[j] * m + mu1[j] * kappa[j] * theta;
    error += w * (hh[j] - 2 * C * h[j] - 2 * mu1[j] * psi * h1[j] + C * C + mu1[j] * mu1[j] * q1 + mu2sq[j] * q2);
  }
  const status: SolverStatus = fp.status === 'converged' && !Number.isFinite(error) ? 'diverged' : fp.status;
  return {
    error,
    mapping,
    overlaps: { q1, q2, V1, V2, theta, psi, m },
    status,
    iterations: fp.iterations,
    lastChange: fp.residual,
    converged: status === 'converged',
  };
}

// ---------------------------------------------------------------------------------------------
// Conventions (docs/model.md §11).

/**
 * Their sum-loss λ in Mei–Montanari's convention: ‖y − Φw/√p‖² + λ‖w‖² with a = w/√p is
 * n·[(1/n)Σ(y − aᵀz)² + (pλ/n)‖a‖²], and MM's penalty is (pλ_MM/d)‖a‖², so λ_MM = λd/n = λ/α.
 */
export function srfLambdaToMM(lambda: number, alpha: number): number {
  return lambda / alpha;
}

/**
 * Their sum-loss λ as the project's λ (docs/model.md §3: (1/(2m))‖y − Zw‖² + (λ/2)‖w‖² with Z the
 * features over √k): multiplying the project's objective by 2m gives ‖y − Zw‖² + λ_project·m‖w‖²,
 * so λ_project = λ/m with m = n = αd readout samples.
 */
export function srfLambdaToProject(lambda: number, samples: number): number {
  return lambda / samples;
}

/** Their step W₁ = W₀ + η̃·p·Gᵀ is the project's F̂ = F + ηG (same G, transposed) with η = η̃·p. */
export function srfEtaToProject(etaTilde: number, p: number): number {
  return etaTilde * p;
}
