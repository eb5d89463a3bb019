// The one ladder engine every theorem is judged by. A theorem says what one trial at size n
// measures (a LadderSpec: quantities, their values per trial, their tolerance, the rule); the
// engine runs trials along a ladder of n, spends a budget in seconds where it most narrows the
// decisive interval, looks after every batch with intervals that stay valid under optional
// stopping (sequential.ts), and decides.
//
// Rules (which one decided is named in the decision):
// - 'within' (a surrogate or an oracle must match the network): per quantity, the interval of the
//   gap at the largest rung and the interval of its limit as n → ∞ (fitLimit, g∞ + c·n^−½) are
//   judged against the tolerance at the largest rung.
//     disagree — either interval lies wholly outside ±tol ('largest-rung' or 'limit');
//     agree    — the largest rung's interval lies inside ±tol, and so does the limit's interval
//                ('limit'), or the limit's interval straddles the tolerance with its estimate
//                inside and a half-width of at most 2·tol ('largest-rung': the limit is
//                consistent and resolved to the tolerance's scale, so a limit well outside
//                would show; extrapolated from a ladder spanning a factor 4 in n it is about
//                three times less precise than the largest rung, so demanding its whole
//                interval inside would cost ~10× the trials);
//     otherwise undecided — including a largest rung inside whose limit is heading outside.
//   A gap that is not a finite number in some trial of the largest rung is a numerical failure
//   of the compared model: disagree, with its diagnosis (docs/model.md §6).
// - 'decreasing' (a quantity must shrink as n grows): the interval of the slope of the value
//   against log n must lie below 0 (agree) or above 0 (disagree).
// Replay: trials, batches and looks are a deterministic function of the seed and of the look at
// which the engine stopped; only where it stops depends on the clock. `maxLooks` stops at a given
// look, so every time-budgeted verdict replays exactly from its seed and its look count.
import { ALPHA, fitLimit, fitTrend, type Interval, type LimitFit, lookInterval, type Trend } from './sequential.ts';

export type Verdict = 'agree' | 'disagree' | 'inconclusive';

/** The rule that produced the verdict. */
export type DecidingRule = 'largest-rung' | 'limit' | 'trend' | 'numerical-failure' | 'exact' | 'none';

export interface LadderSpec<T> {
  /** Judged quantities; the first is charted as the rung's gap, the second (if any) as its training gap. */
  quantities: readonly string[];
  rule: 'within' | 'decreasing';
  /** One trial at size n. */
  measure(n: number, seed: number): T;
  /** The value of a quantity in a trial (a relative gap; for 'decreasing', the value itself). */
  value(trial: T, quantity: string): number;
  /** The tolerance of a quantity at size n, given that rung's trials ('within' only). */
  tolerance(n: number, quantity: string, trials: readonly T[]): number;
  /** γ of the finite-size correction gap(n) = g∞ + c·n^−γ (default ½). */
  correctionExponent?: number;
  /** The tolerance's derivation, printed with every verdict. */
  describeTolerance: string;
  /** Extra words about a rung (tolerance parts, quantities reported but not judged). */
  describeRung?(n: number, trials: readonly T[]): string[];
  /** Why a trial failed numerically, if it did. */
  failure?(trial: T): string | undefined;
  /** Relative cost of a trial at size n (default n³: the products dominate). */
  cost?(n: number): number;
  /**
   * How a worker rebuilds this spec (a kind and structured-clonable arguments), so that a batch
   * of its trials can run in parallel (EngineOptions.runner). Absent: trials run here, in turn.
   */
  remote?: RemoteSpec;
}

export interface RemoteSpec {
  kind: string;
  args: unknown;
}

/**
 * Runs a batch of one spec's trials in parallel (worker threads rebuild it from `spec.remote`;
 * the calling thread may use `spec` itself), results in the order of `seeds`.
 */
export interface TrialRunner {
  readonly jobs: number;
  measure<T>(spec: LadderSpec<T>, n: number, seeds: readonly number[]): T[];
}

export interface Budget {
  /** Wall-clock seconds for the whole claim (Infinity: trial caps only). */
  seconds: number;
  /** Trials at each rung before the first look. */
  initialTrials: number;
  /**
   * Most trials at the largest rung; a smaller rung may take (n_top/n)² times as many, at most
   * 16 times (its trials are that much cheaper, and the limit's precision rests on them).
   */
  maxTrials: number;
  /**
   * 'union' (default): look j spends α/(j(j+1)), valid under optional stopping. 'none': a plain
   * 95% interval at every look — only for measuring what alpha spending buys (engine.stat.test.ts).
   */
  spending?: 'union' | 'none';
  /** Stop after this look (replays a time-budgeted run exactly). */
  maxLooks?: number;
}

export interface RungReport {
  n: number;
  trials: number;
  /** The first quantity's gap (the generalisation gap for surrogate claims), interval at the final look. */
  relGap: Interval;
  /** The second quantity's gap (training), or the first again. */
  relGapTrain: Interval;
  tolerance: number;
  /** Every judged quantity at this rung. */
  quantities?: Record<string, Interval>;
}

export interface QuantityVerdict {
  quantity: string;
  tolerance: number;
  largest: Interval;
  limit: LimitFit | null;
  verdict: Verdict;
  rule: DecidingRule;
}

export interface Decision {
  verdict: Verdict;
  /** Which rule decided (or 'none' when undecided). */
  rule?: DecidingRule;
  reasons: string[];
  ladder: RungReport[];
  trend: Trend | null;
  /** The first quantity's limit as n → ∞, when fitted. */
  limit?: LimitFit | null;
  tolerance: string;
  /** What the verdict cost, and how to replay it. */
  spent?: { seconds: number; trials: number; looks: number };
}

/** Fewest trials at the largest rung behind agree/disagree: with two degrees of freedom a tight
 * spread is a fluke 1.1% of the time (P(s < 0.11σ)), with five below 1e-4. */
export const MIN_DECISIVE_TRIALS = 6;

/** An interval judged against ±tol. */
export function judgeInterval(g: Interval, tol: number): Verdict {
  if (!Number.isFinite(g.lo) || !Number.isFinite(g.hi)) return 'inconclusive';
  if (g.lo >= -tol && g.hi <= tol) return 'agree';
  if (g.lo > tol || g.hi < -tol) return 'disagree';
  return 'inconclusive';
}

export const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

/** "1.23% [0.50%, 1.96%]", or "not a finite number" rather than a NaN. */
export function formatInterval(g: Interval): string {
  if (!Number.isFinite(g.mean)) return 'not a finite number';
  return `${pct(g.mean)} [${pct(g.lo)}, ${pct(g.hi)}]`;
}

interface Rung<T> {
  n: number;
  seedBase: number;
  trials: T[];
  seconds: number;
}

export interface EngineOptions {
  ladder: readonly number[];
  seed: number;
  budget: Budget;
  /** Seconds since some origin (injected so the engine stays testable and replayable). */
  clock?: () => number;
  onProgress?: (message: string) => void;
  /**
   * Where batches run when the spec can be rebuilt remotely: a trial depends on its seed alone,
   * so the trials, and every verdict, are the same with or without it (only the time differs).
   */
  runner?: TrialRunner;
}

const combine = (vs: Verdict[]): Verdict => (vs.includes('disagree') ? 'disagree' : vs.every((v) => v === 'agree') ? 'agree' : 'inconclusive');

/** The level of the intervals at a look: the look's share of α, or a plain 95% without spending. */
interface Level {
  look: number;
  alpha: number;
}

function levelAt(look: number, budget: Budget): Level {
  // α_1 = α/2, so α = 0.1 at look 1 is the plain two-sided 95% interval.
  return budget.spending === 'none' ? { look: 1, alpha: 0.1 } : { look, alpha: ALPHA };
}

/** Judge one quantity of a 'within' claim at a look. */
function judgeQuantity<T>(spec: LadderSpec<T>, rungs: Rung<T>[], q: string, lv: Level): QuantityVerdict {
  const top = rungs[rungs.length - 1];
  const values = top.trials.map((t) => spec.value(t, q));
  const largest = lookInterval(values, lv.look, lv.alpha);
  const tolerance = spec.tolerance(top.n, q, top.trials);
  if (values.some((v) => !Number.isFinite(v))) return { quantity: q, tolerance, largest, limit: null, verdict: 'disagree', rule: 'numerical-failure' };
  const points = rungs.filter((r) => r.trials.length >= 2).map((r) => {
    const iv = lookInterval(r.trials.map((t) => spec.value(t, q)), lv.look, lv.alpha);
    return { n: r.n, mean: iv.mean, se: iv.se, trials: r.trials.length };
  });
  const limit = fitLimit(points, lv.look, spec.correctionExponent ?? 0.5, lv.alpha);
  const atTop = judgeInterval(largest, tolerance);
  const atLimit = limit ? judgeInterval(limit, tolerance) : null;
  // A disagreement from the limit must clear the misfit-widened interval, with every rung behind
  // it holding MIN_DECISIVE_TRIALS (few skewed trials understate a rung's spread).
  const limitDisagrees =
    limit !== null && rungs.every((r) => r.trials.length >= MIN_DECISIVE_TRIALS) && judgeInterval({ ...limit, ...limit.widened }, tolerance) === 'disagree';
  const row = { quantity: q, tolerance, largest, limit };
  if (atTop === 'disagree') return { ...row, verdict: 'disagree', rule: 'largest-rung' };
  if (limitDisagrees) return { ...row, verdict: 'disagree', rule: 'limit' };
  if (atTop === 'agree' && atLimit === 'agree') return { ...row, verdict: 'agree', rule: 'limit' };
  const limitConsistent = limit === null || (Math.abs(limit.mean) <= tolerance && limit.hi - limit.lo <= 4 * tolerance);
  if (atTop === 'agree' && limitConsistent) return { ...row, verdict: 'agree', rule: 'largest-rung' };
  return { ...row, verdict: 'inconclusive', rule: 'none' };
}

/** The trial cap of a rung (Budget.maxTrials). */
export function rungCap(maxTrials: number, n: number, nTop: number): number {
  return Math.round(maxTrials * Math.min(16, (nTop / n) ** 2));
}

/**
 * The rung to extend: the largest while its own interval blocks; otherwise the one whose doubling
 * most reduces the variance of the decisive statistic (the limit, or the trend) per unit of cost.
 */
function bestRung<T>(spec: LadderSpec<T>, rungs: Rung<T>[], q: string, blockedAtTop: boolean, maxTrials: number): number {
  const nTop = rungs[rungs.length - 1].n;
  const open = rungs.map((r, i) => (r.trials.length < rungCap(maxTrials, r.n, nTop) ? i : -1)).filter((i) => i >= 0);
  if (open.length === 0) return -1;
  const topIndex = rungs.length - 1;
  if (blockedAtTop && open.includes(topIndex)) return topIndex;
  const cost = spec.cost ?? ((n: number) => n ** 3);
  const points = rungs.map((r) => {
    const e = lookInterval(r.trials.map((t) => spec.value(t, q)), 1);
    return { n: r.n, mean: e.mean, se: e.se };
  });
  const statisticVar = (pts: typeof points): number => {
    const fit = spec.rule === 'within' ? fitLimit(pts, 1, spec.correctionExponent ?? 0.5) : fitTrend(pts, 1);
    if (!fit) return Infinity;
    return fit.se ** 2;
  };
  const now = statisticVar(points);
  let best = open[open.length - 1];
  let bestGain = -Infinity;
  for (const i of open) {
    const doubled = points.map((p, j) => (j === i ? { ...p, se: p.se / Math.SQRT2 } : p));
    const gain = (now - statisticVar(doubled)) / (cost(rungs[i].n) * rungs[i].trials.length);
    if (gain > bestGain) {
      bestGain = gain;
      best = i;
    }
  }
  return best;
}

/** Run a claim's ladder within its budget and decide. */
export function runLadder<T>(spec: LadderSpec<T>, opts: EngineOptions): Decision {
  const clock = opts.clock ?? (() => performance.now() / 1000);
  const started = clock();
  const { budget } = opts;
  const rungs: Rung<T>[] = opts.ladder.map((n, i) => ({ n, seedBase: opts.seed + 100_003 * i, trials: [], seconds: 0 }));
  const topIndex = rungs.length - 1;
  const extend = (i: number, count: number): void => {
    const r = rungs[i];
    if (opts.runner && opts.runner.jobs > 1 && spec.remote && count > 1) {
      // Seeds as below; the batch's wall time is its cost (per trial: divided by the workers).
      const seeds = Array.from({ length: count }, (_, c) => r.seedBase + r.trials.length + c);
      opts.onProgress?.(`n = ${r.n}: trials ${r.trials.length + 1}–${r.trials.length + count} on ${opts.runner.jobs} workers`);
      const t0 = clock();
      r.trials.push(...opts.runner.measure(spec, r.n, seeds));
      r.seconds += clock() - t0;
      return;
    }
    for (let c = 0; c < count; c++) {
      opts.onProgress?.(`n = ${r.n}: trial ${r.trials.length + 1}`);
      const t0 = clock();
      // Seeds are spread per rung so rungs never share draws: seed + 100003·rung + trial.
      r.trials.push(spec.measure(r.n, r.seedBase + r.trials.length));
      r.seconds += clock() - t0;
    }
  };
  const initial = Math.max(2, Math.min(budget.initialTrials, budget.maxTrials));
  rungs.forEach((_, i) => extend(i, i === topIndex ? Math.max(initial, Math.min(MIN_DECISIVE_TRIALS, budget.maxTrials)) : initial));

  let look = 1;
  const judgeAll = (): { verdict: Verdict; rule: DecidingRule; rows: QuantityVerdict[]; trend: Trend | null } => {
    if (spec.rule === 'decreasing') {
      const q = spec.quantities[0];
      const lv = levelAt(look, budget);
      const pts = rungs.map((r) => {
        const iv = lookInterval(r.trials.map((t) => spec.value(t, q)), lv.look, lv.alpha);
        return { n: r.n, mean: iv.mean, se: iv.se, trials: r.trials.length };
      });
      const trend = fitTrend(pts, lv.look, lv.alpha);
      const verdict: Verdict = trend && trend.hi < 0 ? 'agree' : trend && trend.lo > 0 ? 'disagree' : 'inconclusive';
      return { verdict, rule: verdict === 'inconclusive' ? 'none' : 'trend', rows: [], trend };
    }
    const rows = spec.quantities.map((q) => judgeQuantity(spec, rungs, q, levelAt(look, budget)));
    const verdict = combine(rows.map((r) => r.verdict));
    const decisive = rows.find((r) => r.verdict === verdict && verdict !== 'inconclusive');
    // Agreement is decided by the limit whenever every quantity's limit was judged.
    const rule: DecidingRule = verdict === 'inconclusive' ? 'none' : verdict === 'agree' ? (rows.every((r) => r.rule === 'limit') ? 'limit' : 'largest-rung') : (decisive?.rule ?? 'none');
    return { verdict, rule, rows, trend: null };
  };

  let state = judgeAll();
  const enough = () => rungs[topIndex].trials.length >= Math.min(MIN_DECISIVE_TRIALS, budget.maxTrials);
  let stoppedBy = 'decided';
  while (state.verdict === 'inconclusive' || !enough()) {
    if (budget.maxLooks !== undefined && look >= budget.maxLooks) {
      stoppedBy = `stopped at look ${look} as asked`;
      break;
    }
    // Where to spend: the largest rung while its own interval is undecided, else the rung that
    // most narrows the limit (or the trend) per second.
    const blocking = state.rows.find((r) => r.verdict === 'inconclusive');
    const q = blocking?.quantity ?? spec.quantities[0];
    const blockedAtTop = spec.rule === 'within' && (!blocking || judgeInterval(blocking.largest, blocking.tolerance) === 'inconclusive');
    // Once the largest rung is settled, a rung below MIN_DECISIVE_TRIALS is filled first: the
    // limit can decide nothing until it is.
    const starved = rungs.findIndex((r) => r.trials.length < MIN_DECISIVE_TRIALS);
    const i = !blockedAtTop && enough() && spec.rule === 'within' && starved >= 0 ? starved : bestRung(spec, rungs, q, blockedAtTop || !enough(), budget.maxTrials);
    if (i < 0) {
      stoppedBy = `trial cap reached (${rungs.map((r) => rungCap(budget.maxTrials, r.n, rungs[topIndex].n)).join(', ')} along the ladder)`;
      break;
    }
    const r = rungs[i];
    const batch = Math.min(rungCap(budget.maxTrials, r.n, rungs[topIndex].n) - r.trials.length, r.trials.length);
    // Never start a batch the budget cannot finish (measured seconds per trial at that rung).
    const perTrial = r.seconds / Math.max(1, r.trials.length);
    if (clock() - started + batch * perTrial > budget.seconds) {
      stoppedBy = `time budget of ${budget.seconds} s reached (the next batch, ${batch} trials at n = ${r.n}, would take ~${(batch * perTrial).toFixed(1)} s)`;
      break;
    }
    opts.onProgress?.(`look ${look}: ${state.verdict === 'inconclusive' ? 'undecided' : `${state.verdict}, confirming`}; ${batch} more trials at n = ${r.n}`);
    extend(i, batch);
    look++;
    state = judgeAll();
  }
  if (state.verdict !== 'inconclusive' && !enough()) {
    // Only reachable when maxTrials < MIN_DECISIVE_TRIALS: say so rather than hide it.
    stoppedBy = `decided on ${rungs[topIndex].trials.length} trials, fewer than the ${MIN_DECISIVE_TRIALS} a verdict should rest on`;
  }
  return finish(spec, rungs, state, look, levelAt(look, budget), stoppedBy, clock() - started);
}

function finish<T>(
  spec: LadderSpec<T>,
  rungs: Rung<T>[],
  state: { verdict: Verdict; rule: DecidingRule; rows: QuantityVerdict[]; trend: Trend | null },
  look: number,
  lv: Level,
  stoppedBy: string,
  seconds: number,
): Decision {
  const [first, second] = spec.quantities;
  const ladder: RungReport[] = rungs.map((r) => {
    const quantities: Record<string, Interval> = {};
    for (const q of spec.quantities) quantities[q] = lookInterval(r.trials.map((t) => spec.value(t, q)), lv.look, lv.alpha);
    return {
      n: r.n,
      trials: r.trials.length,
      relGap: quantities[first],
      relGapTrain: quantities[second ?? first],
      tolerance: spec.rule === 'within' ? spec.tolerance(r.n, first, r.trials) : 0,
      quantities,
    };
  });
  const top = rungs[rungs.length - 1];
  const reasons: string[] = [];
  if (spec.rule === 'within') {
    const parts = state.rows.map((row) => {
      // χ²/dof above 4 (p < 5% with one degree of freedom): say the n^−γ model fits poorly.
      const misfit = row.limit && row.limit.dof > 0 && row.limit.chi2 / row.limit.dof > 4 ? ` (rungs scatter about the fit: χ²/dof = ${(row.limit.chi2 / row.limit.dof).toFixed(1)})` : '';
      const lim = row.limit ? `limit ${formatInterval(row.limit)}${misfit}` : 'no limit fit';
      return `${row.quantity} gap ${formatInterval(row.largest)}, ${lim} → ${row.verdict}${row.rule === 'none' ? '' : ` (${row.rule})`}`;
    });
    reasons.push(`n = ${top.n}, ${top.trials.length} trials: ${parts.join('; ')}; tolerance ±${pct(state.rows[0]?.tolerance ?? NaN)}`);
  } else if (state.trend) {
    reasons.push(`slope of ${first} in log n: ${state.trend.slope.toFixed(4)} [${state.trend.lo.toFixed(4)}, ${state.trend.hi.toFixed(4)}] → ${state.verdict}`);
  } else reasons.push('no trend: fewer than two rungs with a spread');
  for (const r of [...rungs].reverse()) {
    const extra = spec.describeRung?.(r.n, r.trials) ?? [];
    if (extra.length > 0) reasons.push(`n = ${r.n}, ${r.trials.length} trials: ${extra.join('; ')}`);
  }
  const failed = top.trials.map((t) => spec.failure?.(t)).filter((f): f is string => f !== undefined);
  if (failed.length > 0) reasons.push(`${failed.length} of ${top.trials.length} trials at n = ${top.n} failed numerically: ${failed[0]}`);
  const trials = rungs.reduce((a, r) => a + r.trials.length, 0);
  reasons.push(
    `${state.verdict === 'inconclusive' ? 'undecided' : `decided by the ${state.rule} rule`} after ${look} look${look === 1 ? '' : 's'} ${lv.alpha === ALPHA ? '(each interval at level 1 − 0.05/(j(j+1)), valid under optional stopping)' : '(plain 95% intervals at every look: not valid under optional stopping)'}, ${trials} trials (${rungs.map((r) => `${r.trials.length} at n = ${r.n}`).join(', ')}), ${seconds.toFixed(1)} s${state.verdict === 'inconclusive' ? `: ${stoppedBy}` : ''}`,
  );
  const trend = state.trend ?? fitTrend(ladder.map((r) => ({ n: r.n, mean: r.relGap.mean, se: r.relGap.se, trials: r.trials })), lv.look, lv.alpha);
  const limit = state.rows[0]?.limit ?? null;
  return {
    verdict: state.verdict,
    rule: state.rule,
    reasons,
    ladder,
    trend,
    limit,
    tolerance: spec.describeTolerance,
    spent: { seconds, trials, looks: look },
  };
}
