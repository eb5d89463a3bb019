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
// The oracle at size n is the fixed point times (1 + κ/n): the protocol's O(1/d) finite-size excess,
// measured where the check reads the configuration (properties/fixtures/srf-finite-d/, docs/findings.md
// §13: exact errors, seeds 900001–, which no check draws). At the standard tier's reading (η̃ = 1,
// λ = 0.1) the gap to the fixed point at γ̂ is +3.74, +2.35, +0.59, +0.19, +0.33% (± 0.28, 0.29,
// 0.26, 0.30, 0.25) at d = 200, 400, 800, 1600, 3200, and g∞ + κ/d fits g∞ = −0.10 ± 0.18%,
// κ = 7.92 ± 0.73 (χ² 5.1 on 3 dof; g∞ + c/√d fits worse, χ² 8.6, p = 0.04). The excess comes with
// the spike: at η̃ = 0 (Mei–Montanari's exact limit) κ = −1.1 ± 0.9. The quick and stress tiers
// read the same configuration as (η̃, λ) = (2, 0.05) and (0.5, 0.2), measured the same way: κ =
// 2.18 ± 0.94 and 30.07 ± 0.84 (+14.7% at d = 200, +1.6% at 1600), limits within 0.3% of 0.
//
// Tolerance (relative, 95% interval inside), tol(n) = floor + dof(n) + finite(n):
// - floor 1e-6: the fixed point to 1e-11, the quadratures to 1e-13, the exact error's series to 1e-12;
// - dof(n) = |ε(limit) − ε(averaged spectrum of one d×d draw)|/ε, the finite-d spectral shift
//   (2–7e-4 at d = 600);
// - finite(n) = 0.02·√(200/n) + 2·SE_κ/n: the resolution every exact oracle here declares
//   (finiteAllowance, theorems/oracle-mei-montanari.ts: below half the 5–12% a factor-2 λ slip
//   moves a risk, at n = 200), plus the correction's own uncertainty (a two-sided 95% bound on
//   κ/n). The correction is measured from d = 200 up; the quick tier's n = 100 extrapolates it.
//   Where no excess was measured (a configuration of the user's own), the oracle is not corrected
//   and the largest measured (|κ| + 2·SE_κ)/n = 31.75/n stands in for the correction, assumed, as
//   the tolerance's description says. κ grows about fourfold per halving of η̃ (and doubling of λ)
//   along the three measured readings, so a smaller step than η̃ = 0.5 may exceed it.
// Before this (issue 17), finite(n) was (κ + 2·SE_κ)/n on the uncorrected gap: a window centred on 0
// whose edge sat 2·SE_κ/n (0.18% at n = 800) beyond the expected gap, so the better κ was measured the
// more trials a decision took (> 2000 at n = 800). Correcting the oracle centres the window on the
// prediction; the resolution is the one the other oracles declared before any sRF data.
// The per-trial spread is 113%/√d (4% at d = 800) with exact errors; two-thirds of its variance comes
// with the draw of (W₀, v) and a third with the ridge's data (docs/findings.md §13).
import type { ExperimentConfig } from '../src/data/config.ts';
import { configOfCui, cuiApplicability, cuiSettingAt, cuiTrial, type CuiSetting } from '../src/experiment/cui-protocol.ts';
import { srfOracle } from '../src/oracles/srf.ts';
import { FLOOR, finiteAllowance } from './oracle-mei-montanari.ts';
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

/** A measured O(1/d) finite-size excess: the fit g∞ + κ/d at one setting of the protocol. */
export interface FiniteSizeLaw {
  /** The setting it was measured at (with d = p, the pinned example's tanh/tanh, α₀ = 2, α = 1). */
  setting: Pick<CuiSetting, 'act' | 'target' | 'alpha0' | 'alpha' | 'etaTilde' | 'lambda'>;
  kappa: number;
  se: number;
}

const pinnedSetting = { act: 'tanh', target: 'tanh', alpha0: 2, alpha: 1 } as const;

/**
 * The excess at the pinned example's three readings (standard, quick, stress tiers): κ ± SE_κ of
 * the fits in properties/fixtures/srf-finite-d/summary.json (a test holds them equal).
 */
export const SRF_FINITE_D: readonly FiniteSizeLaw[] = [
  // standard (n = 800): d = 200–3200, g∞ = −0.10 ± 0.18%, χ² 5.1 on 3 dof
  { setting: { ...pinnedSetting, etaTilde: 1, lambda: 0.1 }, kappa: 7.92, se: 0.73 },
  // quick (n = 400): d = 200–1600, g∞ = −0.02 ± 0.27%, χ² 4.9 on 2 dof
  { setting: { ...pinnedSetting, etaTilde: 2, lambda: 0.05 }, kappa: 2.18, se: 0.94 },
  // stress (n = 1600): d = 200–1600, g∞ = −0.16 ± 0.22%, χ² 4.1 on 2 dof (c/√d: χ² 12.9, p = 0.002)
  { setting: { ...pinnedSetting, etaTilde: 0.5, lambda: 0.2 }, kappa: 30.07, se: 0.84 },
];

const sameSetting = (a: FiniteSizeLaw['setting'], b: CuiSetting): boolean =>
  a.act === b.act && a.target === b.target && (['alpha0', 'alpha', 'etaTilde', 'lambda'] as const).every((k) => Math.abs(a[k] - b[k]) <= 1e-9 * Math.abs(a[k]));

/** The measured law at this setting, if any (square models only: the fixture has p = d). */
export function finiteSizeLawAt(s: CuiSetting): FiniteSizeLaw | null {
  if ((s.p ?? s.d) !== s.d) return null;
  return SRF_FINITE_D.find((law) => sameSetting(law.setting, s)) ?? null;
}

/**
 * The oracle's finite-size correction at size n and what the tolerance allows for it: κ/n with
 * 2·SE_κ/n where measured; elsewhere no correction and the largest measured (|κ| + 2·SE_κ)/n.
 */
export function srfFiniteCorrection(s: CuiSetting, n: number): { shift: number; allowance: number } {
  const law = finiteSizeLawAt(s);
  if (law) return { shift: law.kappa / n, allowance: (2 * law.se) / n };
  return { shift: 0, allowance: UNMEASURED_EXCESS / n };
}

/** n × the allowance where no excess was measured: the largest measured |κ| + 2·SE_κ. */
export const UNMEASURED_EXCESS = Math.max(...SRF_FINITE_D.map((l) => Math.abs(l.kappa) + 2 * l.se));

export function srfAsymptoticsLadder(config: ExperimentConfig, variant?: SrfAsymptoticsVariant): OracleLadderSpec {
  const cache = new Map<number, { limit: number; averaged: number }>();
  const theory = (n: number, s: CuiSetting) => {
    if (!cache.has(n)) cache.set(n, theoryOf(s));
    return cache.get(n) as { limit: number; averaged: number };
  };
  const model = variant ?? 'srf';
  return {
    quantities: ['error'],
    reported: ['error@fixed-point', 'error@mapping-gamma'],
    sample: (n, seed) => {
      const s = { ...cuiSettingAt(config, n), testSize: 0, exact: true, network: false };
      const t = theory(n, s);
      const trial = cuiTrial(s, seed, [model]);
      // The model this trial simulates has its spike along the step's own direction, whose overlap
      // with e₁ is the realised γ̂ (→ γ as d grows): its oracle is the fixed point at γ̂, with the
      // protocol's finite-size excess κ/n where it was measured.
      const own = srfOracle({ ...s, spectrum: 'limit', override: { gamma: trial.gammaHat } });
      if (!own.converged) throw new Error(`sRF fixed point stopped with status '${own.status}' at γ̂ = ${trial.gammaHat}`);
      const simulated = trial.errors[model];
      return {
        error: { simulated, oracle: own.error * (1 + srfFiniteCorrection(s, n).shift) },
        'error@fixed-point': { simulated, oracle: own.error },
        'error@mapping-gamma': { simulated, oracle: t.limit },
        spectrum: { simulated: t.limit, oracle: t.averaged },
      };
    },
    tolerance: (n, _q, samples) => ({
      floor: FLOOR,
      dof: Math.abs(samples[0].spectrum.oracle - samples[0].spectrum.simulated) / Math.abs(samples[0].spectrum.simulated),
      finite: finiteAllowance(n) + srfFiniteCorrection(cuiSettingAt(config, n), n).allowance,
    }),
    describe: describeTolerance(cuiSettingAt(config, config.n)),
  };
}

function describeTolerance(s: CuiSetting): string {
  const law = finiteSizeLawAt(s);
  const correction = law
    ? `the fixed point at the trial’s realised overlap γ̂ of the step direction with e₁, times (1 + ${law.kappa}/n): the protocol’s O(1/d) finite-size excess measured at this setting (κ = ${law.kappa} ± ${law.se}; docs/findings.md §13)`
    : `the fixed point at the trial’s realised overlap γ̂ of the step direction with e₁, not corrected: no finite-size excess was measured at this setting, so the largest measured, (|κ| + 2·SE_κ)/n, is assumed and allowed`;
  return [
    `tol(n) = 1e-6 (numerical floor) + dof(n) + 0.02·√(200/n) + ${law ? `2·${law.se}/n` : `${UNMEASURED_EXCESS.toFixed(2)}/n`} on the sRF model’s exact test MSE against`,
    `${correction}; dof(n) = the relative shift of the fixed point from the Marchenko–Pastur spectrum to one d×d draw’s;`,
    `0.02·√(200/n) = the resolution every exact oracle here declares${law ? '; 2·SE_κ/n = the correction’s uncertainty' : ''}. Reported: the gap to the uncorrected`,
    'fixed point at γ̂, and to the fixed point at the mapping’s γ.',
  ].join(' ');
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
          'the tier decides it at its 256-trial cap (agree, +0.30% [−1.13%, 1.74%] against ±1.95% at n = 400, 14 s on 2 workers), the pinned suite’s 64 trials cannot (per-trial spread 6.4% at n = 400; docs/findings.md §13)',
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

