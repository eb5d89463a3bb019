// docs/model.md §7: G = uvᵀ + Δ with ‖Δ‖_op/‖uvᵀ‖_op → 0 as n grows (α > 0). Judged by the trend of
// log(ratio) against log n along the ladder: the claim needs a negative slope.
import { type ExperimentConfig, validateConfig } from '../src/data/config.ts';
import { runTrial } from '../src/experiment/trial.ts';
import { type Decision, type LadderSpec, runLadder } from '../src/experiment/engine.ts';
import type { Theorem } from './types.ts';
/**
 * One quantity, log(‖Δ‖_op/‖uvᵀ‖_op) per trial; the engine's 'decreasing' rule judges the slope of
 * its rung means against log n (valid under optional stopping, like every verdict).
 */
export function gradientSpikeLadder(config: ExperimentConfig): LadderSpec<number> {
  return {
    quantities: ['log ratio'],
    rule: 'decreasing',
    measure: (n, seed) => Math.log(runTrial({ config: validateConfig({ ...config, n }), seed, surrogates: [], degreeCap: null, lemma: true }).lemma?.ratio ?? NaN),
    value: (logRatio) => logRatio,
    tolerance: () => 0,
    describeTolerance: 'the claim is a limit: agreement needs the interval of the slope of log(‖Δ‖/‖uvᵀ‖) against log n to lie below 0; disagreement, above 0',
    describeRung: (_n, trials) => {
      const m = trials.reduce((a, b) => a + b, 0) / trials.length;
      return [`mean log(‖Δ‖/‖uvᵀ‖) = ${m.toFixed(3)} (ratio ${Math.exp(m).toFixed(3)})`];
    },
    remote: { kind: 'theorem', args: { theorem: 'gradient-spike', config } },
  };
}

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
  ladder: gradientSpikeLadder,
  check(opts): Decision {
    const d = runLadder(gradientSpikeLadder(opts.config), { ladder: opts.ladder, seed: opts.seed, budget: opts.budget, clock: opts.clock, onProgress: opts.onProgress, runner: opts.runner });
    if (opts.config.alpha === 0) d.reasons.push('α = 0: the step does not grow with n, so no decay is claimed');
    return d;
  },
};
