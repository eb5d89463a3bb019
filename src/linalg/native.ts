// The native backend: the same products as the reference, computed by native/kernels.cc (packed
// AVX-512/AVX2 GEMM on every core, blocked Cholesky). The addon is compiled at `npm install` when
// a C++ toolchain is present (`npm run build:native` redoes it); when it is missing or fails to
// load, this module says why and the registry keeps the reference backend.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LinalgBackend } from './backend.ts';
import { type Matrix, matrixToOverwrite, recycle } from './matrix.ts';

interface KernelAddon {
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array): void;
  gram(transA: boolean, n: number, k: number, a: Float64Array, c: Float64Array): void;
  cholesky(s: Float64Array, n: number): number;
  choleskySolve(l: Float64Array, n: number, b: Float64Array, q: number): void;
  gaussianPairs(state: Uint32Array, out: Float64Array, offset: number, pairs: number, scale: number, rowPairs?: number): void;
  relu(x: Float64Array, out: Float64Array): void;
  hermiteSeriesAdd(c: Float64Array, sqrtTable: Float64Array, invSqrtNext: Float64Array, x: Float64Array, scale: number, out: Float64Array): void;
  scaledMatVec(z: Float64Array, rows: number, cols: number, f: number, w: Float64Array, out: Float64Array): void;
  spikeShiftRows(x: Float64Array, n: number, rows: Int32Array, spikes: Float64Array, factors: Float64Array, mean: Float64Array): void;
  rowDots(x: Float64Array, n: number, v: Float64Array, out: Float64Array): void;
  reluRowSums(pre: Float64Array, k: number, w: Float64Array, out: Float64Array): void;
  reluGradientWeights(pre: Float64Array, k: number, r: Float64Array, w: Float64Array): void;
  threads(set?: number): number;
  simd(): string;
  blocking(): GemmBlocking;
}

/** The GEMM's block sizes and the caches (bytes) they were derived from (native/kernels.cc). */
export interface GemmBlocking {
  mr: number;
  nr: number;
  kc: number;
  mc: number;
  nc: number;
  l1: number;
  l2: number;
  l3: number;
  source: string;
}

// The package root is two levels up from src/linalg/ and three from the build's dist/src/linalg/.
const HERE = dirname(fileURLToPath(import.meta.url));
export const ADDON_PATH = [join(HERE, '..', '..'), join(HERE, '..', '..', '..')]
  .map((root) => join(root, 'native', 'build', 'Release', 'onestep_kernels.node'))
  .reduce((found, candidate) => (existsSync(found) ? found : candidate));

function loadAddon(): { addon: KernelAddon | null; reason: string } {
  if (process.env.ONESTEP_NO_NATIVE) return { addon: null, reason: 'disabled by ONESTEP_NO_NATIVE' };
  if (!existsSync(ADDON_PATH)) return { addon: null, reason: `not built (${ADDON_PATH} missing; run npm run build:native)` };
  try {
    return { addon: createRequire(import.meta.url)(ADDON_PATH) as KernelAddon, reason: 'loaded' };
  } catch (e) {
    return { addon: null, reason: `failed to load: ${(e as Error).message.split('\n')[0]}` };
  }
}

const loaded = loadAddon();

/** Why the native backend is or is not available (for `--help`, bench and reports). */
export const nativeStatus: { available: boolean; reason: string; simd: string | null; threads: number | null; blocking: GemmBlocking | null } = {
  available: loaded.addon !== null,
  reason: loaded.reason,
  simd: loaded.addon?.simd() ?? null,
  threads: loaded.addon?.threads() ?? null,
  // An addon built before blocking() existed has none to report.
  blocking: typeof loaded.addon?.blocking === 'function' ? loaded.addon.blocking() : null,
};

function checkShape(cond: boolean, what: string): void {
  if (!cond) throw new RangeError(`shape mismatch: ${what}`);
}

/** l ← the lower Cholesky factor of S (l's length n², overwritten); a RangeError if S is not positive definite. */
function factorInPlace(k: KernelAddon, s: Matrix, l: Float64Array): void {
  l.set(s.data);
  const bad = k.cholesky(l, s.rows);
  if (bad !== 0) throw new RangeError(`matrix is not positive definite (pivot ${bad - 1})`);
}

function makeBackend(k: KernelAddon): LinalgBackend {
  // An addon built before rows of pairs existed refuses a sixth argument: then one call per row.
  const rowsInOneCall = (() => {
    try {
      k.gaussianPairs(new Uint32Array([1, 0, 0, 0]), new Float64Array(2), 0, 1, 1, 1);
      return true;
    } catch {
      return false;
    }
  })();
  const product = (ta: boolean, tb: boolean, m: number, n: number, depth: number, a: Matrix, b: Matrix): Matrix => {
    const c = matrixToOverwrite(m, n); // β = 0: the kernel sets every entry
    k.gemm(ta, tb, m, n, depth, 1, a.data, b.data, 0, c.data);
    return c;
  };
  return {
    name: 'native',
    mulABt(a, b) {
      checkShape(a.cols === b.cols, `A·Bᵀ with A ${a.rows}x${a.cols}, B ${b.rows}x${b.cols}`);
      return product(false, true, a.rows, b.rows, a.cols, a, b);
    },
    mulAB(a, b) {
      checkShape(a.cols === b.rows, `A·B with A ${a.rows}x${a.cols}, B ${b.rows}x${b.cols}`);
      return product(false, false, a.rows, b.cols, a.cols, a, b);
    },
    mulAtB(a, b) {
      checkShape(a.rows === b.rows, `Aᵀ·B with A ${a.rows}x${a.cols}, B ${b.rows}x${b.cols}`);
      return product(true, false, a.cols, b.cols, a.rows, a, b);
    },
    // The lower triangle, mirrored: the full product's bits at about 0.6 of its cost (kernels.cc).
    gramAtA(a) {
      const c = matrixToOverwrite(a.cols, a.cols); // lower triangle computed, upper mirrored: every entry
      k.gram(true, a.cols, a.rows, a.data, c.data);
      return c;
    },
    gramAAt(a) {
      const c = matrixToOverwrite(a.rows, a.rows);
      k.gram(false, a.rows, a.cols, a.data, c.data);
      return c;
    },
    choleskySolve(s, b) {
      checkShape(s.rows === s.cols && b.rows === s.rows, `solve with ${s.rows}x${s.cols} and rhs ${b.rows}x${b.cols}`);
      // The factor is written over a copy (S is the caller's), on recycled storage.
      const factor = matrixToOverwrite(s.rows, s.cols);
      try {
        factorInPlace(k, s, factor.data);
        const x = Float64Array.from(b.data);
        k.choleskySolve(factor.data, s.rows, x, b.cols);
        return { rows: b.rows, cols: b.cols, data: x };
      } finally {
        recycle(factor);
      }
    },
    gaussianPairs: (state, out, offset, pairs, scale, rowPairs) => {
      if (rowPairs === undefined || rowPairs === pairs) k.gaussianPairs(state, out, offset, pairs, scale);
      else if (rowsInOneCall) k.gaussianPairs(state, out, offset, pairs, scale, rowPairs);
      else for (let r = 0; r < pairs / rowPairs; r++) k.gaussianPairs(state, out, offset + 2 * r * rowPairs, rowPairs, scale);
    },
    // An addon built before these passes existed lacks them: the JavaScript runs instead.
    ...(typeof k.relu === 'function' ? { relu: (x: Float64Array, out: Float64Array) => k.relu(x, out) } : {}),
    ...(typeof k.hermiteSeriesAdd === 'function'
      ? { hermiteSeriesAdd: (c: Float64Array, sq: Float64Array, isn: Float64Array, x: Float64Array, scale: number, out: Float64Array) => k.hermiteSeriesAdd(c, sq, isn, x, scale, out) }
      : {}),
    ...(typeof k.scaledMatVec === 'function' ? { scaledMatVec: (z: Matrix, f: number, w: Float64Array, out: Float64Array) => k.scaledMatVec(z.data, z.rows, z.cols, f, w, out) } : {}),
    ...(typeof k.spikeShiftRows === 'function' ? { spikeShiftRows: k.spikeShiftRows.bind(k) } : {}),
    ...(typeof k.rowDots === 'function' ? { rowDots: k.rowDots.bind(k) } : {}),
    ...(typeof k.reluRowSums === 'function' ? { reluRowSums: k.reluRowSums.bind(k) } : {}),
    ...(typeof k.reluGradientWeights === 'function' ? { reluGradientWeights: k.reluGradientWeights.bind(k) } : {}),
  };
}

export const nativeBackend: LinalgBackend | null = loaded.addon ? makeBackend(loaded.addon) : null;

/** C = A·Bᵀ into an existing C (the GEMM alone, without allocating its result: for the bench). */
export function nativeProductInto(a: Matrix, b: Matrix, c: Matrix): boolean {
  if (!loaded.addon) return false;
  checkShape(a.cols === b.cols && c.rows === a.rows && c.cols === b.rows, 'A·Bᵀ into C');
  loaded.addon.gemm(false, true, a.rows, b.rows, a.cols, 1, a.data, b.data, 0, c.data);
  return true;
}

/** The native lower Cholesky factor of S (its upper triangle not meaningful), for tests; null without the addon. */
export function nativeCholeskyFactor(s: Matrix): Matrix | null {
  if (!loaded.addon) return null;
  checkShape(s.rows === s.cols, `Cholesky of ${s.rows}x${s.cols}`);
  const l = new Float64Array(s.rows * s.cols);
  factorInPlace(loaded.addon, s, l);
  return { rows: s.rows, cols: s.cols, data: l };
}

/** Threads the native GEMM uses (ONESTEP_THREADS, else every core); set with `n`. */
export function nativeThreads(n?: number): number | null {
  return loaded.addon ? loaded.addon.threads(n) : null;
}
