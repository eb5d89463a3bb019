// One trial of the simulator (network only) together with the exact generalisation error of the
// network it trained, for the oracle theorems: a test set of 5m samples measures ½·E(y − ŷ)² with
// a relative standard error of several percent (the squared residual of a He₂ target has a heavy
// tail), so comparing with a closed-form oracle to ~1% would take a hundred trials; the exact
// expectation leaves only the training draws to fluctuate. It is the same computation the
// surrogate claims use (mixture-population.ts: the network's law, closed-form pair kernels for
// ReLU, erf and linear σ, Mehler's series otherwise), applied to the trial's own F̂ and ŵ, and the
// trial's test-set error is kept beside it as a cross-check.
import type { ExperimentConfig } from '../data/config.ts';
import type { MixtureStructure } from '../data/mixture.ts';
import type { Matrix } from '../linalg/index.ts';
import { activationLaw } from '../model/features.ts';
import { mixturePopulationGen } from './mixture-population.ts';
import { simulateTrial, type TrialResult } from './trial.ts';

/**
 * `population` is null when the series cannot be truncated (a first layer strongly aligned with
 * the target after a large step, σ without a closed-form kernel) or a component has a mean:
 * callers then fall back to the test-set estimate.
 */
export function trialWithPopulationGen(config: ExperimentConfig, seed: number): { trial: TrialResult; population: { gen: number } | null; Fhat: Matrix; mixture: MixtureStructure } {
  const run = simulateTrial({ config, seed, surrogates: [], degreeCap: null });
  const { mixture } = run.draw;
  const { Fhat } = run.stepped;
  const exact = mixturePopulationGen(Fhat, [{ law: activationLaw(run.draw.act), w: run.networkFit.w }], mixture, config);
  return { trial: run.result, population: exact ? { gen: exact.gen[0] } : null, Fhat, mixture };
}
