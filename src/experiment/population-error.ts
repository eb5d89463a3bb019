// The generalisation error of a trained network as an exact expectation over Gaussian inputs,
// instead of a mean over a finite test set. A test set of 5m samples measures ½·E(y − ŷ)² with a
// relative standard error of several percent (the squared residual of a He₂ target has a heavy
// tail); comparing with a closed-form oracle to ~1% would take a hundred trials. Given the
// trained (F̂, ŵ), the expectation itself is a sum of two-point Gaussian integrals:
//   2·gen = E y² − (2/√k) Σ_i ŵ_i E[y σ(u_i)] + (1/k) Σ_ij ŵ_iŵ_j E[σ(u_i)σ(u_j)],   u = F̂x,
// with u jointly Gaussian of covariance G = F̂ΣF̂ᵀ and (y, u_i) a single-index pair. Write
// b_i = √G_ii, ρ_ij = G_ij/(b_ib_j), r_i = (F̂Σξ)_i/(b_i s), s² = ξᵀΣξ. Then
//   E[σ(u_i)σ(u_j)]: ReLU arc-cosine (b_ib_j/2π)(√(1−ρ²) + ρ(π − arccos ρ)); erf
//     (2/π)·arcsin(2G_ij/√((1+2G_ii)(1+2G_jj))); linear G_ij; otherwise Mehler's expansion
//     Σ_l h_l(b_i)h_l(b_j)ρ^l/l! with h_l(b) = E[σ(bζ)He_l(ζ)] from src/hermite, truncated where
//     max|ρ|^{L+1} < 1e-12 (up to L = 64; the tail is at most max|ρ|^{L+1}·Eσ² by Cauchy–Schwarz,
//     Σ_l h_l²/l! = Eσ²);
//   E[y σ(u_i)] = Σ_l g_l h_l(b_i) r_i^l/l! with g_l = E[g(sζ)He_l(ζ)] (the same expansion);
//   E y² = E g(sζ)² + τ².
// This estimates the same quantity as the simulator's test set (a property test holds the two
// within test-sampling error), with only the training draws left to fluctuate.
import type { ExperimentConfig } from '../data/config.ts';
import type { MixtureStructure } from '../data/mixture.ts';
import { factorialTable, hermiteCoefficients } from '../math/hermite/index.ts';
import { type Matrix } from '../linalg/index.ts';
import type { Activation } from '../math/activations.ts';
import { applyCovariance, type GaussianInput, preactivationGram, type SingleIndexTarget, targetHermite, targetMoments } from '../oracles/gaussian-setting.ts';
import { gaussianInputOf, singleIndexTargetOf } from '../oracles/project-map.ts';
import { simulateTrial, type TrialResult } from './trial.ts';

export interface PopulationError {
  /** ½·E(y − ŷ)² over fresh Gaussian inputs (noise included). */
  gen: number;
  /** The largest |ρ_ij| (i ≠ j) or |r_i|: how far the expansions had to reach. */
  maxCorrelation: number;
  /** Truncation degree L of the Hermite expansions. */
  degree: number;
}

const TRUNCATION = 1e-12;
const MAX_DEGREE = 64;


export function populationGen(Fhat: Matrix, w: Float64Array, act: Activation, input: GaussianInput, target: SingleIndexTarget): PopulationError {
  const k = Fhat.rows;
  const G = preactivationGram(Fhat, input);
  const b = Float64Array.from({ length: k }, (_, i) => Math.sqrt(G.data[i * k + i]));
  const sigmaXi = applyCovariance(input, target.direction);
  const s2 = target.direction.reduce((acc, v, t) => acc + v * sigmaXi[t], 0);
  const s = Math.sqrt(s2);
  const fxi = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let acc = 0;
    const row = Fhat.data.subarray(i * Fhat.cols, (i + 1) * Fhat.cols);
    for (let t = 0; t < row.length; t++) acc += row[t] * sigmaXi[t];
    fxi[i] = acc;
  }
  // Only the expansions need small correlations: r_i always, ρ_ij for σ without a closed form.
  const closedKernel = act.name === 'relu' || act.name === 'erf' || act.name === 'linear';
  let maxRho = 0;
  for (let i = 0; i < k; i++) {
    maxRho = Math.max(maxRho, Math.abs(fxi[i] / (b[i] * s)));
    if (!closedKernel) for (let j = i + 1; j < k; j++) maxRho = Math.max(maxRho, Math.abs(G.data[i * k + j] / (b[i] * b[j])));
  }
  const L = Math.min(MAX_DEGREE, Math.max(4, Math.ceil(Math.log(TRUNCATION) / Math.log(Math.max(maxRho, 1e-3))) - 1));
  // Truncation error ≤ max|ρ|^{L+1}·(E y² or Eσ²); beyond 1e-8 relative it would start to matter.
  if (maxRho ** (L + 1) > 1e-8) throw new RangeError(`correlations up to ${maxRho.toFixed(3)} need more than ${MAX_DEGREE} Hermite terms`);
  const fact = factorialTable(L);
  const coef = Array.from({ length: k }, (_, i) => hermiteCoefficients(act, b[i], L));
  const gl = targetHermite(target, s, L);

  // Cross term E[y σ(u_i)] = Σ_l g_l h_l(b_i) r_i^l / l!.
  let cross = 0;
  for (let i = 0; i < k; i++) {
    const r = fxi[i] / (b[i] * s);
    let sum = 0;
    let rl = 1;
    for (let l = 0; l <= L; l++) {
      sum += (gl[l] * coef[i].h[l] * rl) / fact[l];
      rl *= r;
    }
    cross += w[i] * sum;
  }

  // Quadratic term ŵᵀKŵ.
  const kernel = (i: number, j: number): number => {
    const gij = G.data[i * k + j];
    if (i === j) return coef[i].secondMoment;
    const rho = gij / (b[i] * b[j]);
    switch (act.name) {
      case 'relu':
        return ((b[i] * b[j]) / (2 * Math.PI)) * (Math.sqrt(Math.max(0, 1 - rho * rho)) + rho * (Math.PI - Math.acos(rho)));
      case 'erf':
        return (2 / Math.PI) * Math.asin((2 * gij) / Math.sqrt((1 + 2 * b[i] * b[i]) * (1 + 2 * b[j] * b[j])));
      case 'linear':
        return gij;
      default: {
        let sum = 0;
        let rl = 1;
        const hi = coef[i].h;
        const hj = coef[j].h;
        for (let l = 0; l <= L; l++) {
          sum += (hi[l] * hj[l] * rl) / fact[l];
          rl *= rho;
        }
        return sum;
      }
    }
  };
  let quad = 0;
  for (let i = 0; i < k; i++) {
    quad += w[i] * w[i] * kernel(i, i);
    for (let j = i + 1; j < k; j++) quad += 2 * w[i] * w[j] * kernel(i, j);
  }
  // E g² directly (a Hermite series would converge slowly for a kinked g such as ReLU).
  const eg2 = targetMoments(target, s).second;
  const gen = 0.5 * (eg2 + target.tau ** 2 - (2 / Math.sqrt(k)) * cross + quad / k);
  return { gen, maxCorrelation: maxRho, degree: L };
}

/**
 * One trial of the simulator (network only) together with the exact generalisation error of the
 * network it trained: the trial's own stages give F̂, ŵ and the mixture, so both describe the
 * same network. `population` is null when the expansions cannot be truncated (a first layer
 * strongly aligned with the target after a large step): callers then fall back to the test-set
 * estimate.
 */
export function trialWithPopulationGen(config: ExperimentConfig, seed: number): { trial: TrialResult; population: PopulationError | null; Fhat: Matrix; mixture: MixtureStructure } {
  const run = simulateTrial({ config, seed, surrogates: [], degreeCap: null });
  const { mixture } = run.draw;
  const { Fhat } = run.stepped;
  let population: PopulationError | null = null;
  try {
    population = populationGen(Fhat, run.networkFit.w, run.draw.act, gaussianInputOf(mixture), singleIndexTargetOf(config, mixture));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
  }
  return { trial: run.result, population, Fhat, mixture };
}

