// The plain TypeScript reference backend: simple, cache-aware loops. Correctness first;
// faster backends are checked against it.
import type { LinalgBackend } from './backend.ts';
import { type Matrix, zeros } from './matrix.ts';

function checkShape(cond: boolean, what: string): void {
  if (!cond) throw new RangeError(`shape mismatch: ${what}`);
}

function mulABt(a: Matrix, b: Matrix): Matrix {
  checkShape(a.cols === b.cols, `A·Bᵀ with A ${a.rows}x${a.cols}, B ${b.rows}x${b.cols}`);
  const n = a.cols;
  const c = zeros(a.rows, b.rows);
  const A = a.data;
  const B = b.data;
  const C = c.data;
  // Two rows of A against two rows of B at a time: four running dot products share loads.
  const BLOCK = 64;
  for (let j0 = 0; j0 < b.rows; j0 += BLOCK) {
    const j1 = Math.min(b.rows, j0 + BLOCK);
    let i = 0;
    for (; i + 1 < a.rows; i += 2) {
      const ai = i * n;
      const ai1 = ai + n;
      let j = j0;
      for (; j + 1 < j1; j += 2) {
        const bj = j * n;
        const bj1 = bj + n;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let t = 0; t < n; t++) {
          const x0 = A[ai + t];
          const x1 = A[ai1 + t];
          const y0 = B[bj + t];
          const y1 = B[bj1 + t];
          s00 += x0 * y0;
          s01 += x0 * y1;
          s10 += x1 * y0;
          s11 += x1 * y1;
        }
        C[i * b.rows + j] = s00;
        C[i * b.rows + j + 1] = s01;
        C[(i + 1) * b.rows + j] = s10;
        C[(i + 1) * b.rows + j + 1] = s11;
      }
      for (; j < j1; j++) {
        const bj = j * n;
        let s0 = 0;
        let s1 = 0;
        for (let t = 0; t < n; t++) {
          s0 += A[ai + t] * B[bj + t];
          s1 += A[ai1 + t] * B[bj + t];
        }
        C[i * b.rows + j] = s0;
        C[(i + 1) * b.rows + j] = s1;
      }
    }
    for (; i < a.rows; i++) {
      const ai = i * n;
      for (let j = j0; j < j1; j++) {
        const bj = j * n;
        let s = 0;
        for (let t = 0; t < n; t++) s += A[ai + t] * B[bj + t];
        C[i * b.rows + j] = s;
      }
    }
  }
  return c;
}

function mulAB(a: Matrix, b: Matrix): Matrix {
  checkShape(a.cols === b.rows, `A·B with A ${a.rows}x${a.cols}, B ${b.rows}x${b.cols}`);
  const c = zeros(a.rows, b.cols);
  const A = a.data;
  const B = b.data;
  const C = c.data;
  const q = b.cols;
  // i-t-j order: the inner loop streams a row of B into a row of C.
  for (let i = 0; i < a.rows; i++) {
    const ci = i * q;
    for (let t = 0; t < a.cols; t++) {
      const x = A[i * a.cols + t];
      if (x === 0) continue;
      const bt = t * q;
      for (let j = 0; j < q; j++) C[ci + j] += x * B[bt + j];
    }
  }
  return c;
}

function mulAtB(a: Matrix, b: Matrix): Matrix {
  checkShape(a.rows === b.rows, `Aᵀ·B with A ${a.rows}x${a.cols}, B ${b.rows}x${b.cols}`);
  const p = a.cols;
  const q = b.cols;
  const c = zeros(p, q);
  const A = a.data;
  const B = b.data;
  const C = c.data;
  // Rank-one updates row by row: C += a_rᵀ b_r, the inner loop contiguous in B and C.
  for (let r = 0; r < a.rows; r++) {
    const ar = r * p;
    const br = r * q;
    for (let i = 0; i < p; i++) {
      const x = A[ar + i];
      if (x === 0) continue;
      const ci = i * q;
      for (let j = 0; j < q; j++) C[ci + j] += x * B[br + j];
    }
  }
  return c;
}

function symmetrise(c: Matrix): Matrix {
  const p = c.rows;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < i; j++) c.data[i * p + j] = c.data[j * p + i];
  }
  return c;
}

function gramAtA(a: Matrix): Matrix {
  const p = a.cols;
  const c = zeros(p, p);
  const A = a.data;
  const C = c.data;
  // Upper triangle by rank-one updates, then mirror.
  for (let r = 0; r < a.rows; r++) {
    const ar = r * p;
    for (let i = 0; i < p; i++) {
      const x = A[ar + i];
      if (x === 0) continue;
      const ci = i * p;
      for (let j = i; j < p; j++) C[ci + j] += x * A[ar + j];
    }
  }
  return symmetrise(c);
}

function gramAAt(a: Matrix): Matrix {
  return mulABt(a, a);
}

/** In-place lower Cholesky factor of a copy of S; throws if S is not positive definite. */
export function choleskyFactor(s: Matrix): Matrix {
  const p = s.rows;
  checkShape(s.cols === p, `Cholesky of ${s.rows}x${s.cols}`);
  const l = zeros(p, p);
  const L = l.data;
  L.set(s.data);
  for (let j = 0; j < p; j++) {
    const rj = j * p;
    let d = L[rj + j];
    for (let t = 0; t < j; t++) d -= L[rj + t] * L[rj + t];
    if (!(d > 0)) throw new RangeError(`matrix is not positive definite (pivot ${j} = ${d})`);
    const djj = Math.sqrt(d);
    L[rj + j] = djj;
    for (let i = j + 1; i < p; i++) {
      const ri = i * p;
      let v = L[ri + j];
      for (let t = 0; t < j; t++) v -= L[ri + t] * L[rj + t];
      L[ri + j] = v / djj;
    }
  }
  for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) L[i * p + j] = 0;
  return l;
}

/** Solve L Lᵀ x = b given the lower factor L; b is p×q. */
export function choleskySolveFactored(l: Matrix, b: Matrix): Matrix {
  const p = l.rows;
  const q = b.cols;
  checkShape(b.rows === p, `solve with factor ${p}x${p} and rhs ${b.rows}x${q}`);
  const L = l.data;
  const x = zeros(p, q);
  const X = x.data;
  X.set(b.data);
  // Forward: L y = b.
  for (let i = 0; i < p; i++) {
    const ri = i * p;
    for (let t = 0; t < i; t++) {
      const lit = L[ri + t];
      if (lit === 0) continue;
      for (let c = 0; c < q; c++) X[i * q + c] -= lit * X[t * q + c];
    }
    const d = L[ri + i];
    for (let c = 0; c < q; c++) X[i * q + c] /= d;
  }
  // Backward: Lᵀ x = y.
  for (let i = p - 1; i >= 0; i--) {
    for (let t = i + 1; t < p; t++) {
      const lti = L[t * p + i];
      if (lti === 0) continue;
      for (let c = 0; c < q; c++) X[i * q + c] -= lti * X[t * q + c];
    }
    const d = L[i * p + i];
    for (let c = 0; c < q; c++) X[i * q + c] /= d;
  }
  return x;
}

function choleskySolve(s: Matrix, b: Matrix): Matrix {
  return choleskySolveFactored(choleskyFactor(s), b);
}

export const referenceBackend: LinalgBackend = {
  name: 'reference',
  mulABt,
  mulAB,
  mulAtB,
  gramAtA,
  gramAAt,
  choleskySolve,
};
