// Backend registry: the pipeline asks for products through `linalg()`, and the backend
// can be chosen by name (CLI --backend, env ONESTEP_BACKEND) without touching callers.
// The default is the fastest backend that loaded: native when its addon is built, else the
// reference; both give the same errors to ~1e-13 relative (properties/linalg/linalg.test.ts).
import { setGaussianKernel } from '../random/stream.ts';
import type { LinalgBackend } from './backend.ts';
import { nativeBackend } from './native.ts';
import { referenceBackend } from './reference.ts';

const backends = new Map<string, LinalgBackend>([[referenceBackend.name, referenceBackend]]);
if (nativeBackend) backends.set(nativeBackend.name, nativeBackend);

let current: LinalgBackend = referenceBackend;
install(nativeBackend ?? referenceBackend);

/** Make `b` the backend of every product and (if it has one) of long Gaussian fills. */
function install(b: LinalgBackend): void {
  current = b;
  setGaussianKernel(b.gaussianPairs ?? null);
}

export function registerBackend(b: LinalgBackend): void {
  backends.set(b.name, b);
}

export function backendNames(): string[] {
  return [...backends.keys()];
}

export function useBackend(name: string): LinalgBackend {
  const b = backends.get(name);
  if (!b) throw new RangeError(`unknown backend '${name}' (available: ${backendNames().join(', ')})`);
  install(b);
  return b;
}

export function linalg(): LinalgBackend {
  return current;
}

// ONESTEP_BACKEND picks the backend for every command and test run (e.g. to compare them). An
// unknown name is not thrown here (at import, that would be a stack trace): the CLI reports it.
// ONESTEP_THREADS is read by the native kernels themselves, which ignore a value they cannot
// parse; refuse it here instead, so a typo does not silently run on every core.
const requested = process.env.ONESTEP_BACKEND;
const threads = process.env.ONESTEP_THREADS;
export const backendEnvError: string | null =
  requested && !backends.has(requested)
    ? `ONESTEP_BACKEND: '${requested}' is not allowed (one of ${backendNames().join(', ')})`
    : threads !== undefined && !(/^\d+$/.test(threads) && Number(threads) >= 1 && Number(threads) <= 256)
      ? `ONESTEP_THREADS: '${threads}' is not allowed (an integer in [1, 256])`
      : null;
if (requested && !backendEnvError) useBackend(requested);

export type { LinalgBackend } from './backend.ts';
export { nativeStatus, nativeThreads } from './native.ts';
export * from './matrix.ts';
