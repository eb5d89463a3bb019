// `onestep/vitest`: assertions for a user's own vitest suite. A property file says "this
// surrogate matches the network on these generated configurations" (or "is told apart from it")
// in a few lines; each generated configuration is checked along a ladder of n with paired trials,
// exactly as `onestep check` does, and a failure prints the configuration and the verdict's reasons.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { ExperimentConfig } from '../data/config.ts';
import type { Budget } from '../experiment/engine.ts';
import { type CheckReport, runCheck, type Tier } from '../../theorems/run.ts';
import type { Theorem } from '../../theorems/types.ts';

export interface SurrogateCheckOptions {
  /** The configurations to check: a fast-check arbitrary (e.g. configArbitrary({ cheap: true })) or a list. */
  configs: fc.Arbitrary<Partial<ExperimentConfig>> | readonly Partial<ExperimentConfig>[];
  /** How many generated configurations (an arbitrary's numRuns; default 3: each is a ladder of trials). */
  runs?: number;
  /** Ladder of n (default: the tier's). Small n keeps a suite fast; n ≥ 800 is needed to confirm agreement. */
  ladder?: number[];
  tier?: Tier;
  seed?: number;
  /**
   * The engine's budget. Default: no clock, at most 32 trials at the largest rung — a suite must
   * replay on any machine, which a budget in seconds would not.
   */
  budget?: Partial<Budget>;
}

/** A surrogate comparison with no hypotheses of its own: what the assertions below check. */
function comparison(surrogate: string): Theorem {
  return {
    id: `surrogate ${surrogate}`,
    title: `${surrogate} against the network`,
    claim: `the errors of ${surrogate} and of the network agree`,
    source: 'a user assertion (onestep/vitest)',
    hypotheses: () => ({ applies: true, reasons: ['asserted by the caller'] }),
    surrogate: () => surrogate,
    quantities: ['train', 'gen'],
    pinned: [],
    negativeControls: [],
  };
}

function forEachConfig(opts: SurrogateCheckOptions, body: (config: Partial<ExperimentConfig>) => void): void {
  if (Array.isArray(opts.configs)) {
    for (const config of opts.configs as readonly Partial<ExperimentConfig>[]) body(config);
  } else fc.assert(fc.property(opts.configs as fc.Arbitrary<Partial<ExperimentConfig>>, body), { numRuns: opts.runs ?? 3 });
}

function checkOne(surrogate: string, config: Partial<ExperimentConfig>, opts: SurrogateCheckOptions): CheckReport {
  return runCheck({ theorem: comparison(surrogate), config, tier: opts.tier ?? 'quick', seed: opts.seed ?? 1, ladder: opts.ladder, budget: { seconds: Infinity, maxTrials: 32, ...opts.budget } });
}

const explain = (r: CheckReport, config: Partial<ExperimentConfig>) => `${r.surrogate} on ${JSON.stringify(config)}: ${r.verdict}\n${r.reasons.join('\n')}`;

/**
 * The surrogate's training and generalisation errors match the network's on every configuration.
 * `require: 'agree'` (the default) needs the interval of the paired gap inside the tolerance
 * at the largest n, which takes n in the hundreds and more trials; `require: 'not-rejected'`
 * asks only that the checker finds no difference (verdict agree or inconclusive), which small n
 * can answer — pair it with expectSurrogateRejected on a wrong variant, so the suite shows that
 * it can fail.
 */
export function expectSurrogateMatches(surrogate: string, opts: SurrogateCheckOptions & { require?: 'agree' | 'not-rejected' }): CheckReport[] {
  const reports: CheckReport[] = [];
  forEachConfig(opts, (config) => {
    const r = checkOne(surrogate, config, opts);
    reports.push(r);
    if ((opts.require ?? 'agree') === 'agree') expect(r.verdict, explain(r, config)).toBe('agree');
    else expect(r.verdict, explain(r, config)).not.toBe('disagree');
  });
  return reports;
}

/** The checker tells the surrogate apart from the network (verdict disagree) on every configuration: a negative control. */
export function expectSurrogateRejected(surrogate: string, opts: SurrogateCheckOptions): CheckReport[] {
  const reports: CheckReport[] = [];
  forEachConfig(opts, (config) => {
    const r = checkOne(surrogate, config, opts);
    reports.push(r);
    expect(r.verdict, explain(r, config)).toBe('disagree');
  });
  return reports;
}
