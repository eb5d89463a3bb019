// Bench section: GFLOP/s of each product kernel of the current backend at square sizes, and the
// Cholesky solve, measured inside the process (best of a few repetitions, after one warm-up).
import { linalg } from '../linalg/index.ts';
import { nativeProductInto } from '../linalg/native.ts';
import { fromData, type Matrix } from '../linalg/matrix.ts';
import { rootStream } from '../random/stream.ts';

export interface KernelTiming {
  kernel: string;
  size: number;
  seconds: number;
  gflops: number;
}

function gaussian(seed: number, rows: number, cols: number): Matrix {
  return fromData(rows, cols, rootStream(seed).gaussians(rows * cols));
}

function best(repeats: number, f: () => void): number {
  f();
  let bestSeconds = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    f();
    bestSeconds = Math.min(bestSeconds, (performance.now() - t0) / 1000);
  }
  return bestSeconds;
}

/** Best-of-`repeats` seconds of the native GEMM alone, A·Bᵀ into a reused C at n×n (null: no native backend). */
export function gemmIntoSeconds(n: number, repeats: number): number | null {
  if (linalg().name !== 'native') return null;
  const a = gaussian(1, n, n);
  const b = gaussian(2, n, n);
  const into = fromData(n, n, new Float64Array(n * n));
  return best(repeats, () => nativeProductInto(a, b, into));
}

/** Products count 2n³ flops (Gram too, though it computes a triangle and mirrors it), Cholesky n³/3. */
export function kernelSection(sizes: readonly number[], log: (line: string) => void = () => {}): KernelTiming[] {
  const la = linalg();
  const out: KernelTiming[] = [];
  for (const n of sizes) {
    const a = gaussian(1, n, n);
    const b = gaussian(2, n, n);
    const spd = la.gramAAt(a);
    for (let i = 0; i < n; i++) spd.data[i * n + i] += n;
    const rhs = gaussian(3, n, 1);
    const repeats = n <= 500 ? 5 : n <= 1000 ? 3 : 2;
    const into = fromData(n, n, new Float64Array(n * n));
    const cases: [string, number, () => void][] = [
      // The GEMM alone: a product's fresh result costs page faults on first touch (~2 µs per 4 KB
      // here) that the kernel does not; NumPy is timed the same way (out=).
      ...(la.name === 'native' ? [['gemm A·Bᵀ into C', 2 * n ** 3, () => nativeProductInto(a, b, into)] as [string, number, () => void]] : []),
      ['mulABt', 2 * n ** 3, () => la.mulABt(a, b)],
      ['mulAB', 2 * n ** 3, () => la.mulAB(a, b)],
      ['mulAtB', 2 * n ** 3, () => la.mulAtB(a, b)],
      ['gramAtA', 2 * n ** 3, () => la.gramAtA(a)],
      ['choleskySolve', n ** 3 / 3, () => la.choleskySolve(spd, rhs)],
    ];
    for (const [kernel, flops, f] of cases) {
      const seconds = best(repeats, f);
      const t = { kernel, size: n, seconds, gflops: flops / seconds / 1e9 };
      log(`${kernel.padEnd(18)} n=${String(n).padEnd(5)} ${t.gflops.toFixed(1).padStart(7)} GFLOP/s  (${(1000 * seconds).toFixed(1)} ms)`);
      out.push(t);
    }
  }
  return out;
}
