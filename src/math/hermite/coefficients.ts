// Hermite coefficients of an activation at scale b (docs/model.md §4):
//   h_j = E[σ(bζ) He_j(ζ)],   E σ(bζ)²,   h*_l = √(E σ(bζ)² − Σ_{j<l} h_j²/j!).
// Index convention: the paper's l counts polynomial terms; the project names surrogates by
// degree D = l − 1, so "hermite:3" keeps j = 0..3 and adds the noise h*_4 z.
import type { Activation } from '../activations.ts';
import { linalg } from '../../linalg/index.ts';
import { fromData } from '../../linalg/matrix.ts';
import { hermite } from './polynomials.ts';
import { gaussianExpectation, gaussianHermiteProjections, gaussianRule } from './quadrature.ts';

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export interface HermiteCoefficients {
  /** h_j = E[σ(bζ)He_j(ζ)] for j = 0..maxDegree. */
  h: Float64Array;
  /** E σ(bζ)². */
  secondMoment: number;
}

/** (2p − 3)!! with (−1)!! = 1. */
function oddDoubleFactorial(p: number): number {
  let r = 1;
  for (let i = 2 * p - 3; i > 1; i -= 2) r *= i;
  return r;
}

/**
 * ReLU in closed form. ReLU(bζ) = b·ReLU(ζ); with ζHe_j = He_{j+1} + jHe_{j−1} and
 * ∫_0^∞ He_n φ = φ(0)He_{n−1}(0) (n ≥ 1), E[ReLU(ζ)He_j(ζ)] = φ(0)(He_j(0) + jHe_{j−2}(0)),
 * which for even j = 2p ≥ 2 is φ(0)(−1)^{p+1}(2p−3)!! and vanishes for odd j ≥ 3.
 */
function reluCoefficients(b: number, maxDegree: number): HermiteCoefficients {
  const h = new Float64Array(maxDegree + 1);
  h[0] = b * INV_SQRT_2PI;
  if (maxDegree >= 1) h[1] = b / 2;
  for (let j = 2; j <= maxDegree; j += 2) {
    const p = j / 2;
    h[j] = b * INV_SQRT_2PI * (p % 2 === 1 ? 1 : -1) * oddDoubleFactorial(p);
  }
  return { h, secondMoment: (b * b) / 2 };
}

function checkScale(b: number): void {
  if (!(b > 0 && Number.isFinite(b))) throw new RangeError(`Hermite scale b must be a positive number, got ${b}`);
}

function checkDegree(maxDegree: number): void {
  if (!(Number.isInteger(maxDegree) && maxDegree >= 0 && maxDegree <= 64)) throw new RangeError(`Hermite degree must be an integer in [0, 64], got ${maxDegree}`);
}

export function hermiteCoefficients(act: Activation, b: number, maxDegree: number): HermiteCoefficients {
  checkScale(b);
  checkDegree(maxDegree);
  if (act.name === 'relu') return reluCoefficients(b, maxDegree);
  if (act.name === 'linear') {
    const h = new Float64Array(maxDegree + 1);
    if (maxDegree >= 1) h[1] = b;
    return { h, secondMoment: b * b };
  }
  // Every projection in one pass over the quadrature nodes (σ evaluated once per node).
  const breaks = act.kinks.map((k) => k / b);
  const h = gaussianHermiteProjections((z) => act.f(b * z), maxDegree, breaks);
  const secondMoment = gaussianExpectation((z) => act.f(b * z) ** 2, breaks);
  return { h, secondMoment };
}

function factorial(j: number): number {
  let r = 1;
  for (let i = 2; i <= j; i++) r *= i;
  return r;
}

/** h*_l = √(E σ² − Σ_{j<l} h_j²/j!): the noise that restores σ's second moment. */
export function hermiteNoiseScale(h: Float64Array, secondMoment: number, l: number): number {
  if (l > h.length) throw new RangeError(`h*_${l} needs ${l} coefficients, got ${h.length}`);
  let explained = 0;
  for (let j = 0; j < l; j++) explained += (h[j] * h[j]) / factorial(j);
  const rest = secondMoment - explained;
  // Round-off of the sum is ~1e-15·Eσ²; anything beyond is a genuine inconsistency.
  if (rest < -1e-10 * Math.max(1, secondMoment)) {
    throw new RangeError(`Hermite coefficients exceed the second moment (E σ² − Σ h_j²/j! = ${rest})`);
  }
  return Math.sqrt(Math.max(rest, 0));
}

/** c_j = h_j/√(j!), so that Σ_{j≤D} (h_j/j!) He_j(x/b) = Σ_j c_j p_j(x/b). */
export function normalisedCoefficients(h: Float64Array): Float64Array {
  return h.map((v, j) => v / Math.sqrt(factorial(j)));
}

/** 0!, 1!, …, L! (exact up to 22!, then rounded: the Mehler series divide by them). */
export function factorialTable(L: number): Float64Array {
  const f = new Float64Array(L + 1);
  f[0] = 1;
  for (let l = 1; l <= L; l++) f[l] = f[l - 1] * l;
  return f;
}

/**
 * hermiteCoefficients at many scales at once (one per neuron, for the exact error's Mehler
 * series): for an activation without kinks every scale shares one quadrature rule, so the table
 * w_q·He_j(ζ_q) is built once and each scale costs one σ per node,
 * instead of a density, a recurrence and a second pass per node; the projections of all scales are
 * one matrix product (the backend's, so bit-identical at any thread count). The same rule as
 * hermiteCoefficients: equal to round-off (a property test holds it).
 */
export function hermiteCoefficientsAtScales(act: Activation, scales: Float64Array, maxDegree: number): HermiteCoefficients[] {
  if (act.kinks.length > 0 || act.name === 'relu' || act.name === 'linear' || scales.length < 2) {
    return Array.from(scales, (b) => hermiteCoefficients(act, b, maxDegree));
  }
  scales.forEach(checkScale);
  checkDegree(maxDegree);
  const { nodes, weights } = gaussianRule();
  const Q = nodes.length;
  const J = maxDegree + 1;
  const table = new Float64Array(Q * J);
  for (let q = 0; q < Q; q++) {
    const z = nodes[q];
    let prev = 1;
    let cur = z;
    table[q * J] = weights[q];
    if (J > 1) table[q * J + 1] = weights[q] * z;
    for (let j = 1; j + 1 < J; j++) {
      const next = z * cur - j * prev;
      prev = cur;
      cur = next;
      table[q * J + j + 1] = weights[q] * cur;
    }
  }
  // σ at every (scale, node), then all projections as one product (k × Q)·(Q × J).
  const k = scales.length;
  const values = new Float64Array(k * Q);
  const second = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const b = scales[i];
    let m2 = 0;
    for (let q = 0; q < Q; q++) {
      const f = act.f(b * nodes[q]);
      values[i * Q + q] = f;
      m2 += weights[q] * f * f;
    }
    second[i] = m2;
  }
  const H = linalg().mulAB(fromData(k, Q, values), fromData(Q, J, table)).data;
  return Array.from(second, (secondMoment, i) => ({ h: H.slice(i * J, (i + 1) * J), secondMoment }));
}
