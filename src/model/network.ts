// The two-layer network of docs/model.md §3: f(x) = (1/√k) wᵀσ(Fx), its initialisation, and the one
// large gradient step on the first layer (on its own sample set, second layer fixed).
import { linalg } from '../linalg/index.ts';
import { type Matrix, matrixToOverwrite, recycle } from '../linalg/matrix.ts';
import { matTVec } from '../linalg/power-iteration.ts';
import type { StepScale } from '../data/config.ts';
import type { Stream } from '../random/stream.ts';
import { type Activation, activation } from '../math/activations.ts';

export interface Network {
  /** First layer F (k×n). */
  F: Matrix;
  /** Second layer w (k). */
  w: Float64Array;
}

/** F_ij ~ N(0, 1/tr), w ~ N(0, I_k/k). */
export function initNetwork(n: number, k: number, trace: number, stream: Stream): Network {
  const F = matrixToOverwrite(k, n); // every entry a Gaussian below
  stream.child('F').fillGaussian(F.data, 0, F.data.length, 1 / Math.sqrt(trace));
  const w = stream.child('w').gaussians(k, 1 / Math.sqrt(k));
  return { F, w };
}

/** Preactivations X Fᵀ (rows × k): row j holds (f_i ᵀ x_j)_i. */
export function preactivations(X: Matrix, F: Matrix): Matrix {
  return linalg().mulABt(X, F);
}

/**
 * σ on every preactivation, for the activation itself: ReLU through the backend's branch-free
 * pass where it has one (the same bits; a JavaScript ReLU mispredicts half its branches on
 * centred inputs), anything else entry by entry.
 */
/** The project's own ReLU, by its functions (not its name: an API user's σ may be called anything). */
function isProjectRelu(act: Activation): boolean {
  const relu = activation('relu');
  return act.f === relu.f && act.df === relu.df;
}

export function activate(pre: Matrix, act: Activation): Matrix {
  const relu = isProjectRelu(act) ? linalg().relu : undefined;
  if (!relu) return applyActivation(pre, act.f);
  const out = matrixToOverwrite(pre.rows, pre.cols); // the pass sets every entry
  relu(pre.data, out.data);
  return out;
}

/** σ applied entry-wise into a new matrix. */
export function applyActivation(pre: Matrix, f: (x: number) => number): Matrix {
  const out = matrixToOverwrite(pre.rows, pre.cols);
  const a = pre.data;
  const o = out.data;
  for (let i = 0; i < a.length; i++) o[i] = f(a[i]);
  return out;
}

/** Network outputs (1/√k) wᵀσ(F x_j) for every row of a preactivation block. */
export function networkOutputs(pre: Matrix, w: Float64Array, act: Activation): Float64Array {
  const k = pre.cols;
  const out = new Float64Array(pre.rows);
  const scale = 1 / Math.sqrt(k);
  const sums = isProjectRelu(act) ? linalg().reluRowSums : undefined;
  if (sums) {
    sums(pre.data, k, w, out);
    for (let j = 0; j < pre.rows; j++) out[j] *= scale;
    return out;
  }
  for (let j = 0; j < pre.rows; j++) {
    let s = 0;
    const base = j * k;
    for (let i = 0; i < k; i++) s += w[i] * act.f(pre.data[base + i]);
    out[j] = s * scale;
  }
  return out;
}

/**
 * G = (1/m̃) [((1/√k) w (ỹ − f(X̃))ᵀ) ⊙ σ'(F X̃ᵀ)] X̃, minus the gradient of the step loss
 * (1/(2m̃)) Σ_j (ỹ_j − f(x̃_j))² with respect to F.
 */
export function gradientStep(net: Network, X: Matrix, y: Float64Array, act: Activation): Matrix {
  const mStep = X.rows;
  const k = net.F.rows;
  const pre = preactivations(X, net.F); // m̃ × k
  const out = networkOutputs(pre, net.w, act);
  // D_ji = (1/m̃)(1/√k) w_i r_j σ'(pre_ji), then G = Dᵀ X̃ (k × n).
  const D = pre; // overwritten in place: the preactivations are not needed afterwards
  const c = 1 / (mStep * Math.sqrt(k));
  const weights = isProjectRelu(act) ? linalg().reluGradientWeights : undefined;
  if (weights) weights(D.data, k, Float64Array.from(out, (o, j) => c * (y[j] - o)), net.w);
  else {
    for (let j = 0; j < mStep; j++) {
      const rj = c * (y[j] - out[j]);
      const base = j * k;
      for (let i = 0; i < k; i++) D.data[base + i] = rj * net.w[i] * act.df(D.data[base + i]);
    }
  }
  const G = linalg().mulAtB(D, X);
  recycle(D);
  return G;
}

/**
 * The multiplier of G in F̂ = F + (multiplier)·G: η itself (the authors' step), or η√k
 * (Ba et al.'s convention, `--step-scale sqrt-k`).
 */
export function stepMultiplier(eta: number, k: number, scale: StepScale): number {
  return scale === 'sqrt-k' ? eta * Math.sqrt(k) : eta;
}

/**
 * X̃ᵀỹ: the direction of the rank-one part of G (docs/model.md §7: G = uvᵀ + Δ with v = X̃ᵀỹ/(m̃√k)),
 * the one place it is computed.
 */
export function stepSetCorrelation(stepSet: { X: Matrix; y: Float64Array }): Float64Array {
  return matTVec(stepSet.X, stepSet.y);
}

/** F̂ = F + ηG. */
export function stepFirstLayer(F: Matrix, G: Matrix, eta: number): Matrix {
  const out = matrixToOverwrite(F.rows, F.cols);
  for (let i = 0; i < out.data.length; i++) out.data[i] = F.data[i] + eta * G.data[i];
  return out;
}
