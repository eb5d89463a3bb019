// Solvers shared by the oracles. Closed-form asymptotics are fixed points of a few scalar
// equations; an oracle that silently loops forever, or returns the last iterate of a run that
// never settled, would be worse than none. So every solver here stops after a bounded number
// of steps and says how it stopped: 'converged' (the residual met the tolerance),
// 'max-iterations' (budget spent, the value is the best seen) or 'diverged' (a non-finite or
// runaway iterate; the value is the last finite one).
import { ConfigError } from '../data/config.ts';

export type SolverStatus = 'converged' | 'max-iterations' | 'diverged';

export interface SolverResult<T> {
  value: T;
  status: SolverStatus;
  iterations: number;
  /** Final residual: max_i |map(x)_i − x_i|/max(1, |x_i|) (fixed point) or the relative bracket width (root). */
  residual: number;
}

export interface FixedPointOptions {
  /** Weight of the new iterate, x ← (1−d)x + d·map(x), in (0, 1]. */
  damping?: number;
  /** Stop when the relative residual is at most this. */
  tolerance?: number;
  maxIterations?: number;
  /** The damping is halved whenever the residual grows, down to this floor. */
  minDamping?: number;
  /** An iterate beyond this magnitude counts as divergence. */
  bound?: number;
}

function relativeResidual(x: Float64Array, fx: Float64Array): number {
  let r = 0;
  for (let i = 0; i < x.length; i++) r = Math.max(r, Math.abs(fx[i] - x[i]) / Math.max(1, Math.abs(x[i])));
  return r;
}

function finiteWithin(x: Float64Array, bound: number): boolean {
  for (const v of x) if (!Number.isFinite(v) || Math.abs(v) > bound) return false;
  return true;
}

/**
 * Damped iteration x ← (1−d)x + d·map(x) from `start`. The damping halves each time the
 * residual grows (an oscillating iteration is tamed rather than abandoned). Never runs more
 * than `maxIterations` maps.
 */
export function dampedFixedPoint(
  map: (x: Float64Array) => Float64Array,
  start: ArrayLike<number>,
  opts: FixedPointOptions = {},
): SolverResult<Float64Array> {
  const { damping = 0.5, tolerance = 1e-12, maxIterations = 100_000, minDamping = 1e-3, bound = 1e200 } = opts;
  if (!(damping > 0 && damping <= 1)) throw new RangeError(`damping must be in (0, 1], got ${damping}`);
  let x = Float64Array.from(start);
  if (!finiteWithin(x, bound)) return { value: x, status: 'diverged', iterations: 0, residual: Infinity };
  let d = damping;
  let previous = Infinity;
  let previousStep: Float64Array | null = null;
  for (let it = 1; it <= maxIterations; it++) {
    const fx = map(x);
    if (!finiteWithin(fx, bound)) return { value: x, status: 'diverged', iterations: it, residual: Infinity };
    const residual = relativeResidual(x, fx);
    if (residual <= tolerance) return { value: fx, status: 'converged', iterations: it, residual };
    // Halve the damping when the residual grows, and when the step reverses direction without
    // halving the residual: an oscillating mode (Jacobian eigenvalue near −1/d + 1) that would
    // otherwise crawl for thousands of steps or stall on a rounding-level 2-cycle.
    const step = fx.map((v, i) => v - x[i]);
    let turn = 0;
    if (previousStep) for (let i = 0; i < step.length; i++) turn += step[i] * previousStep[i];
    if (residual > previous || (turn < 0 && residual > 0.5 * previous)) d = Math.max(minDamping, d / 2);
    // …and let it grow back while steps keep their direction and the residual falls: a halving
    // forced by an early transient must not leave a slowly contracting map crawling at d = 1e-3.
    else if (turn >= 0 && residual < previous) d = Math.min(1, 1.25 * d);
    previous = residual;
    previousStep = step;
    const next = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) next[i] = (1 - d) * x[i] + d * fx[i];
    x = next;
  }
  return { value: x, status: 'max-iterations', iterations: maxIterations, residual: relativeResidual(x, map(x)) };
}

/**
 * A root of a continuous f on [lo, hi] with f(lo) > 0 > f(hi), by bisection in log space (both
 * ends positive): each step halves the bracket's log-ratio, so it reaches 1e-15 relative in a
 * few hundred steps whatever the scale (1e-12 or 1e12). For a strictly decreasing f (every use
 * here proves it beside the call) the root is unique.
 */
export function bracketedRoot(f: (x: number) => number, lo: number, hi: number, opts: { tolerance?: number; maxIterations?: number } = {}): SolverResult<number> {
  const { tolerance = 1e-15, maxIterations = 400 } = opts;
  if (!(lo > 0 && hi >= lo && Number.isFinite(hi))) throw new RangeError(`bracket [${lo}, ${hi}] must be positive and finite`);
  const flo = f(lo);
  const fhi = f(hi);
  if (!Number.isFinite(flo) || !Number.isFinite(fhi)) return { value: NaN, status: 'diverged', iterations: 0, residual: Infinity };
  if (flo <= 0) return { value: lo, status: flo === 0 ? 'converged' : 'diverged', iterations: 0, residual: flo === 0 ? 0 : Infinity };
  if (fhi >= 0) return { value: hi, status: fhi === 0 ? 'converged' : 'diverged', iterations: 0, residual: fhi === 0 ? 0 : Infinity };
  let a = lo;
  let b = hi;
  for (let it = 1; it <= maxIterations; it++) {
    const mid = Math.sqrt(a * b);
    const fm = f(mid);
    if (!Number.isFinite(fm)) return { value: mid, status: 'diverged', iterations: it, residual: Infinity };
    if (fm > 0) a = mid;
    else b = mid;
    const width = (b - a) / b;
    if (width <= tolerance || fm === 0) return { value: fm === 0 ? mid : Math.sqrt(a * b), status: 'converged', iterations: it, residual: width };
  }
  return { value: Math.sqrt(a * b), status: 'max-iterations', iterations: maxIterations, residual: (b - a) / b };
}

/** Domain checks for oracle inputs: a ConfigError names the input, its value and the allowed range (CLI exit 2). */
export function requireNumber(name: string, value: number, allowed: string, ok: (v: number) => boolean): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && ok(value))) throw new ConfigError(name, value, allowed);
}

export const positive = (v: number): boolean => v > 0;
export const nonNegative = (v: number): boolean => v >= 0;
