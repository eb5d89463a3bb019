// Backend registry: the pipeline asks for products through `linalg()`, and the backend
// can be chosen by name (CLI --backend, env ONESTEP_BACKEND) without touching callers.
// The default is the fastest backend that loaded: native when its addon is built, else the
// reference; both give the same errors to ~1e-13 relative (properties/linalg/linalg.test.ts).
import type { GaussianPairsKernel } from '../random/stream.ts';
import type { LinalgBackend } from './backend.ts';
import { nativeBackend } from './native.ts';
import { referenceBackend } from './reference.ts';

const backends = new Map<string, LinalgBackend>([[referenceBackend.name, referenceBackend]]);
if (nativeBackend) backends.set(nativeBackend.name, nativeBackend);

// Chosen on first use (ONESTEP_BACKEND, else the fastest that loaded), not at import.
let current: LinalgBackend | null = null;

export function registerBackend(b: LinalgBackend): void {
  backends.set(b.name, b);
}

export function backendNames(): string[] {
  return [...backends.keys()];
}

/** Make the named backend the one every product (and every trial's long Gaussian fills) uses. */
export function useBackend(name: string): LinalgBackend {
  const b = backends.get(name);
  if (!b) throw new RangeError(`unknown backend '${name}' (available: ${backendNames().join(', ')})`);
  current = b;
  return b;
}

export function linalg(): LinalgBackend {
  if (current === null) {
    const requested = process.env.ONESTEP_BACKEND;
    current = (requested && backends.get(requested)) || nativeBackend || referenceBackend;
  }
  return current;
}

/** The Gaussian kernel of the backend in use, for the streams a trial draws from. */
export function gaussianKernel(): GaussianPairsKernel | null {
  return linalg().gaussianPairs ?? null;
}

/**
 * What is wrong with ONESTEP_BACKEND or ONESTEP_THREADS, for the CLI to report (null: nothing).
 * ONESTEP_BACKEND picks the backend for every command and test run (e.g. to compare them);
 * ONESTEP_THREADS is read by the native kernels themselves, which ignore a value they cannot
 * parse, so it is checked here: a typo must not silently run on every core.
 */
export function backendEnvError(): string | null {
  const requested = process.env.ONESTEP_BACKEND;
  const threads = process.env.ONESTEP_THREADS;
  if (requested && !backends.has(requested)) return `ONESTEP_BACKEND: '${requested}' is not allowed (one of ${backendNames().join(', ')})`;
  if (threads !== undefined && !(/^\d+$/.test(threads) && Number(threads) >= 1 && Number(threads) <= 256)) {
    return `ONESTEP_THREADS: '${threads}' is not allowed (an integer in [1, 256])`;
  }
  return null;
}

export type { LinalgBackend } from './backend.ts';
export { nativeStatus, nativeThreads } from './native.ts';
export * from './matrix.ts';
