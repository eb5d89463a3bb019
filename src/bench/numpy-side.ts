// Bench section helper: the same work timed by NumPy/OpenBLAS (src/bench/numpy-reference.py),
// with as many BLAS threads as onestep's kernels use, or null when python3 or NumPy is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// Beside this module in src/bench/; from the build (dist/src/bench/), back in src/bench/.
const SCRIPT = [join(import.meta.dirname, 'numpy-reference.py'), join(import.meta.dirname, '..', '..', '..', 'src', 'bench', 'numpy-reference.py')].find((p) => existsSync(p)) ?? 'numpy-reference.py';

export interface NumpyGemm {
  n: number;
  seconds: number;
  gflops: number;
}

export interface NumpyTrial {
  n: number;
  median: number;
  seconds: number[];
}

/** Why NumPy cannot be timed here (null: it can). */
export function numpyMissing(): string | null {
  if (!existsSync(SCRIPT)) return `${SCRIPT} is missing`;
  const r = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (r.error) return 'python3 is not on PATH';
  return r.status === 0 ? null : 'NumPy is not installed for python3';
}

function run<T>(args: string[], threads: number, timeoutSeconds: number): T {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const r = spawnSync('python3', [SCRIPT, ...args], { encoding: 'utf8', env, timeout: timeoutSeconds * 1000 });
  if (r.status !== 0) throw new Error(`numpy-reference.py ${args.join(' ')} failed: ${(r.stderr || String(r.error)).trim().split('\n').pop()}`);
  return (JSON.parse(r.stdout) as { result: T }).result;
}

export function numpyGemm(sizes: readonly number[], repeats: number, threads: number): NumpyGemm[] {
  return run<NumpyGemm[]>(['gemm', sizes.join(','), String(repeats)], threads, 600);
}

export function numpyTrial(n: number, repeats: number, threads: number): NumpyTrial {
  return run<NumpyTrial>(['trial', String(n), String(repeats)], threads, 1800);
}
