// Cui et al.'s modelling claim: after one giant step the network's test error is "captured
// closely" by the spiked random features model σ(c·W₀x + r·κ) (docs/model.md §11). Both are
// fitted on the same draws of their protocol (same W₀, data, test points; the sRF spike along the
// step's own direction X₀ᵀy₀), so the per-trial gap (ε_nn − ε_sRF)/ε_sRF is paired.
//
// Tolerance (relative, 95% interval inside): floor 1e-6 + finite(n) = 0.02·√(200/n) (the
// O(n^-1/2) corrections the other checks allow) + a declared precision of 5%: the claim is an
// approximation, not a limit theorem, and its own precision is what is tested. 5% is taken from
// the claim's source material before any ReLU run (their theory tracked the network within 2–8% for
// centred activations), not fitted to our data. Measured at d = 600, 4 seeds (docs/findings.md
// §13): tanh/tanh gaps between −1.6% and 0 (agree with room); relu/tanh −11% to −17% (reject).
import type { ExperimentConfig } from '../src/data/config.ts';
import { configOfCui, cuiApplicability, cuiSettingAt, cuiTrial } from '../src/experiment/cui-protocol.ts';
import { FLOOR, finiteAllowance } from './oracle-mei-montanari.ts';
import { defineOracleTheorem, type OracleLadderSpec } from './oracle-ladder.ts';
import type { Theorem } from './types.ts';

/** The claim's declared precision (see the module comment). */
export const SRF_CLAIM_PRECISION = 0.05;

export const SRF_EQUIVALENCE_VARIANTS = {
  'srf-no-spike': 'negative control: the network against the sRF model without its spike (r = 0): random features on W₀',
} as const;
export type SrfEquivalenceVariant = keyof typeof SRF_EQUIVALENCE_VARIANTS;

export function srfEquivalenceLadder(config: ExperimentConfig, variant?: SrfEquivalenceVariant): OracleLadderSpec {
  const model = variant ?? 'srf';
  return {
    quantities: ['error'],
    sample: (n, seed) => {
      const trial = cuiTrial(cuiSettingAt(config, n), seed, [model]);
      return { error: { simulated: trial.errors.nn, oracle: trial.errors[model] } };
    },
    tolerance: (n) => ({ floor: FLOOR, dof: SRF_CLAIM_PRECISION, finite: finiteAllowance(n) }),
    describe: [
      'tol(n) = 1e-6 (numerical floor) + 5% (the claim’s declared precision, entered as the dof column) + 0.02·√(200/n) on the paired',
      'relative gap (ε_network − ε_sRF)/ε_sRF of test MSEs on the same draws (4d test points). 5% comes from the claim’s own',
      'reported agreement for centred activations (2–8%), fixed before the ReLU runs.',
    ].join(' '),
  };
}

/**
 * onestep's λ and η are per-size (λ_onestep = λ/m, η = η̃·k) and `onestep check` sets n to the top
 * rung, so a pinned configuration states their setting at the standard tier's top rung, n = 800,
 * and the ladder holds it fixed below (cuiSettingAt). At the stress tier (top 1600) the same
 * configuration reads as λ doubled and η̃ halved: another setting of the same claim.
 */
const PINNED_D = 800;
const tanh = configOfCui({ act: 'tanh', target: 'tanh', alpha0: 2, etaTilde: 1, lambda: 0.1, alpha: 1, d: PINNED_D });
const tanhBig = configOfCui({ act: 'tanh', target: 'tanh', alpha0: 4, etaTilde: 3, lambda: 0.1, alpha: 1, d: PINNED_D });
const relu = configOfCui({ act: 'relu', target: 'tanh', alpha0: 2, etaTilde: 2, lambda: 0.1, alpha: 1, d: PINNED_D });

export const srfEquivalence: Theorem = defineOracleTheorem({
  id: 'srf-equivalence',
  title: 'The network after one giant step against the spiked random features model (Cui et al. 2024)',
  claim: [
    'In Cui et al.’s protocol the network σ(W₁x) after the step W₁ = W₀ + η̃·p·Gᵀ and the sRF model σ(c·W₀x + r·κ), each fitted by',
    'sum-loss ridge on the same αd samples, have test errors within 5% of each other (“captures closely”; docs/model.md §11).',
  ].join('\n'),
  source: 'Cui, Pesce, Dandi, Krzakala, Lu, Zdeborová, Loureiro, ICML 2024; conventions: docs/model.md §11',
  hypotheses: cuiApplicability,
  quantities: [],
  variants: SRF_EQUIVALENCE_VARIANTS,
  ladderSpec: srfEquivalenceLadder,
  pinned: [
    { name: 'tanh/tanh, α₀ = 2, η̃ = 1, α = 1', config: tanh, expect: 'agree', why: 'a centred activation: the mapping’s assumptions (f₀ ≈ 0) hold' },
    { name: 'tanh/tanh, α₀ = 4, η̃ = 3, α = 1', config: tanhBig, expect: 'agree', why: 'a larger step (r ≈ 1.4)' },
    {
      name: 'relu/tanh, α₀ = 2, η̃ = 2, α = 1 (finding: fails)',
      config: relu,
      expect: 'disagree',
      why: 'docs/findings.md §13: the network is 14–20% below the sRF model on its own draws (−16.6% [−19.7%, −13.4%] at n = 800); the realised bulk rescaling is 0.91, not the mapping’s 1.09 (f₀ ≠ 0 for ReLU)',
    },
  ],
  negativeControls: [
    { name: 'the sRF model without its spike', config: tanh, surrogate: 'srf-no-spike', expect: 'disagree', why: 'r = 0 is random features on W₀: the error more than doubles' },
  ],
});
