// What an oracle theorem measures, for the ladder engine (src/experiment/engine.ts): each trial
// yields simulated quantities and the oracle's closed-form values for the same setting (for a
// fixed first layer, the same draws); the per-trial relative gaps (sim − oracle)/|oracle| are the
// engine's quantities, judged against a tolerance whose parts are derived in each theorem module:
//   tol(n) = floor + dof(n) + finite(n) [+ curvature(n) where a quantity is a nonlinear
// function of fluctuating order parameters]
// The engine looks after every batch with intervals valid under optional stopping and judges the
// largest rung and the limit as n → ∞, like every other claim.
import { type GapSummary, summariseGaps } from '../src/experiment/ladder.ts';
import { type Decision, judgeInterval, type LadderSpec, runLadder, type Verdict } from '../src/experiment/engine.ts';
import type { ExperimentConfig } from '../src/data/config.ts';
import type { Theorem } from './types.ts';

/** One trial: for each quantity, what the simulator measured and what the oracle predicts. */
export type OracleSample = Record<string, { simulated: number; oracle: number }>;

export interface TolerancePart {
  /** Numerical floor: round-off of the solves and quadratures. */
  floor: number;
  /** Finite-size shift computed from the oracle itself (degrees of freedom spent on directions the limit ignores). */
  dof: number;
  /** The remaining O(n^-1/2) allowance. */
  finite: number;
  /**
   * A nonlinear function of fluctuating order parameters has a mean off its value at their
   * limits by ½·tr(H·Cov) (second-order delta method), O(1/n): measured where it applies.
   */
  curvature?: number;
}

export interface OracleLadderSpec {
  /** Quantities judged, in order; the first is reported as the rung's gap. */
  quantities: readonly string[];
  /** Quantities summarised in the reasons but not judged (e.g. the test-set estimate beside the exact one). */
  reported?: readonly string[];
  /** One trial at size n with this seed. */
  sample(n: number, seed: number): OracleSample;
  /** The tolerance of one quantity at size n, given that rung's samples (some parts depend on the setting). */
  tolerance(n: number, quantity: string, samples: OracleSample[]): TolerancePart;
  /** The derivation, printed with every verdict. */
  describe: string;
}

export interface QuantityReport {
  quantity: string;
  gap: GapSummary;
  simulated: number;
  oracle: number;
  tolerance: TolerancePart & { total: number };
  verdict: Verdict;
}

export const relativeGap = (s: { simulated: number; oracle: number }): number => (s.simulated - s.oracle) / Math.abs(s.oracle);

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

/** The tolerance a quantity is judged against: the sum of its derived parts. */
export const totalTolerance = (parts: TolerancePart): number => parts.floor + parts.dof + parts.finite + (parts.curvature ?? 0);

export function reportRung(spec: OracleLadderSpec, n: number, samples: OracleSample[]): QuantityReport[] {
  return spec.quantities.map((q) => {
    const gap = summariseGaps(samples.map((s) => relativeGap(s[q])));
    const parts = spec.tolerance(n, q, samples);
    const total = totalTolerance(parts);
    return {
      quantity: q,
      gap,
      simulated: mean(samples.map((s) => s[q].simulated)),
      oracle: mean(samples.map((s) => s[q].oracle)),
      tolerance: { ...parts, total },
      verdict: judgeInterval(gap, total),
    };
  });
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

export function describeRung(n: number, trials: number, rows: QuantityReport[], extra: string[] = [], withVerdict = true): string {
  const parts = rows.map(
    (r) =>
      `${r.quantity}: sim ${r.simulated.toPrecision(4)} vs oracle ${r.oracle.toPrecision(4)}, gap ${pct(r.gap.mean)}${withVerdict ? ` [${pct(r.gap.lo)}, ${pct(r.gap.hi)}]` : ''}, tol ±${pct(r.tolerance.total)} (floor ${r.tolerance.floor.toExponential(0)} + dof ${pct(r.tolerance.dof)} + finite ${pct(r.tolerance.finite)}${r.tolerance.curvature === undefined ? '' : ` + curvature ${pct(r.tolerance.curvature)}`})${withVerdict ? ` → ${r.verdict}` : ''}`,
  );
  return `n = ${n}, ${trials} trials: ${[...parts, ...extra].join('; ')}`;
}

/** Reported (not judged) quantities: mean relative gap with its 95% interval. */
function describeReported(spec: OracleLadderSpec, samples: OracleSample[]): string[] {
  return (spec.reported ?? []).map((q) => {
    const gap = summariseGaps(samples.map((s) => relativeGap(s[q])));
    return `${q} (reported, not judged): sim ${mean(samples.map((s) => s[q].simulated)).toPrecision(4)}, gap ${pct(gap.mean)} [${pct(gap.lo)}, ${pct(gap.hi)}]`;
  });
}

/** The engine's view of an oracle ladder spec. */
export function oracleClaimSpec(spec: OracleLadderSpec): LadderSpec<OracleSample> {
  return {
    quantities: spec.quantities,
    rule: 'within',
    measure: (n, seed) => spec.sample(n, seed),
    value: (t, q) => relativeGap(t[q]),
    tolerance: (n, q, trials) => totalTolerance(spec.tolerance(n, q, [...trials])),
    // The oracles' own finite-size terms (dof ∝ 1/n, curvature O(1/n)) shrink like 1/n: the limit
    // is extrapolated with that rate (surrogate claims use n^−½).
    correctionExponent: 1,
    describeTolerance: spec.describe,
    describeRung: (n, trials) => (trials.length === 0 ? [] : [describeRung(n, trials.length, reportRung(spec, n, [...trials]), describeReported(spec, [...trials]), false).replace(/^n = \d+, \d+ trials: /, '')]),
  };
}

/**
 * What an oracle theorem states: the claim, when it applies, and what it measures and compares —
 * the ladder spec for a configuration, altered by one of its named variants when a negative
 * control asks for it. The check itself is the same for every oracle (defineOracleTheorem).
 */
export interface OracleTheoremSpec<V extends string> extends Omit<Theorem, 'check' | 'surrogate' | 'variants'> {
  variants: Readonly<Record<V, string>>;
  ladderSpec(config: ExperimentConfig, variant?: V): OracleLadderSpec;
}

/**
 * An oracle theorem whose check runs its ladder (runOracleLadder) and says in the reasons when the
 * hypotheses are not met (the verdict is then reported, not claimed) and which variant altered the
 * oracle.
 */
export function defineOracleTheorem<V extends string>(spec: OracleTheoremSpec<V>): Theorem {
  const { ladderSpec, ...theorem } = spec;
  const ladder = (config: ExperimentConfig, variant?: string): LadderSpec<OracleSample> => ({
    ...oracleClaimSpec(ladderSpec(config, variant as V | undefined)),
    remote: { kind: 'theorem', args: { theorem: theorem.id, config, variant } },
  });
  return {
    ...theorem,
    ladder,
    check(opts): Decision {
      const hyp = theorem.hypotheses(opts.config);
      const variant = opts.variant as V | undefined;
      const d = runLadder(ladder(opts.config, variant), { ladder: opts.ladder, seed: opts.seed, budget: opts.budget, clock: opts.clock, onProgress: opts.onProgress, runner: opts.runner });
      if (!hyp.applies) d.reasons.unshift(`hypotheses not met (${hyp.reasons.join('; ')}): the verdict is reported, not claimed`);
      if (variant) d.reasons.unshift(`variant ${variant}: ${theorem.variants[variant]}`);
      return d;
    },
  };
}
