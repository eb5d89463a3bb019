// Conditional Gaussian moments of an activation (docs/model.md §5). With ζ ~ N(0,1), scale b ≥ 0, shift s:
//   ν = E σ(bζ+s),  Ψ = E σ'(bζ+s) (= E[ζσ(bζ+s)]/b by Stein),  M2 = E σ(bζ+s)²,
//   Φ = M2 − ν² − b²Ψ² = E[(σ(bζ+s) − ν − bΨζ)²] ≥ 0.
//
// Two paths:
// - `gaussianMoments` (here): one (b, s) pair, accurate (closed forms or kink-aware quadrature), slow.
// - `conditionalMoments` (./moment-tables.ts): every (sample, neuron) entry of a shift matrix;
//   this runs millions of times per trial, so tanh/sigmoid/erf read a precomputed table instead
//   of integrating: ReLU and linear use closed forms.
//
// Table design. Write θ = atan b ∈ [0, π/2) and t = s/√(1+b²). In (θ, t) the moments are smooth
// up to and including both ends: b → 0 gives σ(t), b → ∞ the step-function limit in t, and the
// large-b corrections run in powers of 1/b = cot θ (analytic at θ = π/2; E σ² has a genuine 1/b
// term, which is why q = b²/(1+b²) — where 1/b = √((1−q)/q) — is NOT a good coordinate). The
// tabulated quantities are ν, Ψ·√(1+b²) and Φ/q² with q = sin²θ (Φ ≈ b⁴σ''(s)²/2 for small b, so
// dividing keeps Φ's relative accuracy for narrow bulks). In t the table is piecewise polynomial
// on unit intervals of [−T, T]; beyond ±T every moment is within 1e-12 of its limit. In θ it is
// piecewise Chebyshev. A neuron has ONE b, so the θ-interpolation is done once per neuron and
// t-interval (a linear combination of coefficient arrays, on first use), leaving per entry one
// Horner evaluation in t.
// Sigmoid needs no table of its own: sigmoid(x) = (1 + tanh(x/2))/2 maps its moments exactly onto
// tanh's at (b/2, s/2).
import erf from '@stdlib/math-base-special-erf';
import normal from '@stdlib/stats-base-dists-normal';
import { gaussianExpectation } from './hermite/quadrature.ts';
import type { Matrix } from '../linalg/matrix.ts';
import type { Activation } from './activations.ts';

export interface GaussianMoments {
  /** E σ(bζ+s) */
  readonly nu: number;
  /** E σ'(bζ+s) */
  readonly psi: number;
  /** E σ(bζ+s)² */
  readonly m2: number;
  /** M2 − ν² − b²Ψ² (≥ 0) */
  readonly phi: number;
}

export interface MomentMatrices {
  readonly nu: Matrix;
  readonly psi: Matrix;
  readonly phi: Matrix;
}

const SQRT_PI = Math.sqrt(Math.PI);
export const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export function checkScale(b: number): void {
  if (!(b >= 0) || !Number.isFinite(b)) throw new RangeError(`scale b must be finite and ≥ 0, got ${b}`);
}

// ---------------------------------------------------------------------------------------------
// Accurate scalar path.

/**
 * Panel edges (in ζ) for E f(bζ+s): the activation's kinks, and for b > 1 a geometric grading
 * around the transition ζ₀ = −s/b. tanh(bζ+s) has poles at distance π/(2b) from the real ζ-axis,
 * so for large b unit Gauss–Legendre panels are inexact; panels of width ∝ 1/b doubling away from
 * ζ₀ keep each panel's distance to the poles comparable to its width (exponential convergence).
 */
function breakpoints(act: Activation, b: number, s: number): number[] {
  const pts = act.kinks.map((k) => (k - s) / b);
  if (b > 1) {
    const z0 = -s / b;
    pts.push(z0);
    for (let w = 0.5 / b; w < 2; w *= 2) pts.push(z0 - w, z0 + w);
  }
  return pts;
}

function reluMoments(b: number, s: number): GaussianMoments {
  if (b === 0) return { nu: Math.max(s, 0), psi: s > 0 ? 1 : 0, m2: s > 0 ? s * s : 0, phi: 0 };
  const t = s / b;
  const a = Math.abs(t);
  // P = Φ_N(−|t|) is the small tail, computed by erfc without cancellation.
  const p = normal.cdf(-a, 0, 1);
  const dens = normal.pdf(a, 0, 1);
  const cdfT = t >= 0 ? 1 - p : p;
  const nu = s * cdfT + b * dens;
  const m2 = (s * s + b * b) * cdfT + s * b * dens;
  // Φ/b² is even in t; written with the small tail P its terms cancel only to O(φ(t)/|t|³),
  // which keeps Φ accurate in absolute terms even where it is exponentially small.
  const phi = b * b * ((a * a + 1) * p * (1 - p) - a * dens * (1 - 2 * p) - dens * dens);
  return { nu, psi: cdfT, m2, phi: Math.max(phi, 0) };
}

/** Limits of the bounded activations at ∓∞. */
const STEP_LIMITS: Partial<Record<string, readonly [number, number]>> = {
  tanh: [-1, 1],
  sigmoid: [0, 1],
  erf: [-1, 1],
};

/**
 * Beyond this scale a bounded σ is seen as its step L + (U−L)·1[x > 0]: the corrections are
 * O(1/b) (M2 gains φ(s/b)/b·∫(σ² − step²) dx, |∫| ≤ 2) — below 1e-9 — while quadrature would have
 * to resolve a transition of width 1/b.
 */
const HUGE_SCALE = 1e9;

function stepMoments(lower: number, upper: number, b: number, s: number): GaussianMoments {
  const t = s / b;
  const p = normal.cdf(t, 0, 1);
  const jump = upper - lower;
  const dens = normal.pdf(t, 0, 1);
  const nu = lower + jump * p;
  // E step' is the jump times the density of bζ+s at 0; Φ = Var(step) − (jump·φ(t))².
  const psi = (jump * dens) / b;
  const phi = Math.max(jump * jump * (p * (1 - p) - dens * dens), 0);
  return { nu, psi, m2: phi + nu * nu + (jump * dens) ** 2, phi };
}

/**
 * The moments of σ at one (b, s): closed forms for ReLU, linear (and erf's ν, Ψ); otherwise
 * quadrature — tens of µs per call. Φ is integrated as E[(σ − ν − bΨζ)²], not as a difference
 * of second moments, so it keeps its relative accuracy when b is small.
 */
export function gaussianMoments(act: Activation, b: number, s: number): GaussianMoments {
  checkScale(b);
  if (!Number.isFinite(s)) throw new RangeError(`shift s must be finite, got ${s}`);
  if (act.name === 'relu') return reluMoments(b, s);
  if (act.name === 'linear') return { nu: s, psi: 1, m2: s * s + b * b, phi: 0 };
  if (b === 0) {
    const v = act.f(s);
    return { nu: v, psi: act.df(s), m2: v * v, phi: 0 };
  }
  const limits = STEP_LIMITS[act.name];
  if (limits && b > HUGE_SCALE) return stepMoments(limits[0], limits[1], b, s);
  const f = act.f;
  const bp = breakpoints(act, b, s);
  let nu: number;
  let psi: number;
  if (act.name === 'erf') {
    // E erf(X) = erf(s/√(1+2b²)) for X ~ N(s, b²); differentiate in s for Ψ.
    const r = Math.hypot(1, Math.SQRT2 * b);
    nu = erf(s / r);
    psi = (2 / SQRT_PI / r) * Math.exp(-((s / r) ** 2));
  } else {
    nu = gaussianExpectation((z) => f(b * z + s), bp);
    psi = gaussianExpectation((z) => act.df(b * z + s), bp);
  }
  const phi = Math.max(
    gaussianExpectation((z) => {
      const r = f(b * z + s) - nu - b * psi * z;
      return r * r;
    }, bp),
    0,
  );
  return { nu, psi, m2: phi + nu * nu + b * b * psi * psi, phi };
}
