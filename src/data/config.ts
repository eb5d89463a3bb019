// The configuration of one experiment: every knob of SPEC §1–3 in one plain object, with
// the defaults of the paper's setting at a CI-friendly size, and validation that names
// the offending field, its value and the allowed range (never a silent NaN downstream).
import { totalmem } from 'node:os';
import { ACTIVATION_NAMES, type ActivationName } from '../model/activations.ts';

export const TARGET_ACTIVATIONS = ['relu', 'tanh', 'linear'] as const;
export type TargetActivation = (typeof TARGET_ACTIVATIONS)[number];
export const TASKS = ['regression', 'classification'] as const;
export type Task = (typeof TASKS)[number];
export const TARGET_DIRECTIONS = ['random', 'spike'] as const;
export type TargetDirection = (typeof TARGET_DIRECTIONS)[number];

export interface ExperimentConfig {
  /** Input dimension n. */
  n: number;
  /** m/n: readout (ridge) samples per input dimension. */
  mRatio: number;
  /** k/m: hidden neurons per readout sample. */
  kRatio: number;
  /** m̃/m: first-layer step samples per readout sample. */
  stepRatio: number;
  /** test samples per readout sample (the paper uses 5). */
  testRatio: number;
  act: ActivationName;
  targetAct: TargetActivation;
  /** Strength β ∈ [0, 1]: η‖Σ‖ ≍ n^β. */
  beta: number;
  /** Weighting α ∈ [0, 1]: θ = n^{β(1−α)}, η = n^{βα}. */
  alpha: number;
  /** Ridge penalty λ (SPEC §3 convention). */
  lambda: number;
  /** Number of mixture components C ≥ 1. */
  components: number;
  /** Mixture weights ρ_1..ρ_C (sum 1). */
  rho: number[];
  /** Spike rank d_c (same for every component; 0 = isotropic). */
  rank: number;
  /** Spike strengths: 'fixed' θ = n^{β(1−α)}, 'random' θ·U(0,1), or an explicit θ. */
  theta: 'fixed' | 'random' | number;
  /** Alignment a ∈ [−1, 1] between the spikes of component 1 and the others. */
  align: number;
  target: TargetDirection;
  task: Task;
  /** Label noise: Gaussian std δ (regression) or flip probability (classification). */
  noise: number;
  /** Norm of each component mean (0 = centred components, the theorems' setting). */
  meanNorm: number;
  /** Explicit learning rate η overriding n^{βα} (null: use the scaling). */
  eta: number | null;
  /**
   * How the step is scaled: 'none' takes F̂ = F + ηG, the authors' own step (every notebook of
   * the paper; the default), 'sqrt-k' takes F̂ = F + η√k·G (Ba et al. 2022's convention), a
   * different model whose step is √k times larger (see docs/conventions.md).
   */
  stepScale: StepScale;
  /**
   * How the spike bases of components 2..C are drawn: 'independent' (the authors' procedure:
   * each component's basis is orthonormal and drawn independently, so γ_1ᵀγ_2 ≈ N(0, 1/n)),
   * or 'orthogonal' (drawn in the complement of component 1's spikes: γ_1ᵀγ_c = a·I exactly).
   */
  spikes: SpikeBasis;
  /**
   * Mei–Montanari-style target y = F1·t + F*·He₂(t)/√2 + noise with t = ξᵀx (replaces
   * σ_* when not null; F* is `targetNonlinear`).
   */
  targetLinear: number | null;
  targetNonlinear: number;
}

export const STEP_SCALES = ['none', 'sqrt-k'] as const;
export type StepScale = (typeof STEP_SCALES)[number];
export const SPIKE_BASES = ['independent', 'orthogonal'] as const;
export type SpikeBasis = (typeof SPIKE_BASES)[number];

export const DEFAULT_CONFIG: Readonly<ExperimentConfig> = Object.freeze({
  n: 400,
  mRatio: 1,
  kRatio: 1,
  stepRatio: 1,
  testRatio: 5,
  act: 'relu',
  targetAct: 'relu',
  beta: 0.74,
  alpha: 0.5,
  lambda: 1e-4,
  components: 2,
  rho: [0.5, 0.5],
  rank: 1,
  theta: 'fixed',
  align: 0,
  target: 'random',
  task: 'regression',
  noise: 0,
  meanNorm: 0,
  eta: null,
  stepScale: 'none',
  spikes: 'independent',
  targetLinear: null,
  targetNonlinear: 0,
} satisfies ExperimentConfig);

/** A bad configuration value: the CLI prints the message alone and exits with code 2. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`${field}: ${formatValue(value)} is not allowed (${allowed})`);
    this.name = 'ConfigError';
  }
}

function formatValue(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : Array.isArray(v) ? v.join(',') : String(v);
}

function check(cond: boolean, field: string, value: unknown, allowed: string): void {
  if (!cond) throw new ConfigError(field, value, allowed);
}

const finite = (x: number): boolean => Number.isFinite(x);

/** The sizes a configuration implies. */
export interface Sizes {
  n: number;
  m: number;
  k: number;
  mStep: number;
  mTest: number;
}

export function sizesOf(c: ExperimentConfig): Sizes {
  const m = Math.max(1, Math.round(c.mRatio * c.n));
  return {
    n: c.n,
    m,
    k: Math.max(1, Math.round(c.kRatio * m)),
    mStep: Math.max(1, Math.round(c.stepRatio * m)),
    mTest: Math.max(1, Math.round(c.testRatio * m)),
  };
}

/** Throws ConfigError on the first invalid field; returns the config otherwise. */
export function validateConfig(c: ExperimentConfig): ExperimentConfig {
  check(Number.isInteger(c.n) && c.n >= 2 && c.n <= 100_000, 'n', c.n, 'an integer in [2, 100000]');
  check(finite(c.mRatio) && c.mRatio > 0 && c.mRatio <= 100, 'm-ratio', c.mRatio, 'a number in (0, 100]');
  check(finite(c.kRatio) && c.kRatio > 0 && c.kRatio <= 100, 'k-ratio', c.kRatio, 'a number in (0, 100]');
  check(finite(c.stepRatio) && c.stepRatio > 0 && c.stepRatio <= 100, 'step-ratio', c.stepRatio, 'a number in (0, 100]');
  check(finite(c.testRatio) && c.testRatio > 0 && c.testRatio <= 100, 'test-ratio', c.testRatio, 'a number in (0, 100]');
  check((ACTIVATION_NAMES as readonly string[]).includes(c.act), 'act', c.act, `one of ${ACTIVATION_NAMES.join(', ')}`);
  check((TARGET_ACTIVATIONS as readonly string[]).includes(c.targetAct), 'target-act', c.targetAct, `one of ${TARGET_ACTIVATIONS.join(', ')}`);
  check(finite(c.beta) && c.beta >= 0 && c.beta <= 1, 'beta', c.beta, 'a number in [0, 1]');
  check(finite(c.alpha) && c.alpha >= 0 && c.alpha <= 1, 'alpha', c.alpha, 'a number in [0, 1]');
  check(finite(c.lambda) && c.lambda > 0 && c.lambda <= 1e6, 'lambda', c.lambda, 'a number in (0, 1e6]');
  check(Number.isInteger(c.components) && c.components >= 1 && c.components <= 20, 'components', c.components, 'an integer in [1, 20]');
  check(
    c.rho.length === c.components && c.rho.every((r) => finite(r) && r >= 0),
    'rho',
    c.rho,
    `${c.components} non-negative weights (or one weight ρ_1 in [0, 1], the rest split equally)`,
  );
  const rhoSum = c.rho.reduce((a, b) => a + b, 0);
  check(Math.abs(rhoSum - 1) < 1e-9, 'rho', c.rho, 'weights summing to 1');
  check((SPIKE_BASES as readonly string[]).includes(c.spikes), 'spikes', c.spikes, SPIKE_BASES.join(' or '));
  // Orthogonal spikes put components 2..C in the complement of component 1's, so 2·rank ≤ n.
  const orthogonal = c.components >= 2 && c.spikes === 'orthogonal';
  const maxRank = Math.min(50, orthogonal ? Math.floor(c.n / 2) : c.n);
  check(Number.isInteger(c.rank) && c.rank >= 0 && c.rank <= maxRank, 'rank', c.rank, `an integer in [0, ${maxRank}]${orthogonal ? ' (at most n/2 with orthogonal spikes and two or more components)' : ''}`);
  check(
    c.theta === 'fixed' || c.theta === 'random' || (typeof c.theta === 'number' && finite(c.theta) && c.theta >= 0 && c.theta <= 1e9),
    'theta',
    c.theta,
    "'fixed', 'random' or a spike strength in [0, 1e9]",
  );
  check(finite(c.align) && c.align >= -1 && c.align <= 1, 'align', c.align, 'a number in [-1, 1]');
  check((TARGET_DIRECTIONS as readonly string[]).includes(c.target), 'target', c.target, 'random or spike');
  check(!(c.target === 'spike' && c.rank === 0), 'target', c.target, "'random' when rank is 0 (there is no spike to align with)");
  check((TASKS as readonly string[]).includes(c.task), 'task', c.task, 'regression or classification');
  check(!(c.task === 'classification' && c.components < 2), 'task', c.task, 'classification needs components ≥ 2');
  if (c.task === 'classification') {
    check(finite(c.noise) && c.noise >= 0 && c.noise <= 0.5, 'noise', c.noise, 'a flip probability in [0, 0.5] for classification');
  } else {
    check(finite(c.noise) && c.noise >= 0 && c.noise <= 1e3, 'noise', c.noise, 'a standard deviation in [0, 1000]');
  }
  check(finite(c.meanNorm) && c.meanNorm >= 0 && c.meanNorm <= 1e3, 'mean-norm', c.meanNorm, 'a number in [0, 1000]');
  check(c.eta === null || (finite(c.eta) && c.eta >= 0 && c.eta <= 1e9), 'eta', c.eta, 'a learning rate in [0, 1e9]');
  check((STEP_SCALES as readonly string[]).includes(c.stepScale), 'step-scale', c.stepScale, STEP_SCALES.join(' or '));
  check(c.targetLinear === null || (finite(c.targetLinear) && Math.abs(c.targetLinear) <= 1e3), 'target-linear', c.targetLinear, 'a number in [-1000, 1000]');
  check(finite(c.targetNonlinear) && Math.abs(c.targetNonlinear) <= 1e3, 'target-nonlinear', c.targetNonlinear, 'a number in [-1000, 1000]');
  check(!(c.targetNonlinear !== 0 && c.targetLinear === null), 'target-nonlinear', c.targetNonlinear, 'used together with --target-linear (give --target-linear 0 for a purely nonlinear target)');
  check(!(c.targetLinear === 0 && c.targetNonlinear === 0 && c.noise === 0), 'target-linear', c.targetLinear, 'a target that is not identically zero: F1 and F* both 0 need --noise > 0');
  const s = sizesOf(c);
  check(s.m >= 2, 'm-ratio', c.mRatio, 'a ratio giving at least 2 readout samples');
  const need = trialBytes(s);
  check(need <= MEMORY_BUDGET_BYTES, 'n', c.n, `sizes that fit in memory: n = ${s.n}, m = ${s.m}, k = ${s.k} need about ${gb(need)} GB, more than the ${gb(MEMORY_BUDGET_BYTES)} GB allowed here (60% of this machine's memory, at most 16 GB)`);
  return c;
}

/** Rows per test block: about 4M preactivations (32 MB) whatever k is. */
export function testBlockRows(k: number): number {
  return Math.max(64, Math.floor(4_000_000 / k));
}

/** The most one trial may hold: 60% of this machine's memory, at most 16 GB. */
const MEMORY_BUDGET_BYTES = Math.min(16e9, 0.6 * totalmem());

function gb(bytes: number): string {
  return (bytes / 1e9).toFixed(1);
}

/**
 * Bytes one trial holds at its peak, from the arrays it allocates: the step and ridge inputs
 * (m̃·n, m·n), F, F̂, G and the kept F₀ (4·k·n), the step's and the ridge set's preactivations
 * and one feature matrix (m̃·k + 2·m·k), the Gram matrix and its factor (2·min(m, k)²), and a
 * test block (about 4e6 preactivations plus its inputs). The test set itself is streamed.
 */
export function trialBytes(s: Sizes): number {
  const testRows = testBlockRows(s.k);
  const doubles = s.n * (s.mStep + s.m) + 4 * s.k * s.n + s.mStep * s.k + 2 * s.m * s.k + 2 * Math.min(s.m, s.k) ** 2 + testRows * (s.k + s.n);
  return 8 * doubles;
}

/** ρ from a single ρ_1 (rest split equally) or a full list. */
export function expandRho(values: number[], components: number): number[] {
  if (values.length === 1 && components > 1) {
    const r1 = values[0];
    if (!(r1 >= 0 && r1 <= 1)) throw new ConfigError('rho', r1, 'ρ_1 in [0, 1]');
    return [r1, ...Array.from({ length: components - 1 }, () => (1 - r1) / (components - 1))];
  }
  if (values.length === 1 && components === 1) return [1];
  return values;
}
