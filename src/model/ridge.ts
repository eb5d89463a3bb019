// The ridge readout of SPEC §3: ŵ = argmin (1/(2m))‖y − Zŵ‖² + (λ/2)‖ŵ‖² with Z = Φᵀ the
// m×k feature matrix already scaled by 1/√k, i.e. ŵ = (ZᵀZ + λmI_k)⁻¹Zᵀy.
// When k > m the same ŵ comes cheaper from the dual form ŵ = Zᵀ(ZZᵀ + λmI_m)⁻¹y
// (push-through identity), so the solve is always in the smaller dimension.
import { linalg } from '../linalg/index.ts';
import { fromData, type Matrix } from '../linalg/matrix.ts';

export interface RidgeFit {
  w: Float64Array;
  /** T = (1/(2m))‖y − Zŵ‖² + (λ/2)‖ŵ‖². */
  train: number;
  /** Training fitted values Zŵ. */
  fitted: Float64Array;
}

function addRidge(gram: Matrix, shift: number): Matrix {
  const p = gram.rows;
  for (let i = 0; i < p; i++) gram.data[i * p + i] += shift;
  return gram;
}

export function matVec(Z: Matrix, w: Float64Array): Float64Array {
  const out = new Float64Array(Z.rows);
  for (let j = 0; j < Z.rows; j++) {
    let s = 0;
    const base = j * Z.cols;
    for (let i = 0; i < Z.cols; i++) s += Z.data[base + i] * w[i];
    out[j] = s;
  }
  return out;
}

export function fitRidge(Z: Matrix, y: Float64Array, lambda: number): RidgeFit {
  const m = Z.rows;
  const k = Z.cols;
  const la = linalg();
  let w: Float64Array;
  if (k <= m) {
    const gram = addRidge(la.gramAtA(Z), lambda * m);
    const rhs = la.mulAtB(Z, fromData(m, 1, y));
    w = la.choleskySolve(gram, rhs).data;
  } else {
    const gram = addRidge(la.gramAAt(Z), lambda * m);
    const dual = la.choleskySolve(gram, fromData(m, 1, Float64Array.from(y)));
    w = la.mulAtB(Z, dual).data;
  }
  const fitted = matVec(Z, w);
  let sq = 0;
  for (let j = 0; j < m; j++) sq += (y[j] - fitted[j]) ** 2;
  let ww = 0;
  for (let i = 0; i < k; i++) ww += w[i] * w[i];
  return { w, train: sq / (2 * m) + (lambda / 2) * ww, fitted };
}
