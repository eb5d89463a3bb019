// The bridge between the project's experiment configuration and the oracles' inputs. The
// oracles themselves are pure formulas; this module says which numbers of a configuration (and
// of a seed's mixture) they take (a seed's first layer comes from the trial's own stages,
// src/experiment/stages.ts: firstLayerOfTrial), and refuses settings a formula
// does not cover with a ConfigError that names the field (CLI exit 2).
import { type ExperimentConfig, ConfigError } from '../data/config.ts';
import type { MixtureStructure } from '../data/mixture.ts';
import { gaussianExpectation } from '../math/hermite/index.ts';
import type { GaussianInput, SingleIndexTarget } from './get-deterministic-equivalent.ts';

/** The target of a regression configuration as y = g(ξᵀx) + τε (written from docs/model.md §1 and the flags, not from the sampler). */
export function targetFunctionOf(config: ExperimentConfig): { g: (t: number) => number; kinks: number[] } {
  if (config.task !== 'regression') throw new ConfigError('task', config.task, 'regression (the oracle predicts a square-loss regression error)');
  if (config.targetLinear !== null) {
    const f1 = config.targetLinear;
    const fs = config.targetNonlinear;
    return { g: (t) => f1 * t + (fs * (t * t - 1)) / Math.SQRT2, kinks: [] };
  }
  switch (config.targetAct) {
    case 'relu':
      return { g: (t) => (t > 0 ? t : 0), kinks: [0] };
    case 'tanh':
      return { g: Math.tanh, kinks: [] };
    case 'linear':
      return { g: (t) => t, kinks: [] };
  }
}

/**
 * Mei–Montanari's decomposition of a single-index target with t ~ N(0, 1):
 * β0 = E g(t), F1 = E[t g(t)] (the linear part ⟨β1, x⟩ with ‖β1‖ = F1 when ‖ξ‖ = 1),
 * F*² = E g² − β0² − F1² (everything of degree ≥ 2), τ = the noise.
 */
export function targetDecomposition(config: ExperimentConfig): { beta0: number; f1: number; fStar: number; tau: number } {
  const { g, kinks } = targetFunctionOf(config);
  const beta0 = gaussianExpectation(g, kinks);
  const f1 = gaussianExpectation((t) => t * g(t), kinks);
  const second = gaussianExpectation((t) => g(t) ** 2, kinks);
  return { beta0, f1, fStar: Math.sqrt(Math.max(0, second - beta0 * beta0 - f1 * f1)), tau: config.noise };
}

/**
 * The input distribution when it is one centred Gaussian: one component, or several identical
 * ones (same spikes and strengths: alignment 1 and fixed θ). A mixture of different Gaussians is
 * not Gaussian, and the deterministic equivalent is not claimed there.
 */
export function gaussianInputOf(mixture: MixtureStructure): GaussianInput {
  const [first, ...rest] = mixture.components;
  const same = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
  for (const c of mixture.components) {
    if (c.mean) throw new ConfigError('mean-norm', 'non-zero', '0: the inputs must be one centred Gaussian');
  }
  for (const c of rest) {
    if (!same(c.spikes.data, first.spikes.data) || !same(c.thetas, first.thetas)) {
      throw new ConfigError('components', mixture.components.length, '1, or identical components (--align 1 with a fixed θ): the inputs must be one Gaussian');
    }
  }
  return { n: mixture.n, spikes: first.spikes, thetas: first.thetas };
}

export function singleIndexTargetOf(config: ExperimentConfig, mixture: MixtureStructure): SingleIndexTarget {
  const { g, kinks } = targetFunctionOf(config);
  return { g, kinks, direction: mixture.targetDirection, tau: config.noise };
}
