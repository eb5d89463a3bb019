// A Gaussian single-index regression setting: inputs x ~ N(0, Σ) with Σ = I_n + Σ_l θ_l γ_lγ_lᵀ
// (a few spikes, never an n×n matrix) and a target y = g(ξᵀx) + τε. Both the fixed-first-layer
// oracle and the exact (population) test error of a trained readout are expectations over this
// distribution; this module holds what they share: Σ applied to vectors, the Gram matrix FΣFᵀ of
// the preactivations, and the Gaussian moments of g.
import { gaussianExpectation, hermite } from '../math/hermite/index.ts';
import { dot, linalg, type Matrix } from '../linalg/index.ts';

/** Gaussian inputs x ~ N(0, Σ), Σ = I_n + Σ_l θ_l γ_l γ_lᵀ (γ_l the rows of `spikes`). */
export interface GaussianInput {
  n: number;
  /** d × n (d may be 0). */
  spikes: Matrix;
  thetas: Float64Array;
}

/** y = g(t) + τε with t = ξᵀx. */
export interface SingleIndexTarget {
  g: (t: number) => number;
  /** Points where g is not smooth (for exact quadrature), in t units. */
  kinks: readonly number[];
  direction: Float64Array;
  tau: number;
}

/** Σv without forming Σ: v + Σ_l θ_l (γ_lᵀv) γ_l. */
export function applyCovariance(input: GaussianInput, v: Float64Array): Float64Array {
  const out = Float64Array.from(v);
  const { spikes, thetas, n } = input;
  for (let l = 0; l < spikes.rows; l++) {
    const g = spikes.data.subarray(l * n, (l + 1) * n);
    const a = thetas[l] * dot(g, v);
    for (let t = 0; t < n; t++) out[t] += a * g[t];
  }
  return out;
}

/** FΣFᵀ = FFᵀ + (FΓᵀ) diag(θ) (FΓᵀ)ᵀ (k × k): the covariance of the preactivations Fx. */
export function preactivationGram(F: Matrix, input: GaussianInput): Matrix {
  if (F.cols !== input.n) throw new RangeError(`F has ${F.cols} columns but the input dimension is ${input.n}`);
  const k = F.rows;
  const gram = linalg().gramAAt(F);
  const d = input.spikes.rows;
  if (d > 0) {
    const fg = linalg().mulABt(F, input.spikes); // k × d
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let l = 0; l < d; l++) s += input.thetas[l] * fg.data[i * d + l] * fg.data[j * d + l];
        gram.data[i * k + j] += s;
      }
    }
  }
  return gram;
}

/** E g(t), E[t g(t)], E g(t)² for t ~ N(0, s²). */
export function targetMoments(target: SingleIndexTarget, s: number): { mean: number; linear: number; second: number } {
  const breaks = target.kinks.map((k) => k / s);
  return {
    mean: gaussianExpectation((z) => target.g(s * z), breaks),
    linear: s * gaussianExpectation((z) => z * target.g(s * z), breaks),
    second: gaussianExpectation((z) => target.g(s * z) ** 2, breaks),
  };
}

/** g_l = E[g(sζ) He_l(ζ)] for l = 0..L (g's Hermite coefficients at the scale of t). */
export function targetHermite(target: SingleIndexTarget, s: number, maxDegree: number): Float64Array {
  const breaks = target.kinks.map((k) => k / s);
  return Float64Array.from({ length: maxDegree + 1 }, (_, l) => gaussianExpectation((z) => target.g(s * z) * hermite(l, z), breaks));
}
