// The oracles' settings run through the simulator: the other direction of
// src/oracles/project-map.ts. There a
// configuration is turned into a formula's inputs; here a formula's inputs (ψ1, ψ2, λ_MM, F1, F*,
// τ) become the configuration whose trials converge to it, and a seed's trial is run beside the
// prediction for its own first layer. `onestep oracle … --simulate` prints these; the property
// suite uses the same map, so the command and the tests cannot drift apart.
import { DEFAULT_CONFIG, type ExperimentConfig, type Sizes, sizesOf, validateConfig } from '../data/config.ts';
import { activation, type ActivationName } from '../math/activations.ts';
import { deterministicEquivalent, type RidgeEquivalent } from '../oracles/get-deterministic-equivalent.ts';
import { projectLambdaFromMM } from '../oracles/mei-montanari.ts';
import { gaussianInputOf, singleIndexTargetOf } from '../oracles/project-map.ts';
import { trialWithPopulationGen } from './population-error.ts';
import { firstLayerOfTrial } from './stages.ts';
import { type Estimate, estimate } from './stats.ts';

/** The Mei–Montanari data setting: isotropic (rank 0), one component, no step. */
export function isotropic(): Partial<ExperimentConfig> {
  return { rank: 0, components: 1, rho: [1], eta: 0, meanNorm: 0, task: 'regression' };
}

/** A Mei–Montanari setting at input dimension n, in their parameters. */
export interface MmSetting {
  act: ActivationName;
  psi1: number;
  psi2: number;
  lambdaMM: number;
  f1: number;
  fStar: number;
  tau: number;
  n: number;
}

/**
 * The project configuration whose network is Mei–Montanari's random-features ridge at this
 * setting: m = ψ2·n, k = ψ1·n (so k/m = ψ1/ψ2), λ = λ_MM/n, the target F1·t + F*·He₂(t)/√2 + τε.
 */
export function mmConfig(s: MmSetting): ExperimentConfig {
  return validateConfig({
    ...DEFAULT_CONFIG,
    ...isotropic(),
    act: s.act,
    n: s.n,
    mRatio: s.psi2,
    kRatio: s.psi1 / s.psi2,
    lambda: projectLambdaFromMM(s.lambdaMM, s.n),
    targetLinear: s.f1,
    targetNonlinear: s.fStar,
    noise: s.tau,
  });
}

/** The errors of one seed's trial: gen exact over inputs (the test-set estimate if the expansion cannot be truncated). */
export function simulatedErrors(config: ExperimentConfig, seed: number): { gen: number; genTestSet: number; train: number } {
  const { trial, population } = trialWithPopulationGen(config, seed);
  return { gen: population?.gen ?? trial.nn.gen, genTestSet: trial.nn.gen, train: trial.nn.train };
}

export interface MmSimulation {
  trials: number;
  n: number;
  m: number;
  k: number;
  seeds: string;
  gen: Estimate;
  genTestSet: Estimate;
  /** (sim − oracle)/oracle per trial. */
  gap: Estimate;
  note: string;
}

/** Trials of the network at the Mei–Montanari setting, in the project's conventions (m = ψ2·n, k = ψ1·n, λ = λ_MM/n). */
export function simulateMM(s: MmSetting & { trials: number; seed: number }, oracleGen: number, onProgress?: (message: string) => void): MmSimulation {
  const config = mmConfig(s);
  const sizes = sizesOf(config);
  const gens: number[] = [];
  const tests: number[] = [];
  for (let t = 0; t < s.trials; t++) {
    onProgress?.(`trial ${t + 1}/${s.trials}`);
    const e = simulatedErrors(config, s.seed + t);
    gens.push(e.gen);
    tests.push(e.genTestSet);
  }
  return {
    trials: s.trials,
    n: sizes.n,
    m: sizes.m,
    k: sizes.k,
    seeds: `${s.seed}–${s.seed + s.trials - 1}`,
    gen: estimate(gens),
    genTestSet: estimate(tests),
    gap: estimate(gens.map((g) => g / oracleGen - 1)),
    note: 'the oracle is at ψ1 = k/n, ψ2 = m/n as given; the simulation rounds m and k to integers',
  };
}

/**
 * The deterministic equivalent for the first layer F̂ that `onestep trial` draws with this
 * configuration and seed (initialisation, then the step when η > 0), with Gaussian inputs.
 */
export function deterministicEquivalentOfSeed(config: ExperimentConfig, seed: number): { sizes: Sizes; step: number; de: RidgeEquivalent } {
  const sizes = sizesOf(config);
  const { mixture, Fhat, step } = firstLayerOfTrial(config, seed);
  const de = deterministicEquivalent(Fhat, gaussianInputOf(mixture), activation(config.act), singleIndexTargetOf(config, mixture), sizes.m, config.lambda);
  return { sizes, step, de };
}
