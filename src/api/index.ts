// The public library API: `import { … } from 'onestep'`. It re-exports what a user needs to
// run trials, check claims (onestep's own theorems or their own), generate configurations with
// fast-check, and add a surrogate of their own; `onestep/vitest` (./vitest.ts) adds assertions
// for a vitest suite. Everything here is built to dist/ with declarations (npm run build).
import { ConfigError, DEFAULT_CONFIG, type ExperimentConfig, validateConfig } from '../data/config.ts';
import { runTrial, type TrialResult } from '../experiment/trial.ts';
import { parseSurrogate } from '../surrogates/index.ts';
import { theoremById } from '../../theorems/index.ts';
import type { Budget } from '../experiment/engine.ts';
import { type CheckReport, runCheck, type Tier } from '../../theorems/run.ts';
import type { Theorem } from '../../theorems/types.ts';

// Configurations: the table that drives defaults, validation, flags and arbitraries.
export { CONFIG_FIELDS, ConfigError, DEFAULT_CONFIG, type ExperimentConfig, sizesOf, type Sizes, validateConfig } from '../data/config.ts';
export { type ArbitraryOptions, betaInDegree, configArbitrary } from '../../theorems/arbitraries.ts';

// Trials: the network and its surrogates on the same draws.
export { runTrial, simulateTrial, type TrialOptions, type TrialResult, type SurrogateErrors } from '../experiment/trial.ts';
export { type Estimate, estimate } from '../experiment/stats.ts';

// Surrogates: the registry, and how to add one.
export { defineSurrogate, parseSurrogate, registerSurrogate, SURROGATES, type SurrogateKind, type SurrogateSpec } from '../surrogates/index.ts';
export type { FeatureMap, TrialContext } from '../model/features.ts';
export type { SampleBlock } from '../data/sampler.ts';
export type { Stream } from '../random/stream.ts';
export { type Matrix, zeros } from '../linalg/matrix.ts';
export { activation, type Activation, type ActivationName } from '../math/activations.ts';
export { degreeRule, gaussianExpectation, hermite, hermiteCoefficients, hermiteNoiseScale } from '../math/hermite/index.ts';

// Theorems and verdicts.
export { THEOREMS, theoremById } from '../../theorems/index.ts';
export type { Applicability, CustomCheckOptions, PinnedExample, Theorem } from '../../theorems/types.ts';
export { type CheckReport, runCheck, type RunOptions, type Tier, TIERS } from '../../theorems/run.ts';
export type { Budget, Decision as EngineDecision, LadderSpec } from '../experiment/engine.ts';
export { runLadder } from '../experiment/engine.ts';
export { DEFAULT_TOLERANCE, type Decision, toleranceAt, type TolerancePolicy, type Verdict } from '../experiment/verdict.ts';

// CI outputs from checked cases.
export { type CheckedCase, exitCodeOf, junitXml, type Outcome, outcomeOf, summaryMarkdown, type Tally, tallyLine, tallyOf } from '../report/ci.ts';

/** One trial of the network and the named surrogates (e.g. ['hermite:auto', 'cget']) on shared draws. */
export function trial(opts: { config?: Partial<ExperimentConfig>; seed?: number; surrogates?: string[]; degreeCap?: number | null } = {}): TrialResult {
  return runTrial({
    config: validateConfig({ ...DEFAULT_CONFIG, ...opts.config }),
    seed: opts.seed ?? 1,
    surrogates: (opts.surrogates ?? []).map(parseSurrogate),
    degreeCap: opts.degreeCap === undefined ? 6 : opts.degreeCap,
  });
}

/**
 * Check a theorem (one of onestep's, by id, or a `Theorem` of your own) on a configuration:
 * the ladder of n, paired trials and a verdict with its reasons. Defaults: quick tier, seed 1,
 * the theorem's first pinned example's configuration.
 */
export function check(
  theorem: Theorem | string,
  opts: { config?: Partial<ExperimentConfig>; tier?: Tier; seed?: number; ladder?: number[]; surrogate?: string; budget?: Partial<Budget>; onProgress?: (message: string) => void } = {},
): CheckReport {
  const t = typeof theorem === 'string' ? theoremById(theorem) : theorem;
  if (!t) throw new ConfigError('theorem', theorem, 'the id of one of onestep’s theorems (THEOREMS), or a Theorem object');
  return runCheck({ theorem: t, config: opts.config ?? t.pinned[0]?.config ?? {}, tier: opts.tier ?? 'quick', seed: opts.seed ?? 1, ladder: opts.ladder, surrogate: opts.surrogate, budget: opts.budget, onProgress: opts.onProgress });
}
