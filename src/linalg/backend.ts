// The interface of the numeric hot paths. Every backend (the plain reference below, and
// faster ones selected by name) computes the same products; property tests hold each
// against the reference.
import type { GaussianPairsKernel } from '../random/stream.ts';
import type { Matrix } from './matrix.ts';

export interface LinalgBackend {
  readonly name: string;
  /** C = A·Bᵀ for A (r×n), B (c×n): C is r×c. Rows of both operands are contiguous. */
  mulABt(a: Matrix, b: Matrix): Matrix;
  /** C = A·B for A (r×n), B (n×c). */
  mulAB(a: Matrix, b: Matrix): Matrix;
  /** C = Aᵀ·B for A (r×p), B (r×q): C is p×q. */
  mulAtB(a: Matrix, b: Matrix): Matrix;
  /** Gram matrix AᵀA (p×p, both triangles filled) for A (r×p). */
  gramAtA(a: Matrix): Matrix;
  /** Gram matrix AAᵀ (r×r, both triangles filled) for A (r×p). */
  gramAAt(a: Matrix): Matrix;
  /**
   * Solve S x = b for symmetric positive definite S by Cholesky; b may hold several
   * right-hand sides as columns (b is p×q). S is not modified.
   */
  choleskySolve(s: Matrix, b: Matrix): Matrix;
  /** Optional: a fast Gaussian fill that continues a stream exactly (see random/stream.ts). */
  readonly gaussianPairs?: GaussianPairsKernel;
  /** Optional: out[i] = x[i] > 0 ? x[i] : 0, bit for bit the JavaScript ReLU (src/math/activations.ts). */
  readonly relu?: (x: Float64Array, out: Float64Array) => void;
  /**
   * Optional: out[i] += Σ_j c_j p_j(scale·x[i]) with the recurrence's tables √j and 1/√(j+1), bit
   * for bit the JavaScript (src/math/hermite/polynomials.ts).
   */
  readonly hermiteSeriesAdd?: (c: Float64Array, sqrtTable: Float64Array, invSqrtNext: Float64Array, x: Float64Array, scale: number, out: Float64Array) => void;
  /** Optional: out[j] = Σ_i (z_ji·f)·w_i summed in order, bit for bit the JavaScript (src/model/ridge.ts). */
  readonly scaledMatVec?: (z: Matrix, f: number, w: Float64Array, out: Float64Array) => void;
  /**
   * Optional: the sampler's covariance step on the listed rows of x (src/data/sampler.ts:
   * a_i = f_i·dot(g_i, ζ), then x += Σ a_i g_i in order, then + μ; mean empty for none), bit for bit.
   */
  readonly spikeShiftRows?: (x: Float64Array, n: number, rows: Int32Array, spikes: Float64Array, factors: Float64Array, mean: Float64Array) => void;
  /** Optional: out[r] = dot(v, row r of x) in src/linalg/matrix.ts's order, bit for bit. */
  readonly rowDots?: (x: Float64Array, n: number, v: Float64Array, out: Float64Array) => void;
  /** Optional, a ReLU network's step (src/model/network.ts): out_j = Σ_i w_i·relu(pre_ji) in order, bit for bit. */
  readonly reluRowSums?: (pre: Float64Array, k: number, w: Float64Array, out: Float64Array) => void;
  /** Optional: pre_ji ← (r_j·w_i)·(pre_ji > 0 ? 1 : 0) in place, bit for bit. */
  readonly reluGradientWeights?: (pre: Float64Array, k: number, r: Float64Array, w: Float64Array) => void;
}
