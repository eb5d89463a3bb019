// Largest singular value of a linear map known only through products (docs/model.md §7 asks for operator
// norms by power iteration, not a full SVD): iterate x ← AᵀAx/‖AᵀAx‖ from a seeded random start.
//
// Stopping rule (the one the `converged` flag reports, never assumed): with x a unit vector,
// y = Ax, z = Aᵀy and ρ = ‖y‖² = xᵀAᵀAx, stop when the residual ‖z − ρx‖ ≤ tol·ρ. For a symmetric
// matrix some eigenvalue lies within ‖z − ρx‖ of the Rayleigh quotient ρ, so at convergence
// σ̂ = ‖Ax‖ is within relative tol/2 (to first order) of a singular value of A; and ‖Ax‖ ≤ σ_max
// always, so σ̂ is a lower bound whether or not the iteration converged. That the singular value
// found is the largest one rests on the random start having a component along the top singular
// vector (true with probability 1). A stalled relative change — which a near-degenerate top of
// the spectrum produces long before convergence — is not mistaken for convergence.
import type { Stream } from '../random/stream.ts';
import { dot, type Matrix } from './matrix.ts';

export interface OperatorNorm {
  /** σ̂ = ‖Ax‖ at the last iterate: a lower bound on ‖A‖_op, within tol of it when converged. */
  value: number;
  iterations: number;
  converged: boolean;
  /** The last unit iterate x (estimate of the top right singular vector). */
  vector: Float64Array;
}

export interface PowerOptions {
  stream: Stream;
  /** Bound on the number of AᵀA products (default 1000). */
  maxIterations?: number;
  /** Relative residual at which to stop (default 1e-6). */
  tolerance?: number;
}

/**
 * ‖A‖_op for A (rows × cols) given x ↦ Ax and y ↦ Aᵀy. Either callback may return a buffer it
 * reuses between calls: results are read at once and never kept.
 */
export function operatorNorm(
  apply: (x: Float64Array) => Float64Array,
  applyT: (y: Float64Array) => Float64Array,
  cols: number,
  opts: PowerOptions,
): OperatorNorm {
  const maxIterations = opts.maxIterations ?? 1000;
  const tolerance = opts.tolerance ?? 1e-6;
  if (!(maxIterations >= 1) || !Number.isInteger(maxIterations)) {
    throw new RangeError(`maxIterations must be a positive integer, got ${maxIterations}`);
  }
  if (!(tolerance > 0)) throw new RangeError(`tolerance must be positive, got ${tolerance}`);
  const x = opts.stream.gaussians(cols);
  const nx = Math.sqrt(dot(x, x));
  if (!(nx > 0)) return { value: 0, iterations: 0, converged: true, vector: x };
  for (let j = 0; j < cols; j++) x[j] /= nx;
  let value = 0;
  for (let it = 1; it <= maxIterations; it++) {
    const y = apply(x);
    const rho = dot(y, y);
    value = Math.sqrt(rho);
    const z = applyT(y);
    if (z.length !== cols) throw new RangeError(`applyT returned ${z.length} entries, expected ${cols}`);
    // ‖z − ρx‖² without allocating.
    let res2 = 0;
    let nz2 = 0;
    for (let j = 0; j < cols; j++) {
      const r = z[j] - rho * x[j];
      res2 += r * r;
      nz2 += z[j] * z[j];
    }
    // Ax = 0: the map is zero (a random start lies in a non-trivial null space with probability 0).
    if (rho === 0) return { value: 0, iterations: it, converged: true, vector: x };
    if (Math.sqrt(res2) <= tolerance * rho) return { value, iterations: it, converged: true, vector: x };
    if (it === maxIterations) break;
    const inv = 1 / Math.sqrt(nz2);
    for (let j = 0; j < cols; j++) x[j] = z[j] * inv;
  }
  return { value, iterations: maxIterations, converged: false, vector: x };
}

/** y = Mx. */
export function matVec(m: Matrix, x: Float64Array): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = dot(m.data.subarray(i * m.cols, (i + 1) * m.cols), x);
  return out;
}

/** x = Mᵀy, accumulated row by row so that M is read contiguously. */
export function matTVec(m: Matrix, y: Float64Array): Float64Array {
  const out = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) {
    const yi = y[i];
    if (yi === 0) continue;
    const r = m.data.subarray(i * m.cols, (i + 1) * m.cols);
    for (let j = 0; j < m.cols; j++) out[j] += yi * r[j];
  }
  return out;
}

/** ‖M‖_op by power iteration. */
export function matrixOperatorNorm(m: Matrix, opts: PowerOptions): OperatorNorm {
  return operatorNorm((x) => matVec(m, x), (y) => matTVec(m, y), m.cols, opts);
}

/** ‖uvᵀ‖_op = ‖u‖‖v‖ exactly (a rank-one map has one non-zero singular value). */
export function rankOneNorm(u: Float64Array, v: Float64Array): number {
  return Math.sqrt(dot(u, u)) * Math.sqrt(dot(v, v));
}

/**
 * ‖M − uvᵀ‖_op without forming M − uvᵀ: (M − uvᵀ)x = Mx − u(vᵀx), (M − uvᵀ)ᵀy = Mᵀy − v(uᵀy).
 * docs/model.md §7 compares this (the bulk Δ of the gradient) with rankOneNorm(u, v) (the spike).
 */
export function rankOneDeviationNorm(m: Matrix, u: Float64Array, v: Float64Array, opts: PowerOptions): OperatorNorm {
  if (u.length !== m.rows || v.length !== m.cols) {
    throw new RangeError(`u (${u.length}) and v (${v.length}) must match ${m.rows}x${m.cols}`);
  }
  return operatorNorm(
    (x) => {
      const y = matVec(m, x);
      const c = dot(v, x);
      for (let i = 0; i < y.length; i++) y[i] -= c * u[i];
      return y;
    },
    (y) => {
      const x = matTVec(m, y);
      const c = dot(u, y);
      for (let j = 0; j < x.length; j++) x[j] -= c * v[j];
      return x;
    },
    m.cols,
    opts,
  );
}
