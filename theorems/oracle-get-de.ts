// Oracle: for the first layer a trial actually drew (F̂ from the seed), the deterministic
// equivalent of ridge regression on its Gaussian-equivalent features predicts the readout's
// training and generalisation errors without a single sample (src/oracles/
// get-deterministic-equivalent.ts). Paired per trial: the same F̂, so the first layer's own
// randomness cancels and what is left is the readout's data, the Gaussian equivalence and the
// deterministic equivalent.
//
// Judged: the generalisation error. The training error is predicted too and reported beside it,
// but not judged: its trial-to-trial spread is that of a residual energy over m − df samples,
// √(Var r²/(m − df))/E r² — about 10% for Gaussian residuals and 25% for a He₂ target at
// n = 400 — so deciding it to the 1–2% of the tolerance would take hundreds of trials per rung.
// (docs/oracles.md measures it with more trials.)
//
// Tolerance at size n (relative gap of gen; the 95% interval inside):
//   floor = 1e-6 (the κ root to 1e-15, the eigendecomposition and quadratures to ~1e-12, the
//     ridge solve's round-off below 1e-8);
//   dof(n) = |DE(m − 1) − DE(m)|/DE: the features' mean is inside Ω already, but the Gaussian
//     equivalent leaves out the common degree-2 mode of the real features (Σ_i He₂(u_i/b_i) moves
//     with ‖x‖²), one more direction the readout fits — read off the formula at m − 1;
//   finite(n) = 0.02·√(200/n): Gaussian equivalence and the deterministic equivalent both hold up
//     to O(n^-1/2) (Hu & Lu 2022; Cheng & Montanari 2022); the same 2% at n = 200 as the
//     Mei–Montanari check, under half the effect of a factor-2 λ slip.
import { type ExperimentConfig, sizesOf, validateConfig } from '../src/data/config.ts';
import { trialWithPopulationGen } from '../src/experiment/population-error.ts';
import { activation } from '../src/math/activations.ts';
import { gaussianEquivalentMoments, ridgeEquivalent, type Spectrum, spectrumOf } from '../src/oracles/get-deterministic-equivalent.ts';
import { gaussianInputOf, singleIndexTargetOf } from '../src/oracles/project-map.ts';
import { FLOOR, finiteAllowance } from './oracle-mei-montanari.ts';
import { defineOracleTheorem, type OracleLadderSpec, type OracleSample } from './oracle-ladder.ts';
import type { Applicability, Theorem } from './types.ts';

export const DE_VARIANTS = {
  'lambda=2x': 'negative control: the deterministic equivalent at 2λ (the ½ of (λ/2)‖w‖² dropped)',
  'no-half': 'negative control: E(y − ŷ)² and the training objective compared without the factor ½',
} as const;
export type DeVariant = keyof typeof DE_VARIANTS;

export function deApplicability(c: ExperimentConfig): Applicability {
  const reasons: string[] = [];
  if (c.task !== 'regression') reasons.push('stated for regression');
  if (c.meanNorm !== 0) reasons.push('needs centred Gaussian inputs (mean-norm 0)');
  if (c.components > 1 && (c.align !== 1 || c.theta === 'random')) reasons.push('needs one Gaussian: one component, or identical ones (align 1, fixed θ)');
  const stepped = c.eta === null ? c.beta > 0 : c.eta > 0;
  if (stepped && c.beta >= 0.5) reasons.push(`a step at β = ${c.beta} ≥ ½ makes F̂ spiked: the Gaussian equivalent is not claimed (docs/model.md §4)`);
  return { applies: reasons.length === 0, reasons: reasons.length ? reasons : ['one Gaussian, a first layer without a strong spike, regression'] };
}

/** What one trial gives the check: the simulated errors and the spectrum of its F̂'s Gaussian equivalent. */
export interface DeTrial {
  gen: number;
  genTestSet: number;
  train: number;
  spectrum: Spectrum;
  m: number;
  lambda: number;
}

export function deTrial(config: ExperimentConfig, n: number, seed: number): DeTrial {
  const c = validateConfig({ ...config, n });
  const { m } = sizesOf(c);
  const { trial, population, Fhat, mixture } = trialWithPopulationGen(c, seed);
  const spectrum = spectrumOf(gaussianEquivalentMoments(Fhat, gaussianInputOf(mixture), activation(c.act), singleIndexTargetOf(c, mixture)));
  return { gen: population?.gen ?? trial.nn.gen, genTestSet: trial.nn.gen, train: trial.nn.train, spectrum, m, lambda: c.lambda };
}

/** The comparison of one trial with the deterministic equivalent (as evaluated by a variant, if any). */
export function deSampleFrom(t: DeTrial, variant?: DeVariant): OracleSample {
  const lambda = variant === 'lambda=2x' ? 2 * t.lambda : t.lambda;
  const scale = variant === 'no-half' ? 2 : 1;
  const de = ridgeEquivalent(t.spectrum, t.m, lambda);
  const shifted = ridgeEquivalent(t.spectrum, t.m - 1, lambda);
  return {
    gen: { simulated: t.gen, oracle: scale * de.gen },
    train: { simulated: t.train, oracle: scale * de.train },
    'gen (test set)': { simulated: t.genTestSet, oracle: scale * de.gen },
    'gen@dof': { simulated: NaN, oracle: scale * shifted.gen },
    'train@dof': { simulated: NaN, oracle: scale * shifted.train },
  };
}

/** One trial: simulated errors of the trial's network and the deterministic equivalent for its F̂. */
export function deSample(config: ExperimentConfig, n: number, seed: number, variant?: DeVariant): OracleSample {
  return deSampleFrom(deTrial(config, n, seed), variant);
}

export function deLadderSpec(config: ExperimentConfig, variant?: DeVariant): OracleLadderSpec {
  return {
    quantities: ['gen'],
    reported: ['train', 'gen (test set)'],
    sample: (n, seed) => deSample(config, n, seed, variant),
    tolerance: (n, q, samples) => {
      const dof = samples.reduce((worst, s) => Math.max(worst, Math.abs(s[`${q}@dof`].oracle - s[q].oracle) / Math.abs(s[q].oracle)), 0);
      return { floor: FLOOR, dof, finite: finiteAllowance(n) };
    },
    describe: [
      'tol(n) = 1e-6 (numerical floor) + dof(n) + 0.02·√(200/n) for gen (train is reported, not judged); dof(n) = the largest relative shift of the',
      'trial’s deterministic equivalent from m to m − 1 samples (the degree-2 common mode of the features, left out of the Gaussian',
      'equivalent, is one more direction fitted); 0.02·√(200/n) = the O(n^-1/2) accuracy of the Gaussian and deterministic equivalents.',
      'Paired per trial (the same F̂); gen is the trained network’s exact expectation over fresh inputs, the test-set estimate is reported beside it.',
    ].join(' '),
  };
}

/** One Gaussian with spikes: the fixed-first-layer oracle's setting. */
export function spikedGaussian(): Partial<ExperimentConfig> {
  return { components: 1, rho: [1], eta: 0, meanNorm: 0, task: 'regression' };
}

export const oracleGetDe: Theorem = defineOracleTheorem({
  id: 'oracle-get-de',
  title: 'Oracle: deterministic equivalent of the readout on a fixed first layer (Gaussian equivalence)',
  claim: [
    'For the first layer F̂ a trial drew and Gaussian inputs N(0, Σ), the readout’s training and generalisation errors converge to',
    'those of ridge regression on z = (μ0 + diag(μ1)F̂x + diag(μ*)g)/√k, given by κ with λ = κ(1 − Tr[Ω(Ω+κ)⁻¹]/m) and the',
    'bias/variance formula (docs/oracles.md §2), with the project’s λ as is.',
  ].join('\n'),
  source: 'Gaussian equivalence (Goldt et al. 2022; Hu & Lu 2022) and the ridge deterministic equivalent (Bach 2023; Hastie et al. 2022)',
  hypotheses: deApplicability,
  quantities: ['gen'],
  variants: DE_VARIANTS,
  ladderSpec: deLadderSpec,
  pinned: [
    {
      name: 'ReLU, two spikes θ = 20, ReLU target',
      config: { ...spikedGaussian(), act: 'relu', rank: 2, theta: 20, kRatio: 0.5, lambda: 1e-3 },
      expect: 'agree',
      why: 'anisotropic inputs, a random first layer: per-neuron μ’s and FΣFᵀ matter',
    },
    {
      name: 'tanh, spike-aligned linear + He₂ target with noise',
      config: { ...spikedGaussian(), act: 'tanh', rank: 1, theta: 10, kRatio: 0.5, lambda: 1e-3, target: 'spike', targetLinear: 1, targetNonlinear: 0.5, noise: 0.2 },
      expect: 'agree',
      why: 'the target lies in the spike; an odd σ (μ0 = 0)',
      undecided: {
        quick: 'gap 0.36% [−1.10%, 1.83%] against ±1.46% at n = 400 within the quick budget: the noisy target',
      },
    },
  ],
  negativeControls: [
    {
      name: 'a factor 2 in λ',
      config: { ...spikedGaussian(), act: 'tanh', rank: 1, theta: 10, kRatio: 0.5, lambda: 1e-2, target: 'spike', targetLinear: 1, noise: 0.2 },
      surrogate: 'lambda=2x',
      expect: 'disagree',
      why: 'the deterministic equivalent at 2λ: here gen moves by ~35%',
    },
    {
      name: 'errors without the ½',
      config: { ...spikedGaussian(), act: 'relu', rank: 2, theta: 20, kRatio: 0.5, lambda: 1e-3 },
      surrogate: 'no-half',
      expect: 'disagree',
      why: 'a missing ½ doubles both errors',
    },
  ],
});
