// The deterministic equivalent of ridge regression on Gaussian-equivalent features, for one
// FIXED first layer F and Gaussian inputs x ~ N(0, Σ) (Σ = I + Σ_l θ_l γ_lγ_lᵀ, any spikes).
// It predicts the project's training and generalisation errors of the readout without drawing
// a single sample: only F, Σ, σ, the target and (m, λ) enter. Derivation (docs/oracles.md §2):
//
// 1. Gaussian equivalence. Neuron i sees u_i = f_iᵀx ~ N(0, b_i²), b_i² = f_iᵀΣf_i. Replace
//    σ(u_i) by μ0_i + μ1_i u_i + μ*_i g_i (g ~ N(0, I_k) independent of x) with
//    μ0_i = Eσ(b_iζ), μ1_i = E[σ(b_iζ)ζ]/b_i, μ*_i² = Eσ(b_iζ)² − μ0_i² − b_i²μ1_i²: the same mean,
//    the same covariance with x (Stein: E[σ(u_i)x] = μ1_i Σf_i) and the same second moment. Per
//    neuron, not one scalar μ: rows of a stepped or anisotropic F have different norms.
// 2. The readout's features are z = φ/√k, so the second moments the ridge sees are
//      Ω = E zzᵀ = (1/k)[μ0μ0ᵀ + M FΣFᵀ M + D²],  M = diag(μ1), D = diag(μ*),
//      c = E[z y] = (1/√k)[μ0·E y + M F E[x y]],   E[x y] = Σξ·E[t g(t)]/s²
//    for a single-index target y = g(t) + τε, t = ξᵀx ~ N(0, s²), s² = ξᵀΣξ (Gaussian regression
//    of x on t). The mean μ0 is kept inside Ω (second moments, not covariances): it is one
//    direction of eigenvalue ≈ ‖μ0‖²/k = O(1) among k of order 1/k, which the ridge fits almost
//    unpenalised, costing one degree of freedom either way — an O(1/m) matter.
// 3. Treat z as N(0, Ω). Then y = zᵀw* + r with w* = Ω⁻¹c and r independent of z, of variance
//    σ_r² = E y² − cᵀΩ⁻¹c: the target's nonlinear part, its noise and whatever linear part the k
//    features cannot express all act as noise.
// 4. Ridge with the project's objective (1/(2m))‖y − Zw‖² + (λ/2)‖w‖² is ŵ = (Ẑ + λ)⁻¹Zᵀy/m,
//    Ẑ = ZᵀZ/m, so the deterministic-equivalent penalty is λ' = λ itself (no n, no 2: the 1/√k
//    is inside z). The effective regularisation κ solves
//      λ = κ(1 − df1(κ)/m),  df1(κ) = Tr[Ω(Ω+κ)⁻¹],
//    and with df2(κ) = Tr[Ω²(Ω+κ)⁻²] (Bach 2023; Hastie et al. 2022; Atanasov et al. 2024):
//      E(y − zᵀŵ)² ≈ (κ² w*ᵀΩ(Ω+κ)⁻²w* + σ_r²)/(1 − df2/m)          (test, noise included)
//      T = (λ/2)·yᵀ(ZZᵀ/m + λ)⁻¹y/m ≈ (λ/2)(w*ᵀΩ(Ω+κ)⁻¹w* + σ_r²/κ)     (training, with penalty)
//    The training line: the optimal ridge objective equals (λ/2)yᵀ(ZZᵀ + λmI)⁻¹y exactly; its
//    signal part is (λ/2)w*ᵀẐ(Ẑ+λ)⁻¹w* with λ(Ẑ+λ)⁻¹ ≈ κ(Ω+κ)⁻¹, its noise part
//    (λ/2)σ_r²·(1/m)Tr[(ZZᵀ/m+λ)⁻¹] with (1/m)Tr[λ(ZZᵀ/m+λ)⁻¹] = 1 − df1(Ẑ)/m ≈ λ/κ.
//    The project's errors carry ½: gen = ½·E(y − ŷ)².
// 5. κ is unique: λ/κ falls from ∞ to 0 while 1 − df1(κ)/m rises, and κ ∈ [λ, λ + TrΩ/m]
//    (κ·df1(κ)/m ≤ TrΩ/m). At the root 1 − df2/m > 1 − df1/m = λ/κ > 0, so no division by zero.
import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { ConfigError } from '../data/config.ts';
import { dot, linalg, type Matrix } from '../linalg/index.ts';
import type { Activation } from '../math/activations.ts';
import { bracketedRoot, positive, requireNumber, type SolverStatus } from './fixed-point.ts';
import { applyCovariance, type GaussianInput, preactivationGram, type SingleIndexTarget, targetMoments } from './gaussian-setting.ts';
import { activationMoments } from './mei-montanari.ts';

export type { GaussianInput, SingleIndexTarget } from './gaussian-setting.ts';

/** The second moments of the readout problem: all the deterministic equivalent needs. */
export interface SecondMoments {
  /** Ω = E zzᵀ (k × k). */
  omega: Matrix;
  /** c = E[z y]. */
  cross: Float64Array;
  /** E y². */
  ySecondMoment: number;
}

/** Step 1–2 of the derivation: Ω, c and E y² of the Gaussian-equivalent features of F. */
export function gaussianEquivalentMoments(F: Matrix, input: GaussianInput, act: Activation, target: SingleIndexTarget): SecondMoments {
  const { rows: k, cols: n } = F;
  const fsf = preactivationGram(F, input);
  const mu0 = new Float64Array(k);
  const mu1 = new Float64Array(k);
  const muStar2 = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const b = Math.sqrt(fsf.data[i * k + i]);
    if (!(b > 0)) throw new RangeError(`neuron ${i} has a zero preactivation (f_iᵀΣf_i = 0)`);
    const mo = activationMoments(act, b);
    mu0[i] = mo.mu0;
    mu1[i] = mo.mu1;
    muStar2[i] = mo.muStar ** 2;
  }
  const omega = fsf; // overwritten in place
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      omega.data[i * k + j] = (mu0[i] * mu0[j] + mu1[i] * mu1[j] * fsf.data[i * k + j] + (i === j ? muStar2[i] : 0)) / k;
    }
  }
  const sigmaXi = applyCovariance(input, target.direction);
  const s2 = dot(target.direction, sigmaXi);
  if (!(s2 > 0)) throw new ConfigError('target', 'ξ = 0', 'a non-zero target direction');
  const tm = targetMoments(target, Math.sqrt(s2));
  // E[x y] = Σξ · E[t g(t)]/s²; c_i = (μ0_i E y + μ1_i f_iᵀE[xy])/√k.
  const fxy = linalg().mulAB(F, { rows: n, cols: 1, data: sigmaXi }).data;
  const invSqrtK = 1 / Math.sqrt(k);
  const cross = new Float64Array(k);
  for (let i = 0; i < k; i++) cross[i] = (mu0[i] * tm.mean + (mu1[i] * fxy[i] * tm.linear) / s2) * invSqrtK;
  return { omega, cross, ySecondMoment: tm.second + target.tau ** 2 };
}

/** Ω = U diag(ω) Uᵀ and c̃ = Uᵀc: after this every quantity is a sum over eigenvalues. */
export interface Spectrum {
  eigenvalues: Float64Array;
  /** c̃_i = u_iᵀc. */
  projections: Float64Array;
  ySecondMoment: number;
}

export function spectrumOf(moments: SecondMoments): Spectrum {
  const k = moments.omega.rows;
  const ml = new MlMatrix(k, k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) ml.set(i, j, moments.omega.data[i * k + j]);
  const evd = new EigenvalueDecomposition(ml, { assumeSymmetric: true });
  const U = evd.eigenvectorMatrix;
  const eigenvalues = Float64Array.from(evd.realEigenvalues);
  const projections = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += U.get(i, a) * moments.cross[i];
    projections[a] = s;
  }
  return { eigenvalues, projections, ySecondMoment: moments.ySecondMoment };
}

export interface RidgeEquivalent {
  /** Effective regularisation κ. */
  kappa: number;
  df1: number;
  df2: number;
  /** σ_r² = E y² − cᵀΩ⁻¹c: what no linear readout of these features can explain. */
  residualVariance: number;
  /** κ²·w*ᵀΩ(Ω+κ)⁻²w* divided by (1 − df2/m): the bias part of the excess test error. */
  bias: number;
  /** σ_r²·(df2/m)/(1 − df2/m): the variance part. */
  variance: number;
  /** The project's generalisation error ½·E(y − ŷ)² (noise included). */
  gen: number;
  /** The project's training error (1/(2m))‖y − Zŵ‖² + (λ/2)‖ŵ‖². */
  train: number;
  status: SolverStatus;
  iterations: number;
}

/** Steps 3–5: the deterministic equivalent from the spectrum, for m samples and penalty λ (project convention). */
export function ridgeEquivalent(spec: Spectrum, m: number, lambda: number): RidgeEquivalent {
  requireNumber('lambda', lambda, 'the ridge penalty λ, a number > 0', positive);
  requireNumber('m', m, 'a sample count > 0', positive);
  const top = spec.eigenvalues.reduce((a, b) => Math.max(a, b), 0);
  if (!(top > 0)) throw new ConfigError('F', 'Ω = 0', 'features with non-zero second moments');
  // Eigenvalues below round-off (a linear σ with k > n) are exact zeros: c has no part there.
  const cut = 1e-13 * top;
  const w: number[] = [];
  const c2: number[] = [];
  for (let a = 0; a < spec.eigenvalues.length; a++) {
    if (spec.eigenvalues[a] > cut) {
      w.push(spec.eigenvalues[a]);
      c2.push(spec.projections[a] ** 2);
    }
  }
  let explained = 0;
  let trace = 0;
  for (let a = 0; a < w.length; a++) {
    explained += c2[a] / w[a];
    trace += w[a];
  }
  const rawResidual = spec.ySecondMoment - explained;
  if (rawResidual < -1e-8 * spec.ySecondMoment) {
    throw new RangeError(`inconsistent second moments: cᵀΩ⁻¹c = ${explained} exceeds E y² = ${spec.ySecondMoment}`);
  }
  const residualVariance = Math.max(0, rawResidual);
  const df = (kappa: number, power: 1 | 2): number => {
    let s = 0;
    for (const om of w) s += power === 1 ? om / (om + kappa) : (om / (om + kappa)) ** 2;
    return s;
  };
  const root = bracketedRoot((kappa) => lambda / kappa - 1 + df(kappa, 1) / m, lambda, lambda + trace / m);
  const kappa = root.value;
  const df1 = df(kappa, 1);
  const df2 = df(kappa, 2);
  let biasNum = 0;
  let fitted = 0;
  for (let a = 0; a < w.length; a++) {
    biasNum += c2[a] / (w[a] * (w[a] + kappa) ** 2);
    fitted += c2[a] / (w[a] * (w[a] + kappa));
  }
  biasNum *= kappa * kappa;
  const denom = 1 - df2 / m;
  const testMse = (biasNum + residualVariance) / denom;
  return {
    kappa,
    df1,
    df2,
    residualVariance,
    bias: biasNum / denom,
    variance: (residualVariance * (df2 / m)) / denom,
    gen: testMse / 2,
    train: (lambda / 2) * (fitted + residualVariance / kappa),
    status: root.status,
    iterations: root.iterations,
  };
}

/** Everything at once: the predicted errors of the readout on the fixed first layer F. */
export function deterministicEquivalent(F: Matrix, input: GaussianInput, act: Activation, target: SingleIndexTarget, m: number, lambda: number): RidgeEquivalent {
  return ridgeEquivalent(spectrumOf(gaussianEquivalentMoments(F, input, act, target)), m, lambda);
}
