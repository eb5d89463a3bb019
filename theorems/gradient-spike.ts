// docs/model.md §7: G = uvᵀ + Δ with ‖Δ‖_op/‖uvᵀ‖_op → 0 as n grows (α > 0). Judged by the trend of
// log(ratio) against log n along the ladder: the claim needs a negative slope.
import { validateConfig } from '../src/data/config.ts';
import { runTrial } from '../src/experiment/trial.ts';
import { fitTrend, type Decision, type RungReport } from '../src/experiment/verdict.ts';
import { summariseGaps } from '../src/experiment/ladder.ts';
import type { Theorem } from './types.ts';

export const gradientSpike: Theorem = {
  id: 'gradient-spike',
  title: 'The gradient is a spike plus a vanishing bulk (docs/model.md §7)',
  claim: 'G = u vᵀ + Δ with u = μ₁w, v = X̃ᵀỹ/(m̃√k), μ₁ = E σ\'(bζ); ‖Δ‖_op/‖uvᵀ‖_op → 0 as n → ∞ (α > 0).',
  source: 'Ba et al. 2022, Proposition 2; Demir & Doğan, ICLR 2025',
  hypotheses(c) {
    const reasons: string[] = [];
    if (c.task !== 'regression') reasons.push('stated for regression targets');
    if (c.act === 'linear') reasons.push('a linear σ has Δ = 0 exactly (trivial)');
    return { applies: reasons.length === 0, reasons: reasons.length ? reasons : ['any α > 0 for the rate; the ratio is reported for every α'] };
  },
  quantities: [],
  pinned: [{ name: 'paper setting', config: {}, expect: 'agree', why: 'ratio decreases along 200, 400, 800' }],
  negativeControls: [],
  check(opts): Decision {
    const rows = opts.ladder.map((n, i) => {
      const config = validateConfig({ ...opts.config, n });
      const ratios: number[] = [];
      for (let t = 0; t < Math.max(2, opts.initialTrials); t++) {
        opts.onProgress?.(`n = ${n}: trial ${t + 1}`);
        const r = runTrial({ config, seed: opts.seed + 100_003 * i + t, surrogates: [], degreeCap: null, lemma: true });
        ratios.push(Math.log(r.lemma?.ratio ?? NaN));
      }
      return { n, gap: summariseGaps(ratios), trials: ratios.length };
    });
    const trend = fitTrend(rows);
    const ladder: RungReport[] = rows.map((r) => ({ n: r.n, trials: r.trials, relGap: r.gap, relGapTrain: r.gap, tolerance: 0 }));
    const reasons = rows.map((r) => `n = ${r.n}: log(‖Δ‖/‖uvᵀ‖) = ${r.gap.mean.toFixed(3)} [${r.gap.lo.toFixed(3)}, ${r.gap.hi.toFixed(3)}] (ratio ${Math.exp(r.gap.mean).toFixed(3)})`);
    let verdict: Decision['verdict'] = 'inconclusive';
    if (trend && trend.hi < 0) verdict = 'agree';
    else if (trend && trend.lo > 0) verdict = 'disagree';
    reasons.push(trend ? `slope of log ratio in log n: ${trend.slope.toFixed(3)} [${trend.lo.toFixed(3)}, ${trend.hi.toFixed(3)}]` : 'no trend: fewer than two rungs');
    if (opts.config.alpha === 0) reasons.push('α = 0: the step does not grow with n, so no decay is claimed');
    return {
      verdict,
      reasons,
      ladder,
      trend,
      tolerance: 'the claim is a limit: agreement needs the 95% interval of the slope of log(ratio) against log n to lie below 0; disagreement, above 0',
    };
  },
};
