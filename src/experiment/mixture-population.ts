// The exact generalisation error of trained readouts over the mixture the trial draws from,
// instead of a mean over a finite test set: the test set's sampling noise leaves the paired gap
// and most of a trial's flops go with it (the test set is ~10 of a trial's ~16·n³).
import type { ExperimentConfig } from '../data/config.ts';
import type { MixtureStructure } from '../data/mixture.ts';
import { dot, fromData, linalg, type Matrix } from '../linalg/index.ts';
import type { FeatureLaw } from '../model/features.ts';
import { factorialTable } from '../math/hermite/index.ts';
import { targetHermite, targetMoments } from '../oracles/gaussian-setting.ts';
import { singleIndexTargetOf } from '../oracles/project-map.ts';

/** Series are truncated where max correlation^(L+1) < 1e-12, and refused beyond 64 terms. */
const TRUNCATION = 1e-12;
const MAX_DEGREE = 64;


/**
 * The exact generalisation error over a mixture of centred Gaussian components, for any models
 * whose features have a FeatureLaw. Component c draws x = A_cζ with A_c = I + Γ_cᵀdiag(f_c)Γ_c
 * (the sampler's construction), so given c the preactivations u = F̂x are centred Gaussian with
 * covariance G_c = (F̂A_c)(F̂A_c)ᵀ, and the target coordinate t = ξᵀx has variance ‖A_cξ‖² and
 * covariance F̂A_c·A_cξ with u. For each model (readout ŵ) and component,
 *   E_c(y − ŷ)² = E_c y² − (2/√k) Σ_i ŵ_i E_c[y φ(u_i)] + (1/k) Σ_ij ŵ_iŵ_j E_c[φ(u_i)φ(u_j)],
 * with the pair terms from the law's closed form or Mehler's series (src/model/features.ts), and
 *   E_c[y φ(u_i)] = Σ_l g_l a_l(s_i) r_i^l / l!  (regression, g_l the target's coefficients),
 *   E_c[y φ(u_i)] = y_c(1 − 2p)·a_0(s_i)          (classification: y = ±1 by component, flips p).
 * The error is ½·Σ_c ρ_c E_c(y − ŷ)². A polynomial feature's series ends at its degree: exact. A
 * series that would need more than 64 terms (max correlation^(L+1) > 1e-8) gives null, and so
 * do components with a mean: the caller then scores every model on the test set instead.
 */
export interface ModelReadout {
  law: FeatureLaw | undefined;
  w: Float64Array;
}

export interface MixturePopulation {
  /** ½·E(y − ŷ)² per model, in the order given. */
  gen: number[];
  /** ½·Var(y) over the mixture. */
  halfVarY: number;
}

export function mixturePopulationGen(Fhat: Matrix, models: readonly ModelReadout[], mixture: MixtureStructure, config: ExperimentConfig): MixturePopulation | null {
  if (models.some((m) => m.law === undefined)) return null;
  if (mixture.components.some((c) => c.mean !== null)) return null;
  const k = Fhat.rows;
  const n = Fhat.cols;
  const classification = config.task === 'classification';
  const target = classification ? null : singleIndexTargetOf(config, mixture);
  const sums = models.map(() => 0);
  let ey = 0;
  let ey2 = 0;
  for (const [c, comp] of mixture.components.entries()) {
    // F̂A_c = F̂ + (F̂Γᵀ) diag(f) Γ: k × n, without an n × n matrix (F̂ itself when isotropic).
    const d = comp.spikes.rows;
    const FA = d > 0 ? fromData(k, n, Float64Array.from(Fhat.data)) : Fhat;
    if (d > 0) {
      const fg = linalg().mulABt(Fhat, comp.spikes);
      for (let i = 0; i < k; i++) {
        const row = FA.data.subarray(i * n, (i + 1) * n);
        for (let l = 0; l < d; l++) {
          const a = fg.data[i * d + l] * comp.sampleFactors[l];
          const g = comp.spikes.data.subarray(l * n, (l + 1) * n);
          for (let t = 0; t < n; t++) row[t] += a * g[t];
        }
      }
    }
    const G = linalg().gramAAt(FA);
    const s = Float64Array.from({ length: k }, (_, i) => Math.sqrt(G.data[i * k + i]));
    // The target's law in this component.
    let eyc: number;
    let ey2c: number;
    let r: Float64Array | null = null;
    let gl: ((L: number) => Float64Array) | null = null;
    if (target) {
      const axi = Float64Array.from(target.direction);
      for (let l = 0; l < d; l++) {
        const g = comp.spikes.data.subarray(l * n, (l + 1) * n);
        const a = comp.sampleFactors[l] * dot(g, target.direction);
        for (let t = 0; t < n; t++) axi[t] += a * g[t];
      }
      const st = Math.sqrt(dot(axi, axi));
      const cov = linalg().mulABt(FA, fromData(1, n, axi)).data;
      r = Float64Array.from({ length: k }, (_, i) => cov[i] / (s[i] * st));
      const moments = targetMoments(target, st);
      eyc = moments.mean;
      ey2c = moments.second + target.tau ** 2;
      // The target's coefficients only as far as a model's series reaches (64 terms cost ~20 ms).
      let cached: Float64Array = new Float64Array(0);
      gl = (L) => (cached.length > L ? cached : (cached = targetHermite(target, st, L)));
    } else {
      eyc = (c === 0 ? 1 : -1) * (1 - 2 * config.noise);
      ey2c = 1;
    }
    ey += comp.weight * eyc;
    ey2 += comp.weight * ey2c;
    for (const [mi, model] of models.entries()) {
      const law = model.law as FeatureLaw;
      const e = componentError(law, model.w, G, s, r, gl, eyc, ey2c);
      if (e === null) return null;
      sums[mi] += comp.weight * e;
    }
  }
  return { gen: sums.map((v) => 0.5 * v), halfVarY: 0.5 * (ey2 - ey * ey) };
}

/**
 * E_c(y − ŷ)² for one model in one component (null when a series cannot be truncated): G the
 * preactivations' covariance (k × k), s their standard deviations, r their correlations with the
 * target's argument (null: classification), the target's Hermite coefficients g_l at its scale,
 * E_c y and E_c y². Also the exact error of Cui et al.'s protocol (src/experiment/cui-protocol.ts),
 * where the inputs are one isotropic Gaussian.
 */
export function componentError(law: FeatureLaw, w: Float64Array, G: Matrix, s: Float64Array, r: Float64Array | null, targetCoefficients: ((L: number) => Float64Array) | null, eyc: number, ey2c: number): number | null {
  const k = s.length;
  // How far the series must reach: the target correlations r_i always (unless the feature is a
  // polynomial), the pair correlations ρ_ij when there is no closed form.
  let maxRho = 0;
  if (r && law.degree === null) for (let i = 0; i < k; i++) maxRho = Math.max(maxRho, Math.abs(r[i]));
  if (!law.pair && law.degree === null) {
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) maxRho = Math.max(maxRho, Math.abs(G.data[i * k + j] / (s[i] * s[j])));
  }
  let L: number;
  if (law.degree !== null) L = law.degree;
  else {
    L = Math.min(MAX_DEGREE, Math.max(4, Math.ceil(Math.log(TRUNCATION) / Math.log(Math.max(maxRho, 1e-3))) - 1));
    if (maxRho ** (L + 1) > 1e-8) return null;
  }
  const fact = factorialTable(L);
  const coef = law.coefficients(s, L);
  const gl = r && targetCoefficients ? targetCoefficients(L) : null;
  let cross = 0;
  for (let i = 0; i < k; i++) {
    const a = coef[i].a;
    let e: number;
    if (r && gl) {
      e = 0;
      let rl = 1;
      for (let l = 0; l < a.length; l++) {
        e += (gl[l] * a[l] * rl) / fact[l];
        rl *= r[i];
      }
    } else e = eyc * a[0];
    cross += w[i] * e;
  }
  // Pair kernels by Horner's rule in ρ, the 1/l! folded into one side (k²/2 pairs: the hot loop).
  const scaled = law.pair ? [] : coef.map(({ a }) => a.map((v, l) => v / fact[l]));
  let quad = 0;
  for (let i = 0; i < k; i++) {
    quad += w[i] * w[i] * coef[i].diagonal;
    const ai = coef[i].a;
    const top = ai.length - 1;
    let row = 0;
    for (let j = i + 1; j < k; j++) {
      const c = G.data[i * k + j];
      let kij: number;
      if (law.pair) kij = law.pair(s[i], s[j], c);
      else {
        const rho = c / (s[i] * s[j]);
        const bj = scaled[j];
        kij = ai[top] * bj[top];
        for (let l = top - 1; l >= 0; l--) kij = kij * rho + ai[l] * bj[l];
      }
      row += w[j] * kij;
    }
    quad += 2 * w[i] * row;
  }
  return ey2c - (2 / Math.sqrt(k)) * cross + quad / k;
}
