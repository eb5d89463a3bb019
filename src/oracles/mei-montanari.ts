// Mei & Montanari (2022, "The generalization error of random features regression: precise
// asymptotics and the double descent curve"): the limiting test risk of random-features ridge
// regression on isotropic inputs, with no feature learning (β = 0, η = 0). It owes nothing to
// the simulator: only the activation's three Gaussian moments enter, and those come from the
// project's Hermite quadrature (src/hermite), which has its own exact checks.
//
// Their setting (N features, n samples, d dimension = our k, m, n):
//   features z_a = σ(⟨θ_a, x⟩/√d), ‖θ_a‖ = √d (so each preactivation is ≈ N(0, 1));
//   â = argmin (1/m) Σ_j (y_j − aᵀz(x_j))² + (k λ_MM / n)‖a‖²;
//   y = β0 + ⟨β1, x⟩ + f_NL(x) + ε, ‖β1‖ = F1, E f_NL² = F*², Var ε = τ²;
//   risk R = E_x[(f(x) − âᵀz(x))²] (excess: no noise term, no factor ½).
// With μ0 = Eσ(ζ), μ1 = E[ζσ(ζ)], μ*² = Eσ² − μ0² − μ1², ζ̄ = μ1/μ*, λ̄ = λ_MM/μ*²,
// ψ1 = k/n, ψ2 = m/n, s = √(ψ1ψ2λ̄), the limit is R = F1²·E1/E0 + (τ² + F*²)·E2/E0 + F*², with
// E0, E1, E2 polynomials in χ = −a1a2 and (a1, a2) the fixed point of docs/model.md §9 (their ν1, ν2 at
// the imaginary point i·s are i·a1, i·a2).
//
// The project's conventions differ (docs/model.md §3, derived in docs/oracles.md): λ_MM = n·λ and
// gen = ½(R + τ²). The constant β0 is learned for free through the mean μ0 of the features when
// μ0 ≠ 0; with μ0 = 0 (tanh, erf) it cannot be, so the formula needs a centred target there.
import { hermiteCoefficients } from '../math/hermite/index.ts';
import type { Activation } from '../math/activations.ts';
import { bracketedRoot, dampedFixedPoint, nonNegative, positive, requireNumber, type SolverStatus } from './fixed-point.ts';
import { ConfigError } from '../data/config.ts';

/** The Gaussian moments of σ at preactivation scale b (b = 1 in Mei–Montanari's normalisation). */
export interface ActivationMoments {
  /** μ0 = E σ(bζ). */
  mu0: number;
  /** μ1: the coefficient of the preactivation u = bζ in σ's L² projection, E[σ(bζ)·bζ]/b² (= E[ζσ(ζ)] at b = 1). */
  mu1: number;
  /** μ* = √(E σ(bζ)² − μ0² − b²μ1²): the nonlinear remainder's standard deviation. */
  muStar: number;
}

/** μ0, μ1, μ* from the Hermite coefficients h_0, h_1 and E σ² (h_1 = E[σ(bζ)ζ] = b·μ1). */
export function activationMoments(act: Activation, b = 1): ActivationMoments {
  const { h, secondMoment } = hermiteCoefficients(act, b, 1);
  const rest = secondMoment - h[0] * h[0] - h[1] * h[1];
  // Round-off of the quadrature is ~1e-14·Eσ²; a linear σ has μ* = 0 exactly.
  return { mu0: h[0], mu1: h[1] / b, muStar: Math.sqrt(Math.max(0, rest)) };
}

export interface MeiMontanariInput {
  /** ψ1 = k/n (features per dimension). */
  psi1: number;
  /** ψ2 = m/n (samples per dimension). */
  psi2: number;
  /** λ_MM, the penalty in (1/m)Σ(y − aᵀz)² + (kλ_MM/n)‖a‖². */
  lambdaMM: number;
  moments: ActivationMoments;
  /** ‖β1‖: the linear part of the target. */
  f1: number;
  /** √(E f_NL²): the nonlinear part (learnable by no linear-in-x predictor at this scale). */
  fStar: number;
  /** Noise standard deviation τ. */
  tau: number;
}

export interface MeiMontanariResult {
  /** Limiting excess risk R (Mei–Montanari's convention: no ½, no noise). */
  risk: number;
  /** B = E1/E0 and V = E2/E0: R = F1²B + (τ² + F*²)V + F*². */
  bias: number;
  variance: number;
  zeta: number;
  lambdaBar: number;
  a1: number;
  a2: number;
  chi: number;
  status: SolverStatus;
  iterations: number;
  method: 'damped' | 'bracketed';
}

export function validateMeiMontanari(input: MeiMontanariInput): void {
  requireNumber('psi1', input.psi1, 'ψ1 = k/n, a number > 0', positive);
  requireNumber('psi2', input.psi2, 'ψ2 = m/n, a number > 0', positive);
  requireNumber('lambda-mm', input.lambdaMM, 'λ_MM, a number > 0 (the ridgeless limit is λ → 0⁺)', positive);
  requireNumber('f1', input.f1, 'a finite number', () => true);
  requireNumber('fstar', input.fStar, 'a finite number', () => true);
  requireNumber('tau', input.tau, 'a noise standard deviation ≥ 0', nonNegative);
  const { mu1, muStar } = input.moments;
  if (!(muStar > 1e-12 && Number.isFinite(muStar))) {
    throw new ConfigError('act', `μ* = ${muStar}`, 'an activation with a nonlinear part, μ* > 0 (a linear σ makes ζ̄ = μ1/μ* infinite)');
  }
  if (!Number.isFinite(mu1)) throw new ConfigError('act', `μ1 = ${mu1}`, 'finite Gaussian moments');
}

/** a2 given a1 (or a1 given a2, swapping ψ's): the positive root of the quadratic that
 * a2 = ψ2/(s + a1 + ζ̄²a1/(1 + ζ̄²a1a2)) becomes once multiplied out:
 * (s+a1)ζ̄²a1·a2² + [(s+a1) + ζ̄²a1 − ψ2ζ̄²a1]·a2 − ψ2 = 0. The product of its roots is
 * negative, so exactly one is positive; 2C/(B + √(B² + 4AC)) computes it without cancellation. */
function partner(psi: number, other: number, s: number, z2: number): number {
  const A = (s + other) * z2 * other;
  const B = s + other + z2 * other - psi * z2 * other;
  return (2 * psi) / (B + Math.sqrt(B * B + 4 * A * psi));
}

export interface MeiMontanariFixedPoint {
  a1: number;
  a2: number;
  status: SolverStatus;
  iterations: number;
  /** 'damped' (docs/model.md §9's iteration) or 'bracketed' (the one-dimensional fallback). */
  method: 'damped' | 'bracketed';
}

/**
 * The fixed point (a1, a2) of docs/model.md §9 at s = √(ψ1ψ2λ̄), ζ̄² = z2. First the published damped iteration
 * from a_i = ψ_i/(s + 1). It slows down badly when λ → 0 with ψ1 ≠ ψ2: there one a_i grows like
 * |ψ1 − ψ2|/s while the other shrinks like s (their product χ stays finite), and the iteration
 * crawls across that scale gap. The fallback eliminates a2 exactly (`partner`) and bisects, in
 * log space, h(a1) = A1(A2(a1)) − a1 on (0, ψ1/s]: a1 ≤ ψ1/s because every denominator is ≥ s,
 * h > 0 near 0 and h(ψ1/s) < 0, so a root is bracketed whatever the scales.
 */
export function meiMontanariFixedPoint(psi1: number, psi2: number, s: number, z2: number): MeiMontanariFixedPoint {
  const map = (a: Float64Array): Float64Array => {
    const [a1, a2] = a;
    const shared = 1 + z2 * a1 * a2;
    return Float64Array.of(psi1 / (s + a2 + (z2 * a2) / shared), psi2 / (s + a1 + (z2 * a1) / shared));
  };
  const damped = dampedFixedPoint(map, [psi1 / (s + 1), psi2 / (s + 1)], { damping: 0.5, tolerance: 1e-13, maxIterations: 5000 });
  if (damped.status === 'converged') {
    return { a1: damped.value[0], a2: damped.value[1], status: 'converged', iterations: damped.iterations, method: 'damped' };
  }
  const b = meiMontanariBracketed(psi1, psi2, s, z2);
  return { ...b, iterations: damped.iterations + b.iterations };
}

/** The fallback alone: a2 eliminated exactly, a1 by log-space bisection on (0, ψ1/s]. */
export function meiMontanariBracketed(psi1: number, psi2: number, s: number, z2: number): MeiMontanariFixedPoint {
  const hi = psi1 / s;
  const lo = hi * 1e-300 > 0 ? hi * 1e-300 : Number.MIN_VALUE;
  const root = bracketedRoot((a1) => partner(psi1, partner(psi2, a1, s, z2), s, z2) - a1, lo, hi, { tolerance: 1e-15 });
  const a1 = root.value;
  return { a1, a2: partner(psi2, a1, s, z2), status: root.status, iterations: root.iterations, method: 'bracketed' };
}

export function meiMontanariRisk(input: MeiMontanariInput): MeiMontanariResult {
  validateMeiMontanari(input);
  const { psi1, psi2, lambdaMM, moments, f1, fStar, tau } = input;
  const zeta = moments.mu1 / moments.muStar;
  const lambdaBar = lambdaMM / moments.muStar ** 2;
  const s = Math.sqrt(psi1 * psi2 * lambdaBar);
  const z2 = zeta * zeta;
  const fp = meiMontanariFixedPoint(psi1, psi2, s, z2);
  const { a1, a2 } = fp;
  const chi = -a1 * a2;
  const p = psi1 * psi2;
  const c2 = chi * chi;
  const c3 = c2 * chi;
  const c4 = c3 * chi;
  const c5 = c4 * chi;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const e0 =
    -c5 * z6 + 3 * c4 * z4 + (p - psi2 - psi1 + 1) * c3 * z6 - 2 * c3 * z4 - 3 * c3 * z2 + (psi1 + psi2 - 3 * p + 1) * c2 * z4 + 2 * c2 * z2 + c2 + 3 * p * chi * z2 - p;
  const e1 = psi2 * c3 * z4 - psi2 * c2 * z2 + p * chi * z2 - p;
  const e2 = c5 * z6 - 3 * c4 * z4 + (psi1 - 1) * c3 * z6 + 2 * c3 * z4 + 3 * c3 * z2 + (-psi1 - 1) * c2 * z4 - 2 * c2 * z2 - c2;
  const bias = e1 / e0;
  const variance = e2 / e0;
  const risk = f1 * f1 * bias + (tau * tau + fStar * fStar) * variance + fStar * fStar;
  return { risk, bias, variance, zeta, lambdaBar, a1, a2, chi, status: fp.status, iterations: fp.iterations, method: fp.method };
}

// ---------------------------------------------------------------------------------------------
// The map between the project's conventions and Mei–Montanari's (docs/oracles.md §1).
//
// Project (docs/model.md §3): ŷ = (1/√k)wᵀσ(F̂x), objective (1/(2m))‖y − Φᵀw‖² + (λ/2)‖w‖², F_ij ~ N(0, 1/tr)
// so rows have norm ≈ √(n/tr) = 1 on isotropic data (rank 0: tr = n), hence σ(f_iᵀx) is their
// z_i. With a = w/√k the prediction is aᵀz and the objective is
//   (1/(2m))Σ(y − aᵀz)² + (λk/2)‖a‖² = ½·[(1/m)Σ(y − aᵀz)² + λk‖a‖²],
// which has the same minimiser as theirs iff λk = kλ_MM/n, i.e. λ_MM = n·λ (the two ½'s cancel).
// The test error: gen = ½·E(y − ŷ)² = ½·(R + τ²), the noise being independent of x.

/** λ_MM = n·λ. */
export function lambdaMMFromProject(lambda: number, n: number): number {
  return n * lambda;
}

/** λ = λ_MM/n. */
export function projectLambdaFromMM(lambdaMM: number, n: number): number {
  return lambdaMM / n;
}

/** gen = ½(R + τ²): the factor ½ of docs/model.md §3 and the noise, which their excess risk leaves out. */
export function projectGenFromRisk(risk: number, tau: number): number {
  return 0.5 * (risk + tau * tau);
}

/** R = 2·gen − τ². */
export function riskFromProjectGen(gen: number, tau: number): number {
  return 2 * gen - tau * tau;
}
