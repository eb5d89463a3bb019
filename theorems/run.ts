// Running a theorem's check on one configuration, with tiers that set the ladder and budget.
import { DEFAULT_CONFIG, type ExperimentConfig, IMAGE_DEGREE_CAP, IMAGE_DIMENSION, isImageData, validateConfig } from '../src/data/config.ts';
import type { Budget, TrialRunner } from '../src/experiment/engine.ts';
import { checkClaim, type Decision } from '../src/experiment/verdict.ts';
import type { Theorem } from './types.ts';

/**
 * A tier is a ladder and a budget in seconds per claim (2-core machine, native kernels: a trial
 * at n = 400 takes ~0.15 s, at 800 ~0.8 s), with a trial cap per rung that bounds a claim on a
 * fast machine. The engine spends the seconds where they most narrow the decisive interval.
 */
export const TIERS: Readonly<Record<'quick' | 'standard' | 'stress', { ladder: readonly number[]; budget: Budget }>> = {
  quick: { ladder: [100, 200, 400], budget: { seconds: 30, initialTrials: 4, maxTrials: 256 } },
  standard: { ladder: [200, 400, 800], budget: { seconds: 180, initialTrials: 4, maxTrials: 512 } },
  stress: { ladder: [200, 400, 800, 1600], budget: { seconds: 600, initialTrials: 4, maxTrials: 1024 } },
};
export type Tier = keyof typeof TIERS;

export interface CheckReport extends Decision {
  theorem: string;
  surrogate: string | null;
  config: ExperimentConfig;
  applies: boolean;
  hypotheses: string[];
  seed: number;
}

export interface RunOptions {
  theorem: Theorem;
  config?: Partial<ExperimentConfig>;
  tier: Tier;
  seed: number;
  ladder?: number[];
  surrogate?: string;
  degreeCap?: number | null;
  /** Overrides of the tier's budget (e.g. seconds: Infinity for a trial-capped, machine-independent run). */
  budget?: Partial<Budget>;
  clock?: () => number;
  onProgress?: (message: string) => void;
  /** Parallel trials (src/experiment/engine.ts): the same verdict, sooner. */
  runner?: TrialRunner;
}

export function runCheck(opts: RunOptions): CheckReport {
  const t = opts.theorem;
  const tier = TIERS[opts.tier];
  // Images have one size (784 pixels): the tier's ladder of n cannot apply to them.
  const onImages = isImageData(opts.config ?? {});
  const ladder = opts.ladder ?? (onImages ? [IMAGE_DIMENSION] : [...tier.ladder]);
  const budget: Budget = { ...tier.budget, ...opts.budget };
  const config = validateConfig({ ...DEFAULT_CONFIG, ...opts.config, n: ladder[ladder.length - 1] });
  const hyp = t.hypotheses(config);
  const base = { theorem: t.id, config, applies: hyp.applies, hypotheses: hyp.reasons, seed: opts.seed };
  // A custom check runs as is, or altered by one of its named variants (its negative controls).
  const variant = opts.surrogate !== undefined && t.variants && Object.hasOwn(t.variants, opts.surrogate) ? opts.surrogate : undefined;
  if (t.check && (!opts.surrogate || variant)) {
    const d = t.check({ config, ladder, seed: opts.seed, budget, clock: opts.clock, onProgress: opts.onProgress, variant, runner: opts.runner });
    return { ...base, surrogate: variant ?? null, ...d };
  }
  const surrogate = opts.surrogate ?? t.surrogate?.(config);
  if (!surrogate) throw new Error(`theorem ${t.id} has no surrogate to compare`);
  const d = checkClaim({
    config,
    surrogate,
    ladder,
    seed: opts.seed,
    budget,
    clock: opts.clock,
    degreeCap: opts.degreeCap ?? (onImages ? IMAGE_DEGREE_CAP : 6),
    onProgress: opts.onProgress,
    runner: opts.runner,
  });
  if (!hyp.applies && !opts.surrogate) d.reasons.unshift(`hypotheses not met (${hyp.reasons.join('; ')}): the verdict is reported, not claimed`);
  return { ...base, surrogate, ...d };
}
