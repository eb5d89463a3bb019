// Ridge classification of a two-component Gaussian mixture on raw inputs (Loureiro et al. 2021,
// "Learning Gaussian mixtures with generalised linear models: precise asymptotics in
// high dimensions"). Setting, in this module alone: y = ±1 with P(+1) = ρ,
// x = yμ/√n + √Δ·z with ‖μ‖² = n and z ~ N(0, I_n), α = samples/n, and
//   (ŵ, b̂) = argmin Σ_j ½(y_j − wᵀx_j/√n − b)² + (λ/2)‖w‖²   (sum over samples; b unpenalised).
// On a fresh sample the score wᵀx/√n + b is N(y·m + b, q) with overlap m = wᵀμ/n and
// q = Δ‖w‖²/n, so the classification error is ρQ((m+b)/√q) + (1−ρ)Q((m−b)/√q).
//
// `gmRidge` iterates docs/model.md §9's fixed point exactly as written (damped). `gmRidgeClosedForm` is an
// independent derivation of the same limit that uses no replica argument (docs/oracles.md §3):
// split w/√n = a·u + v with u = μ/√n. Given (a, b), the part v orthogonal to u solves an
// isotropic ridge problem whose design (the noise orthogonal to u) is independent of the
// residual r_j = y_j − b − a(y_j + √Δζ_j) (ζ_j = uᵀz_j); by rotation invariance the minimum over v
// of ½‖r − Av‖² + (λ/2)n‖v‖² is (λ/2)·S·‖r‖²/n-scaled, with S = (1/M)Tr(W + λ)⁻¹ the
// Marchenko–Pastur Stieltjes transform of W = ΔGGᵀ/n (G ∈ ℝ^{M×n}, M = αn) at −λ:
//   λαΔ·S² + (λ + Δ − αΔ)·S − 1 = 0 (positive root).
// Minimising αS·E[(y(1−a) − b)² + a²Δ] + a² over (a, b) gives b = (2ρ−1)(1 − a) and
//   a = α(1−s²)/(α(1−s²) + αΔ + 1/S), s = 2ρ − 1;
// then ‖v‖² = α·e·(S + λ dS/dλ) with e = (1−a)²(1−s²) + a²Δ, m = a, q = Δ(a² + ‖v‖²).
// (Comparing with the equations of docs/model.md §9, S = 1/(λ(1+V)): the two agree to round-off, a property test.)
import erfc from '@stdlib/math-base-special-erfc';
import { ConfigError } from '../data/config.ts';
import { dampedFixedPoint, positive, requireNumber, type SolverStatus } from './fixed-point.ts';

export interface GmRidgeInput {
  /** α = samples/n. */
  alpha: number;
  /** λ of Σ½(y − wᵀx/√n − b)² + (λ/2)‖w‖². */
  lambda: number;
  /** ρ = P(y = +1). */
  rho: number;
  /** Δ: the noise variance around ±μ/√n. */
  delta: number;
}

export interface GmRidgeResult {
  /** Classification error of sign(wᵀx/√n + b). */
  error: number;
  /** The fitted bias b. */
  bias: number;
  /** m = wᵀμ/n. */
  overlap: number;
  /** q = Δ‖w‖²/n. */
  q: number;
  iterations: number;
  status: SolverStatus;
}

/** Q(x) = P(ζ > x) = ½erfc(x/√2), accurate in the far tail. */
export function gaussianTail(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

export function classificationError(rho: number, m: number, b: number, q: number): number {
  const sd = Math.sqrt(q);
  return rho * gaussianTail((m + b) / sd) + (1 - rho) * gaussianTail((m - b) / sd);
}

export function validateGmRidge(input: GmRidgeInput): void {
  requireNumber('alpha', input.alpha, 'α = samples/n, a number > 0', positive);
  requireNumber('lambda', input.lambda, 'λ, a number > 0', positive);
  requireNumber('rho', input.rho, 'ρ = P(y = +1), a number in (0, 1) (with one class there is nothing to separate)', (v) => v > 0 && v < 1);
  requireNumber('delta', input.delta, 'Δ, a noise variance > 0', positive);
}

/** docs/model.md §9's fixed point, iterated with damping from m = 0, q = Δ, V = Δ/λ. Unknowns x = (m, q, V). */
export function gmRidge(input: GmRidgeInput): GmRidgeResult {
  validateGmRidge(input);
  const { alpha, lambda, rho, delta } = input;
  const s = 2 * rho - 1;
  const map = (x: Float64Array): Float64Array => {
    const [m, q, V] = x;
    const b = s * (1 - m);
    const vHat = alpha / (1 + V);
    const qHat = (alpha * (rho * (1 - m - b) ** 2 + (1 - rho) * (1 - m + b) ** 2 + q)) / (1 + V) ** 2;
    const mHat = (alpha * (1 - m - s * b)) / (1 + V);
    const den = lambda + vHat * delta;
    return Float64Array.of(mHat / den, (delta * (delta * qHat + mHat * mHat)) / (den * den), delta / den);
  };
  // Tolerance 1e-12: evaluating the map rounds at about 1e-13 relative in parts of the domain
  // (measured 1.02e-13 at α = 1.8, λ = 1.8e-3, ρ = ¼, Δ = ¼, where the iteration stalled just
  // above a 1e-13 tolerance), so the stopping rule sits an order above that floor; the
  // closed form agrees with the result to ~1e-13 there, far inside what the oracles need (1e-6).
  const fp = dampedFixedPoint(map, [0, delta, delta / lambda], { damping: 0.5, tolerance: 1e-12, maxIterations: 100_000 });
  const [m, q] = fp.value;
  const b = s * (1 - m);
  if (fp.status === 'diverged' || !(q > 0)) {
    throw new ConfigError('lambda', lambda, `a setting where the fixed point exists: at α = ${alpha}, ρ = ${rho}, Δ = ${delta} it diverged (change --lambda, --alpha or --delta)`);
  }
  return { error: classificationError(rho, m, b, q), bias: b, overlap: m, q, iterations: fp.iterations, status: fp.status };
}

/** The same limit from the Marchenko–Pastur derivation above, in closed form (no iteration). */
export function gmRidgeClosedForm(input: GmRidgeInput): Omit<GmRidgeResult, 'iterations' | 'status'> {
  validateGmRidge(input);
  const { alpha, lambda, rho, delta } = input;
  const s = 2 * rho - 1;
  // S: positive root of λαΔS² + (λ + Δ − αΔ)S − 1 = 0, in the cancellation-free form 2C/(B + √(B² + 4AC)).
  const A = lambda * alpha * delta;
  const B = lambda + delta - alpha * delta;
  const S = 2 / (B + Math.sqrt(B * B + 4 * A));
  // dS/dλ from differentiating the quadratic: (2λαΔS + λ + Δ − αΔ)S' = −(αΔS² + S).
  const dS = -(alpha * delta * S * S + S) / (2 * lambda * alpha * delta * S + B);
  const a = (alpha * (1 - s * s)) / (alpha * (1 - s * s) + alpha * delta + 1 / S);
  const b = s * (1 - a);
  const e = (1 - a) ** 2 * (1 - s * s) + a * a * delta;
  const v2 = alpha * e * (S + lambda * dS);
  const q = delta * (a * a + v2);
  return { error: classificationError(rho, a, b, q), bias: b, overlap: a, q };
}
