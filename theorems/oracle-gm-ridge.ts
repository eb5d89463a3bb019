// Oracle: ridge classification of a two-component Gaussian mixture (Loureiro et al. 2021).
//
// How the simulator reaches it. The network at η = 0 is not a classifier on raw inputs: its
// features σ(Fx)/√k with a Gaussian F (k ∝ n) are not x — even a linear σ gives features Fx/√k
// whose Gram FᵀF/k follows Marchenko–Pastur instead of being ∝ I, so the penalty on w is an
// anisotropic penalty on the effective weights — and it has no free bias. So this check takes the
// simulator's own data generator (buildMixture + SetSampler: two components with independent
// random means of norm --mean-norm, ±1 labels by component, deterministic counts ⌊ρm⌋) and its
// own ridge solver (fitRidge, penalty λ·m) on raw inputs Z = X/√n, with the unpenalised bias
// handled exactly by centring (b = ȳ − x̄ᵀŵ/√n; centring also removes the mean's common part
// (μ_1+μ_2)/2, so only δ = (μ_1 − μ_2)/2 matters). The test error is exact given (ŵ, b):
// component c's score ŵᵀx/√n + b is N(ŵᵀμ_c/√n + b, ‖ŵ‖²/n).
//
// The map to the formula's conventions (docs/oracles.md §3): x/‖δ‖ = y·δ/‖δ‖ + ζ/‖δ‖, i.e. a unit
// mean direction and Δ = 1/‖δ‖²; the project's (1/(2m))‖y − Zw‖² + (λ/2)‖w‖² times m is the
// formula's Σ½(·)² + (λ_GM/2)‖w'‖² with w' = ‖δ‖·w, so λ_GM = m·λ/‖δ‖², α = m/n, ρ = ρ_1; and
// overlap = ŵᵀδ/√n, q = ‖ŵ‖²/n, bias = b + ŵᵀ(μ_1+μ_2)/(2√n).
//
// Tolerance (error, overlap and q; 95% intervals inside): floor 1e-6; dof(n) = the shift of the
// formula from α to α − 1/n (centring spends one sample on the intercept); finite(n) =
// 0.02·√(200/n) as for the other oracles (the limit's corrections are O(n^-1/2) at most); and for
// the error a curvature term (see curvatureAllowance): found necessary, not tuned — at small
// errors the mean error sits above the limit by a Jensen bias of O(1/n) (measured at ρ = 0.34,
// α = 0.64, ‖μ‖ = 3, λ = 1e-2: +4.4 ± 1.7% at n = 100, +1.8 ± 1.2% at 200, +0.9 ± 0.5% at 800,
// 100 trials each, while overlap and q agree to 0.1–0.6%).
import { ConfigError, type ExperimentConfig, sizesOf, validateConfig } from '../src/data/config.ts';
import { buildMixture } from '../src/data/mixture.ts';
import { labelSpecOf, SetSampler } from '../src/data/sampler.ts';
import { dot, fromData, gaussianKernel } from '../src/linalg/index.ts';
import { fitRidge } from '../src/model/ridge.ts';
import { classificationError, gaussianTail, gmRidge, type GmRidgeInput } from '../src/oracles/gm-ridge.ts';
import { trialStreams } from '../src/random/stream.ts';
import { FLOOR, finiteAllowance } from './oracle-mei-montanari.ts';
import { defineOracleTheorem, type OracleLadderSpec, type OracleSample } from './oracle-ladder.ts';
import type { Applicability, Theorem } from './types.ts';

export const GM_VARIANTS = {
  'lambda-gm=lambda': 'negative control: the formula at λ_GM = λ (the factor m/‖δ‖² forgotten)',
  'lambda-gm=2x': 'negative control: the formula at 2·m·λ/‖δ‖² (a factor 2 slipped in)',
} as const;
export type GmVariant = keyof typeof GM_VARIANTS;

export function gmApplicability(c: ExperimentConfig): Applicability {
  const reasons: string[] = [];
  if (c.task !== 'classification') reasons.push('stated for classification (±1 labels by component)');
  if (c.components !== 2) reasons.push('needs two components');
  if (c.rank !== 0) reasons.push('needs isotropic noise around the means (rank 0)');
  if (!(c.meanNorm > 0)) reasons.push('needs component means (mean-norm > 0)');
  if (c.noise !== 0) reasons.push('needs clean labels (noise 0)');
  return { applies: reasons.length === 0, reasons: reasons.length ? reasons : ['two isotropic Gaussians with means, clean ±1 labels'] };
}

export interface GmSimulation {
  /** Exact classification error of sign(ŵᵀx/√n + b) on fresh samples. */
  error: number;
  overlap: number;
  q: number;
  bias: number;
  /** The formula's inputs for this trial's structure. */
  input: GmRidgeInput;
}

/** Ridge on raw inputs with the simulator's data and solver (see above). */
export function simulateGmRidge(config: ExperimentConfig, seed: number): GmSimulation {
  if (config.components !== 2) throw new ConfigError('components', config.components, '2 (the formula is for two classes)');
  if (config.task !== 'classification') throw new ConfigError('task', config.task, 'classification (±1 labels by component)');
  if (!(config.meanNorm > 0)) throw new ConfigError('mean-norm', config.meanNorm, 'a norm > 0 (the classes differ by their means)');
  const { n, m } = sizesOf(config);
  const streams = trialStreams(seed, gaussianKernel());
  const mixture = buildMixture(config, streams.structure);
  const set = new SetSampler(mixture, labelSpecOf(config), m, streams.ridge).all();
  const xbar = new Float64Array(n);
  let ybar = 0;
  for (let j = 0; j < m; j++) {
    ybar += set.y[j];
    const row = set.X.data.subarray(j * n, (j + 1) * n);
    for (let t = 0; t < n; t++) xbar[t] += row[t];
  }
  ybar /= m;
  for (let t = 0; t < n; t++) xbar[t] /= m;
  const inv = 1 / Math.sqrt(n);
  const Z = new Float64Array(m * n);
  const yc = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    yc[j] = set.y[j] - ybar;
    for (let t = 0; t < n; t++) Z[j * n + t] = (set.X.data[j * n + t] - xbar[t]) * inv;
  }
  const { w } = fitRidge(fromData(m, n, Z), yc, config.lambda);
  const b = ybar - dot(xbar, w) * inv;
  const [mu1, mu2] = mixture.components.map((c) => c.mean);
  if (!mu1 || !mu2) throw new ConfigError('mean-norm', config.meanNorm, 'a norm > 0 (the classes differ by their means)');
  const sd = Math.sqrt(dot(w, w)) * inv;
  const rho = config.rho[0];
  const error = rho * gaussianTail((dot(w, mu1) * inv + b) / sd) + (1 - rho) * gaussianTail(-(dot(w, mu2) * inv + b) / sd);
  const delta = mu1.map((v, t) => (v - mu2[t]) / 2);
  const centre = mu1.map((v, t) => (v + mu2[t]) / 2);
  const d2 = dot(delta, delta);
  return {
    error,
    overlap: dot(w, delta) * inv,
    q: sd * sd,
    bias: b + dot(w, centre) * inv,
    input: { alpha: m / n, lambda: (m * config.lambda) / d2, rho, delta: 1 / d2 },
  };
}

function oracleInput(input: GmRidgeInput, variant?: GmVariant, lambdaProject?: number): GmRidgeInput {
  if (variant === 'lambda-gm=lambda') return { ...input, lambda: lambdaProject ?? input.lambda };
  if (variant === 'lambda-gm=2x') return { ...input, lambda: 2 * input.lambda };
  return input;
}

export function gmSample(config: ExperimentConfig, n: number, seed: number, variant?: GmVariant): OracleSample {
  const c = validateConfig({ ...config, n });
  return gmSampleFrom(simulateGmRidge(c, seed), n, c.lambda, variant);
}

/** One simulated fit against the formula (as evaluated by a variant, if any); λ is the project's. */
export function gmSampleFrom(sim: GmSimulation, n: number, lambda: number, variant?: GmVariant): OracleSample {
  const input = oracleInput(sim.input, variant, lambda);
  const o = gmRidge(input);
  const shifted = gmRidge({ ...input, alpha: input.alpha - 1 / n });
  for (const [label, r, at] of [['', o, input], [' (α − 1/n)', shifted, { ...input, alpha: input.alpha - 1 / n }]] as const) {
    if (r.status !== 'converged') throw new Error(`Gaussian-mixture fixed point${label} stopped with status '${r.status}' at ${JSON.stringify(at)}`);
  }
  return {
    error: { simulated: sim.error, oracle: o.error },
    overlap: { simulated: sim.overlap, oracle: o.overlap },
    q: { simulated: sim.q, oracle: o.q },
    bias: { simulated: sim.bias, oracle: o.bias },
    rho: { simulated: input.rho, oracle: input.rho },
    'error@dof': { simulated: NaN, oracle: shifted.error },
    'overlap@dof': { simulated: NaN, oracle: shifted.overlap },
    'q@dof': { simulated: NaN, oracle: shifted.q },
  };
}

/**
 * The curvature allowance of the classification error. The formula gives the limits of the
 * order parameters θ = (m, q, b); at finite n a trial's (m̂, q̂, b̂) fluctuate with covariance C =
 * O(1/n) around them, and the error is a nonlinear function ε(θ) of them (Gaussian tails), so
 * E ε(θ̂) − ε(θ) ≈ ½·Σ_ij ∂²ε/∂θ_i∂θ_j · C_ij — a bias of the mean, not covered by the standard
 * error, and large where the error is small (deep in the tail, Q''/Q grows). C is the sample
 * covariance of the trials' (m̂, q̂, b̂); the Hessian is by central differences at the formula's θ.
 * Relative to the error; overlap and q are the order parameters themselves and get none.
 */
export function curvatureAllowance(samples: OracleSample[]): number {
  const T = samples.length;
  if (T < 2) return 0;
  const rho = samples[0].rho.oracle;
  const theta = [samples[0].overlap.oracle, samples[0].q.oracle, samples[0].bias.oracle];
  const err = (t: number[]): number => classificationError(rho, t[0], t[2], t[1]);
  const draws = samples.map((s) => [s.overlap.simulated, s.q.simulated, s.bias.simulated]);
  const mean = [0, 1, 2].map((i) => draws.reduce((a, d) => a + d[i], 0) / T);
  const cov = (i: number, j: number): number => draws.reduce((a, d) => a + (d[i] - mean[i]) * (d[j] - mean[j]), 0) / (T - 1);
  const h = theta.map((v) => 1e-4 * Math.max(Math.abs(v), 1e-2));
  const at = (di: number, dj: number, si: number, sj: number): number => {
    const t = [...theta];
    t[di] += si * h[di];
    t[dj] += sj * h[dj];
    return err(t);
  };
  let bias = 0;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const hess = (at(i, j, 1, 1) - at(i, j, 1, -1) - at(i, j, -1, 1) + at(i, j, -1, -1)) / (4 * h[i] * h[j]);
      bias += 0.5 * hess * cov(i, j);
    }
  }
  return Math.abs(bias) / err(theta);
}

export function gmLadderSpec(config: ExperimentConfig, variant?: GmVariant): OracleLadderSpec {
  return {
    quantities: ['error', 'overlap', 'q'],
    sample: (n, seed) => gmSample(config, n, seed, variant),
    tolerance: (n, q, samples) => {
      const dof = samples.reduce((worst, s) => Math.max(worst, Math.abs(s[`${q}@dof`].oracle - s[q].oracle) / Math.abs(s[q].oracle)), 0);
      const part = { floor: FLOOR, dof, finite: finiteAllowance(n) };
      return q === 'error' ? { ...part, curvature: curvatureAllowance(samples) } : part;
    },
    describe: [
      'tol(n) = 1e-6 (numerical floor) + dof(n) + 0.02·√(200/n) for the classification error, the overlap m = ŵᵀδ/√n and q = ‖ŵ‖²/n,',
      'plus for the error its curvature term ½·tr(H·Cov(m̂, q̂, b̂))/error (the error is a nonlinear function of order parameters that',
      'fluctuate by O(n^-1/2) per trial; H by central differences of the formula, Cov from the trials); dof(n) = the relative shift of the',
      'formula from α to α − 1/n (centring spends one sample on the bias); 0.02·√(200/n) = the limit’s O(n^-1/2) corrections. The simulated',
      'error is exact given the fitted (ŵ, b); each trial is compared with the formula at its own ‖δ‖.',
    ].join(' '),
  };
}

/** Two isotropic Gaussians with means: the formula's setting. */
export function twoMeans(): Partial<ExperimentConfig> {
  return { components: 2, rank: 0, task: 'classification', noise: 0, eta: 0 };
}

export const oracleGmRidge: Theorem = defineOracleTheorem({
  id: 'oracle-gm-ridge',
  title: 'Oracle: ridge classifier of a two-component Gaussian mixture (Loureiro et al. 2021)',
  claim: [
    'Ridge with an unpenalised bias on raw inputs from two isotropic Gaussians N(μ_c, I) (labels ±1 by component) has the',
    'classification error, overlap and ‖ŵ‖²/n of docs/model.md §9’s fixed point at α = m/n, ρ = ρ_1, Δ = 1/‖δ‖², λ_GM = mλ/‖δ‖², δ = (μ_1 − μ_2)/2.',
  ].join('\n'),
  source: 'Loureiro, Sicuro, Gerbelot, Pacco, Krzakala, Zdeborová, NeurIPS 2021; conventions: docs/oracles.md §3',
  hypotheses: gmApplicability,
  quantities: [],
  variants: GM_VARIANTS,
  ladderSpec: gmLadderSpec,
  pinned: [
    { name: 'balanced classes, α = 1', config: { ...twoMeans(), rho: [0.5, 0.5], meanNorm: 2, lambda: 5e-4 }, expect: 'agree', why: 'Δ ≈ ½, λ_GM ≈ 0.1', undecided: { quick: 'a 0-1 error: 0.11% [−1.73%, 1.95%] against ±1.60% when the quick cap of trials is spent; the standard tier agrees' } },
    { name: 'unbalanced classes ρ = 0.3, α = 2', config: { ...twoMeans(), rho: [0.3, 0.7], mRatio: 2, meanNorm: 2, lambda: 1e-3 }, expect: 'agree', why: 'a non-zero bias b = (2ρ−1)(1 − m)' },
  ],
  negativeControls: [
    {
      name: 'λ without the factor m/‖δ‖²',
      config: { ...twoMeans(), rho: [0.5, 0.5], meanNorm: 2, lambda: 5e-4 },
      surrogate: 'lambda-gm=lambda',
      expect: 'disagree',
      why: 'the formula at a ~400 times smaller penalty',
    },
    {
      name: 'a factor 2 in λ',
      config: { ...twoMeans(), rho: [0.3, 0.7], mRatio: 2, meanNorm: 2, lambda: 1e-3 },
      surrogate: 'lambda-gm=2x',
      expect: 'disagree',
      why: 'q = ‖ŵ‖²/n moves by ~30% when λ doubles',
    },
  ],
});
