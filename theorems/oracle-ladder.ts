// The decision procedure shared by the oracle theorems: along a ladder of n, each trial yields
// simulated quantities and the oracle's closed-form values for the same setting (for a fixed
// first layer, the same draws); the per-trial relative gaps (sim − oracle)/oracle are summarised
// with a 95% Student interval, and the top rung is judged against a tolerance whose parts are
// derived in each theorem module:
//   tol(n) = floor + dof(n) + finite(n) [+ curvature(n) where a quantity is a nonlinear
// function of fluctuating order parameters]
// agreement needs every quantity's whole interval inside ±tol(n), disagreement one interval
// wholly outside; otherwise trials are added at the top rung until decided or the budget is
// spent. The k·SE term of the usual recipe is the interval itself (k = t_{0.975, trials−1}).
import { type GapSummary, summariseGaps } from '../src/experiment/ladder.ts';
import { type Decision, fitTrend, MIN_DECISIVE_TRIALS, type RungReport, type Verdict } from '../src/experiment/verdict.ts';
import type { ExperimentConfig } from '../src/data/config.ts';
import type { CustomCheckOptions, Theorem } from './types.ts';

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

function judge(gap: GapSummary, tol: number): Verdict {
  if (!Number.isFinite(gap.se) || !Number.isFinite(gap.mean)) return 'inconclusive';
  if (gap.lo >= -tol && gap.hi <= tol) return 'agree';
  if (gap.lo > tol || gap.hi < -tol) return 'disagree';
  return 'inconclusive';
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

export function reportRung(spec: OracleLadderSpec, n: number, samples: OracleSample[]): QuantityReport[] {
  return spec.quantities.map((q) => {
    const gap = summariseGaps(samples.map((s) => relativeGap(s[q])));
    const parts = spec.tolerance(n, q, samples);
    const total = parts.floor + parts.dof + parts.finite + (parts.curvature ?? 0);
    return {
      quantity: q,
      gap,
      simulated: mean(samples.map((s) => s[q].simulated)),
      oracle: mean(samples.map((s) => s[q].oracle)),
      tolerance: { ...parts, total },
      verdict: judge(gap, total),
    };
  });
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

export function describeRung(n: number, trials: number, rows: QuantityReport[], extra: string[] = []): string {
  const parts = rows.map(
    (r) =>
      `${r.quantity}: sim ${r.simulated.toPrecision(4)} vs oracle ${r.oracle.toPrecision(4)}, gap ${pct(r.gap.mean)} [${pct(r.gap.lo)}, ${pct(r.gap.hi)}], tol ±${pct(r.tolerance.total)} (floor ${r.tolerance.floor.toExponential(0)} + dof ${pct(r.tolerance.dof)} + finite ${pct(r.tolerance.finite)}${r.tolerance.curvature === undefined ? '' : ` + curvature ${pct(r.tolerance.curvature)}`}) → ${r.verdict}`,
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

/** Run the ladder, add trials at the top rung while undecided, and decide. */
export function runOracleLadder(spec: OracleLadderSpec, opts: CustomCheckOptions): Decision & { quantities: QuantityReport[] } {
  const rungs = opts.ladder.map((n) => ({ n, samples: [] as OracleSample[] }));
  const extend = (i: number, count: number): void => {
    const rung = rungs[i];
    for (let t = 0; t < count; t++) {
      opts.onProgress?.(`n = ${rung.n}: trial ${rung.samples.length + 1}`);
      // Seeds are spread per rung as in the surrogate checks: seed + 100003·rung + trial.
      rung.samples.push(spec.sample(rung.n, opts.seed + 100_003 * i + rung.samples.length));
    }
  };
  const initial = Math.max(2, opts.initialTrials);
  rungs.forEach((_, i) => extend(i, initial));
  const topIndex = rungs.length - 1;
  const top = rungs[topIndex];
  let rows = reportRung(spec, top.n, top.samples);
  const overall = (rs: QuantityReport[]): Verdict =>
    rs.some((r) => r.verdict === 'disagree') ? 'disagree' : rs.every((r) => r.verdict === 'agree') ? 'agree' : 'inconclusive';
  let verdict = overall(rows);
  // As in checkClaim: no verdict rests on fewer than MIN_DECISIVE_TRIALS trials.
  const minDecisive = Math.min(MIN_DECISIVE_TRIALS, opts.maxTrials);
  while ((verdict === 'inconclusive' || top.samples.length < minDecisive) && top.samples.length < opts.maxTrials) {
    extend(topIndex, Math.min(opts.maxTrials - top.samples.length, top.samples.length));
    rows = reportRung(spec, top.n, top.samples);
    verdict = overall(rows);
  }
  const perRung = rungs.map((r, i) => (i === topIndex ? rows : reportRung(spec, r.n, r.samples)));
  // The report's training-error column: the training error when the oracle predicts one (judged or
  // only reported), else the first quantity again (as gradient-spike does).
  const ladder: RungReport[] = rungs.map((r, i) => {
    const rs = perRung[i];
    const hasTrain = r.samples.length > 0 && 'train' in r.samples[0];
    const trainGap = hasTrain ? summariseGaps(r.samples.map((s) => relativeGap(s.train))) : rs[0].gap;
    return { n: r.n, trials: r.samples.length, relGap: rs[0].gap, relGapTrain: trainGap, tolerance: rs[0].tolerance.total };
  });
  const trend = fitTrend(ladder.map((r) => ({ n: r.n, gap: r.relGap })));
  const reasons = [describeRung(top.n, top.samples.length, rows, describeReported(spec, top.samples))];
  for (let i = 0; i < topIndex; i++) reasons.push(describeRung(rungs[i].n, rungs[i].samples.length, perRung[i], describeReported(spec, rungs[i].samples)));
  if (trend) {
    const dir = trend.hi < 0 ? 'decreasing' : trend.lo > 0 ? 'increasing' : 'no significant trend';
    reasons.push(`trend of the ${spec.quantities[0]} gap in log n: slope ${trend.slope.toFixed(4)} [${trend.lo.toFixed(4)}, ${trend.hi.toFixed(4)}] (${dir})`);
  }
  if (verdict === 'inconclusive') reasons.push(`budget of ${opts.maxTrials} trials at n = ${top.n} spent without a decision`);
  return { verdict, reasons, ladder, trend, tolerance: spec.describe, quantities: rows };
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
 * oracle; the per-quantity rows stay inside the reasons, not in the decision.
 */
export function defineOracleTheorem<V extends string>(spec: OracleTheoremSpec<V>): Theorem {
  const { ladderSpec, ...theorem } = spec;
  return {
    ...theorem,
    check(opts): Decision {
      const hyp = theorem.hypotheses(opts.config);
      const variant = opts.variant as V | undefined;
      const d = runOracleLadder(ladderSpec(opts.config, variant), opts);
      if (!hyp.applies) d.reasons.unshift(`hypotheses not met (${hyp.reasons.join('; ')}): the verdict is reported, not claimed`);
      if (variant) d.reasons.unshift(`variant ${variant}: ${theorem.variants[variant]}`);
      const { quantities: _q, ...decision } = d;
      return decision;
    },
  };
}
