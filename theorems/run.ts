// Running a theorem's check on one configuration, with tiers that set the ladder and budget.
import { DEFAULT_CONFIG, type ExperimentConfig, validateConfig } from '../src/data/config.ts';
import { checkClaim, type Decision } from '../src/experiment/verdict.ts';
import type { Theorem } from './types.ts';

export const TIERS = {
  quick: { ladder: [100, 200, 400], initialTrials: 3, maxTrials: 8 },
  standard: { ladder: [200, 400, 800], initialTrials: 3, maxTrials: 12 },
  stress: { ladder: [200, 400, 800, 1600], initialTrials: 4, maxTrials: 24 },
} as const;
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
  onProgress?: (message: string) => void;
}

export function runCheck(opts: RunOptions): CheckReport {
  const t = opts.theorem;
  const tier = TIERS[opts.tier];
  const ladder = opts.ladder ?? [...tier.ladder];
  const config = validateConfig({ ...DEFAULT_CONFIG, ...opts.config, n: ladder[ladder.length - 1] });
  const hyp = t.hypotheses(config);
  const base = { theorem: t.id, config, applies: hyp.applies, hypotheses: hyp.reasons, seed: opts.seed };
  // A custom check runs as is, or altered by one of its named variants (its negative controls).
  const variant = opts.surrogate !== undefined && t.variants && Object.hasOwn(t.variants, opts.surrogate) ? opts.surrogate : undefined;
  if (t.check && (!opts.surrogate || variant)) {
    const d = t.check({ config, ladder, seed: opts.seed, initialTrials: tier.initialTrials, maxTrials: tier.maxTrials, onProgress: opts.onProgress, variant });
    return { ...base, surrogate: variant ?? null, ...d };
  }
  const surrogate = opts.surrogate ?? t.surrogate?.(config);
  if (!surrogate) throw new Error(`theorem ${t.id} has no surrogate to compare`);
  const d = checkClaim({
    config,
    surrogate,
    ladder,
    seed: opts.seed,
    initialTrials: tier.initialTrials,
    maxTrials: tier.maxTrials,
    degreeCap: opts.degreeCap ?? 6,
    onProgress: opts.onProgress,
  });
  if (!hyp.applies && !opts.surrogate) d.reasons.unshift(`hypotheses not met (${hyp.reasons.join('; ')}): the verdict is reported, not claimed`);
  return { ...base, surrogate, ...d };
}
