// Activations σ and their derivatives σ'. Pure scalar functions; the hot loops call
// `f`/`df` element-wise, so each is a plain closure with no allocation.
import erfFn from '@stdlib/math-base-special-erf';

export const ACTIVATION_NAMES = ['relu', 'tanh', 'sigmoid', 'erf', 'linear'] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** Activations beyond the network's: sin serves as a target σ_* in Cui et al.'s protocol
 * (docs/model.md §11). Kept out of ACTIVATION_NAMES so that the network's configuration table,
 * its moment tables and their tests are unchanged. */
export const EXTRA_ACTIVATION_NAMES = ['sin'] as const;
export const ANY_ACTIVATION_NAMES = [...ACTIVATION_NAMES, ...EXTRA_ACTIVATION_NAMES] as const;
export type AnyActivationName = (typeof ANY_ACTIVATION_NAMES)[number];

export interface Activation {
  readonly name: AnyActivationName;
  /** σ(x) */
  readonly f: (x: number) => number;
  /** σ'(x); at a kink, the right derivative (ReLU: σ'(0) = 1 is never hit with probability 1). */
  readonly df: (x: number) => number;
  /** Points where σ is not smooth: quadrature must split there to stay exact. */
  readonly kinks: readonly number[];
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

function sigmoid(x: number): number {
  // Two branches keep exp from overflowing for large |x|.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

const ACTIVATIONS: Record<ActivationName, Activation> = {
  relu: { name: 'relu', f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0), kinks: [0] },
  tanh: {
    name: 'tanh',
    f: Math.tanh,
    df: (x) => {
      const t = Math.tanh(x);
      return 1 - t * t;
    },
    kinks: [],
  },
  sigmoid: {
    name: 'sigmoid',
    f: sigmoid,
    df: (x) => {
      const s = sigmoid(x);
      return s * (1 - s);
    },
    kinks: [],
  },
  erf: { name: 'erf', f: erfFn, df: (x) => TWO_OVER_SQRT_PI * Math.exp(-x * x), kinks: [] },
  linear: { name: 'linear', f: (x) => x, df: () => 1, kinks: [] },
};

const EXTRA_ACTIVATIONS: Record<(typeof EXTRA_ACTIVATION_NAMES)[number], Activation> = {
  sin: { name: 'sin', f: Math.sin, df: Math.cos, kinks: [] },
};

/** Any activation, the network's or an extra one (sin). */
export function anyActivation(name: AnyActivationName): Activation {
  return name === 'sin' ? EXTRA_ACTIVATIONS.sin : ACTIVATIONS[name];
}

export function isActivationName(name: string): name is ActivationName {
  return (ACTIVATION_NAMES as readonly string[]).includes(name);
}

export function activation(name: ActivationName): Activation {
  return ACTIVATIONS[name];
}
