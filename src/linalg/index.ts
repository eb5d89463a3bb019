// Backend registry: the pipeline asks for products through `linalg()`, and the backend
// can be chosen by name (CLI --backend, env ONESTEP_BACKEND) without touching callers.
import type { LinalgBackend } from './backend.ts';
import { referenceBackend } from './reference.ts';

const backends = new Map<string, LinalgBackend>([[referenceBackend.name, referenceBackend]]);
let current: LinalgBackend = referenceBackend;

export function registerBackend(b: LinalgBackend): void {
  backends.set(b.name, b);
}

export function backendNames(): string[] {
  return [...backends.keys()];
}

export function useBackend(name: string): LinalgBackend {
  const b = backends.get(name);
  if (!b) throw new RangeError(`unknown backend '${name}' (available: ${backendNames().join(', ')})`);
  current = b;
  return b;
}

export function linalg(): LinalgBackend {
  return current;
}

export type { LinalgBackend } from './backend.ts';
export * from './matrix.ts';
