// The bridge between the project's experiment configuration and the oracles' inputs. The
// oracles themselves are pure formulas; this module says which numbers of a configuration (and,
// for a fixed-first-layer oracle, of a seed's draws) they take, and refuses settings a formula
// does not cover with a ConfigError that names the field (CLI exit 2).
import { type ExperimentConfig, ConfigError, sizesOf } from '../data/config.ts';
import { buildMixture, type MixtureStructure } from '../data/mixture.ts';
import { SetSampler, labelSpecOf } from '../data/sampler.ts';
import { effectiveStep } from '../experiment/trial.ts';
import { gaussianExpectation } from '../hermite/index.ts';
import type { Matrix } from '../linalg/index.ts';
import { activation } from '../model/activations.ts';
import { gradientStep, initNetwork, stepFirstLayer } from '../model/network.ts';
import { trialStreams } from '../random/stream.ts';
import type { GaussianInput, SingleIndexTarget } from './get-deterministic-equivalent.ts';

/** The target of a regression configuration as y = g(ξᵀx) + τε (written from SPEC §1 and the flags, not from the sampler). */
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

/**
 * What a seed's trial draws before the readout: the structure, F, and F̂ after the step — the
 * same streams and calls as runTrial (src/experiment/trial.ts), so the fixed-first-layer oracle
 * predicts the errors of exactly that trial's F̂ (a property test holds the two equal).
 */
export function firstLayerOfTrial(config: ExperimentConfig, seed: number): { mixture: MixtureStructure; F: Matrix; Fhat: Matrix; step: number } {
  const sizes = sizesOf(config);
  const streams = trialStreams(seed);
  const act = activation(config.act);
  const mixture = buildMixture(config, streams.structure);
  const net = initNetwork(sizes.n, sizes.k, mixture.trace, streams.init);
  const step = effectiveStep(mixture.eta, sizes.k, config.stepScale);
  if (step === 0) return { mixture, F: net.F, Fhat: net.F, step };
  const stepSet = new SetSampler(mixture, labelSpecOf(config), sizes.mStep, streams.step).all();
  const G = gradientStep(net, stepSet.X, stepSet.y, act);
  return { mixture, F: net.F, Fhat: stepFirstLayer(net.F, G, step), step };
}
