// Oracle: the spiked random features (sRF) model's test error is the fixed point of Cui et al.'s
// self-consistent equations (docs/model.md §11). An exact claim about the model itself — not
// about the network (that is srf-equivalence): the features σ(c·W₀x + r·κ) are simulated on the
// draws of their protocol (src/experiment/cui-protocol.ts), their sum-loss ridge is scored by its
// exact test error over x ~ N(0, I_d) (isotropicExactError: no test set), and the oracle is the
// d → ∞ fixed point (Marchenko–Pastur spectrum).
//
// The configuration is onestep's, read as their protocol (cuiSettingOf: d = n, p = k, α = m/n,
// α₀ = m̃/n, λ = λ_onestep·m, η̃ = η/k), so every check also runs the conventions' conversions.
//
// Each trial is compared with the fixed point at its own realised overlap γ̂ of the step direction
// with e₁ (the model it simulates; γ̂ → γ at rate d^-1/2): this removes the γ̂ fluctuation from the
// spread and its curvature bias from the mean. Their λ, α, α₀, η̃ are held fixed along the ladder
// (cuiSettingAt).
//
// Tolerance (relative, 95% interval inside), tol(n) = floor + dof(n) + finite(n):
// - floor 1e-6: the fixed point to 1e-11, the quadratures to 1e-13, the exact error's series to 1e-12;
// - dof(n) = |ε(limit) − ε(averaged spectrum of one d×d draw)|/ε, the finite-d spectral shift
//   (2–7e-4 at d = 600);
// - finite(n) = (κ + 2·SE_κ)/n = 9.4/n: the O(1/d) finite-size excess of this protocol, measured
//   (properties/fixtures/srf-finite-d/, docs/findings.md §13: exact errors, seeds 900001–, which no
//   check draws; 1590 trials): the gap to the fixed point at γ̂ is +3.74, +2.35, +0.59, +0.19, +0.33%
//   (± 0.28, 0.29, 0.26, 0.30, 0.25) at d = 200, 400, 800, 1600, 3200, and g∞ + κ/d fits
//   g∞ = −0.10 ± 0.18%, κ = 7.92 ± 0.73 (χ² 5.1 on 3 dof; g∞ + c/√d fits worse, χ² 8.6, p = 0.04);
//   2·SE_κ is a one-sided 97.7% bound on κ. The excess comes with
//   the spike: at η̃ = 0 (Mei–Montanari's exact limit) the same protocol gives κ = −1.1 ± 0.9 and
//   every rung within 0.7% of the limit, so it is not the ridge's own finite-size bias. It replaces
//   the 0.02·√(200/n) the other oracles allow, which is smaller than the measured excess below
//   d ≈ 580 (3.7% at d = 200 against 2%). Measured at their (η̃ = 1, λ = 0.1), i.e. at the standard
//   tier; the quick tier's top rung n = 400 reads the same configuration as η̃ = 2, λ = 0.05 and the
//   stress tier's n = 1600 as η̃ = 0.5, λ = 0.2 (PINNED_D below), where the term is assumed, not measured.
// The per-trial spread is 113%/√d (4% at d = 800) with exact errors; the test set of 10d points
// this claim used before added 1.5/√(10d) (1.7% at d = 800).
import type { ExperimentConfig } from '../src/data/config.ts';
import { configOfCui, cuiApplicability, cuiSettingAt, cuiTrial, type CuiSetting } from '../src/experiment/cui-protocol.ts';
import { srfOracle } from '../src/oracles/srf.ts';
import { FLOOR } from './oracle-mei-montanari.ts';
import { defineOracleTheorem, type OracleLadderSpec } from './oracle-ladder.ts';
import type { Theorem } from './types.ts';

export const SRF_ASYMPTOTICS_VARIANTS = {
  'srf-no-spike': 'negative control: the model simulated without its spike (r = 0), compared with the fixed point of the spiked model',
  'srf-c1': 'negative control: the model simulated with the bulk not rescaled (c = 1), compared with the fixed point at the mapping’s c',
  'srf-c2x': 'negative control: the model simulated with the bulk’s excess variance doubled (c² − 1 → 2(c² − 1))',
  'srf-c2c': 'negative control: the model simulated with a grossly wrong bulk rescaling, 2·c',
} as const;
export type SrfAsymptoticsVariant = keyof typeof SRF_ASYMPTOTICS_VARIANTS;

/** The fixed point for a setting (limit spectrum) and the same at one drawn spectrum (the dof term). */
function theoryOf(s: CuiSetting): { limit: number; averaged: number } {
  const input = { ...s, spectrum: 'limit' as const };
  const limit = srfOracle(input);
  const averaged = srfOracle({ ...input, spectrum: 'averaged', seed: 1 });
  for (const r of [limit, averaged]) {
    if (!r.converged) throw new Error(`sRF fixed point stopped with status '${r.status}' at ${JSON.stringify(s)}`);
  }
  return { limit: limit.error, averaged: averaged.error };
}

/**
 * The O(1/d) finite-size excess of the simulated sRF model over its fixed point at this claim's
 * setting (module comment): κ ± SE_κ of the fit g∞ + κ/d to properties/fixtures/srf-finite-d/.
 * The tolerance allows (κ + 2·SE_κ)/n.
 */
export const SRF_FINITE_D = { kappa: 7.92, se: 0.73 } as const;
export const srfFiniteAllowance = (n: number): number => (SRF_FINITE_D.kappa + 2 * SRF_FINITE_D.se) / n;

export function srfAsymptoticsLadder(config: ExperimentConfig, variant?: SrfAsymptoticsVariant): OracleLadderSpec {
  const cache = new Map<number, { limit: number; averaged: number }>();
  const theory = (n: number, s: CuiSetting) => {
    if (!cache.has(n)) cache.set(n, theoryOf(s));
    return cache.get(n) as { limit: number; averaged: number };
  };
  const model = variant ?? 'srf';
  return {
    quantities: ['error'],
    reported: ['error@mapping-gamma'],
    sample: (n, seed) => {
      const s = { ...cuiSettingAt(config, n), testSize: 0, exact: true, network: false };
      const t = theory(n, s);
      const trial = cuiTrial(s, seed, [model]);
      // The model this trial simulates has its spike along the step's own direction, whose overlap
      // with e₁ is the realised γ̂ (→ γ as d grows): its oracle is the fixed point at γ̂.
      const own = srfOracle({ ...s, spectrum: 'limit', override: { gamma: trial.gammaHat } });
      if (!own.converged) throw new Error(`sRF fixed point stopped with status '${own.status}' at γ̂ = ${trial.gammaHat}`);
      const simulated = trial.errors[model];
      return {
        error: { simulated, oracle: own.error },
        'error@mapping-gamma': { simulated, oracle: t.limit },
        spectrum: { simulated: t.limit, oracle: t.averaged },
      };
    },
    tolerance: (n, _q, samples) => ({
      floor: FLOOR,
      dof: Math.abs(samples[0].spectrum.oracle - samples[0].spectrum.simulated) / Math.abs(samples[0].spectrum.simulated),
      finite: srfFiniteAllowance(n),
    }),
    describe: [
      'tol(n) = 1e-6 (numerical floor) + dof(n) + 9.4/n on the sRF model’s exact test MSE against the fixed point at the trial’s',
      'realised overlap γ̂ of the step direction with e₁; dof(n) = the relative shift of the fixed point from the Marchenko–Pastur',
      'spectrum to one d×d draw’s (finite-d spectrum); 9.4/n = (κ + 2·SE_κ)/n, the O(1/d) finite-size excess of this protocol measured',
      'along d = 200–3200 (κ = 7.92 ± 0.73, limit −0.10 ± 0.18%; docs/findings.md §13). Reported: the same error against the fixed',
      'point at the mapping’s γ.',
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
const tanhSetting = configOfCui({ act: 'tanh', target: 'tanh', alpha0: 2, etaTilde: 1, lambda: 0.1, alpha: 1, d: PINNED_D });

export const srfAsymptotics: Theorem = defineOracleTheorem({
  id: 'srf-asymptotics',
  title: 'Oracle: the spiked random features model’s test error (Cui et al. 2024, Result 3.3)',
  claim: [
    'In Cui et al.’s protocol (isotropic inputs, y = σ_*(x₁), one giant step on α₀d samples), the spiked random features model',
    'σ(c·W₀x + r·κ) fitted by sum-loss ridge on αd samples has the test error of docs/model.md §11’s fixed point, as d = p → ∞.',
  ].join('\n'),
  source: 'Cui, Pesce, Dandi, Krzakala, Lu, Zdeborová, Loureiro, ICML 2024 (Result 3.3); conventions: docs/model.md §11',
  hypotheses: cuiApplicability,
  quantities: [],
  variants: SRF_ASYMPTOTICS_VARIANTS,
  ladderSpec: srfAsymptoticsLadder,
  pinned: [
    {
      name: 'tanh/tanh, α₀ = 2, η̃ = 1, α = 1, λ = 0.1',
      config: tanhSetting,
      expect: 'agree',
      why: 'a row of Cui et al.’s table: the fixed point 0.1111',
      undecided: {
        quick:
          '+1.15% [−0.43%, 2.72%] against ±2.41% after 192 trials at n = 400 (30 s), 4 trials each at n = 100 and 200, limit −2.2% [−12.2%, 7.8%]; at this tier the configuration reads η̃ = 2, λ = 0.05, where 9.4/n was not measured (docs/findings.md §13)',
        standard:
          'the finite-size excess (≈ 0.9% at n = 800) sits 0.3% inside the derived tolerance: +0.78% [0.16%, 1.39%] against ±1.21% after 512 trials at n = 800 (the cap, 180 s), limit −0.44% [−1.67%, 0.79%]; about 2000 trials would decide (docs/findings.md §13)',
      },
    },
  ],
  negativeControls: [
    { name: 'the model without its spike', config: tanhSetting, surrogate: 'srf-no-spike', expect: 'disagree', why: 'r = 0 is plain random features: the error more than doubles (+130% at d = 600)' },
    {
      name: 'a grossly wrong bulk rescaling (2·c)',
      config: tanhSetting,
      surrogate: 'srf-c2c',
      expect: 'disagree',
      why: 'the fixed point moves +23% at c = 2 (tanh’s error is flat near the mapping’s c: c = 1 or c² − 1 doubled move it by < 0.5%, below any tolerance; docs/findings.md §13)',
    },
  ],
});

