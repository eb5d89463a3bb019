// Cui et al.'s protocol (docs/model.md §11), simulated: isotropic Gaussian inputs, a single-index
// target σ_*(x₁), unit-norm first-layer rows, constant readout a₀ = 𝟙/√p, one giant step
// W₁ = W₀ + η̃·p·Gᵀ on n₀ = α₀d samples, then a sum-loss ridge readout on n = αd samples, scored by
// the test MSE against the noise-free target. It is a separate simulation rather than a setting of
// `onestep trial` (docs/architecture.md): its data, initialisation, loss and metric differ from the
// mixture trial in every stage, while the model's pieces (the gradient, the ridge solve) are shared.
//
// On each trial's draws it fits the network and the sRF model (src/surrogates/srf.ts) in variants:
// the mapping's (c, r), the model without its spike (r = 0) and with a wrong bulk rescaling.
import { type ExperimentConfig, sizesOf, type TargetActivation } from '../data/config.ts';
import { gaussianKernel, linalg } from '../linalg/index.ts';
import { fromData, type Matrix } from '../linalg/matrix.ts';
import { type ActivationName, anyActivation, type Activation } from '../math/activations.ts';
import { activationLaw } from '../model/features.ts';
import { activate, gradientStep, stepFirstLayer, stepMultiplier } from '../model/network.ts';
import { hermiteCoefficients } from '../math/hermite/index.ts';
import { componentError } from './mixture-population.ts';
import { fitRidge, matVec } from '../model/ridge.ts';
import { runInTurn } from '../parallel/pool.ts';
import { rootStream, type Stream } from '../random/stream.ts';
import { type SrfInput, srfEtaToProject, srfLambdaToProject, srfMapping, type SrfMapping } from '../oracles/srf.ts';
import { spikeDirection, srfFeatures, type SrfFeatureParams } from '../surrogates/srf.ts';
import { type Estimate, estimate } from './stats.ts';

/** Their protocol's setting: the oracle's own parameters (SrfInput), and how a trial is scored. */
export interface CuiSetting extends Pick<SrfInput, 'act' | 'target' | 'alpha0' | 'etaTilde' | 'lambda' | 'alpha' | 'd' | 'p'> {
  /** Test points per trial (default 4d; 0: no test set, only with `exact`). */
  testSize?: number;
  /** Score every model by its exact test error over x ~ N(0, I_d) (isotropicExactError) instead of the test set. */
  exact?: boolean;
  /** Fit and score the network too (default true; false: only the sRF variants, for srf-asymptotics: the step is not taken, only its direction v = X₀ᵀy₀ is, and cHat, rHat are NaN). */
  network?: boolean;
}

/** The sRF variants fitted beside the network: name → (c, r) given the mapping. */
export type SrfVariant = (m: SrfMapping) => SrfFeatureParams;

export const SRF_VARIANTS: Record<string, SrfVariant> = {
  srf: (m) => ({ c: m.c, r: m.r }),
  /** Control: the spike removed, the bulk kept. */
  'srf-no-spike': (m) => ({ c: m.c, r: 0 }),
  /** Control: the bulk not rescaled by the step's variance at all, and its excess doubled
   * (c² − 1 → 2(c² − 1)): the wrong-c control, both sides of the mapping. */
  'srf-c1': (m) => ({ c: 1, r: m.r }),
  'srf-c2x': (m) => ({ c: Math.sqrt(2 * m.c * m.c - 1), r: m.r }),
  /** Control: a grossly wrong bulk, 2·c (the plausible errors above are invisible for tanh). */
  'srf-c2c': (m) => ({ c: 2 * m.c, r: m.r }),
};

export interface CuiTrial {
  seed: number;
  /** Test MSE E(σ_*(x₁) − ŷ)² of each model, 'nn' the network: exact when the setting asks for it, else the test-set estimate. */
  errors: Record<string, number>;
  /** The test-set estimates beside the exact errors (a setting with `exact` and a test set). */
  testErrors?: Record<string, number>;
  /** Realised overlap of the step's spike direction X₀ᵀy₀ with e₁ (the mapping's γ in the limit). */
  gammaHat: number;
  /** Realised bulk rescaling: √(mean_i ‖w₀ᵢ + bulk part of Δwᵢ‖²), the mapping's c in the limit. */
  cHat: number;
  /** Realised spike strength: root mean square of Δwᵢᵀv/√d over neurons (the mapping's r). */
  rHat: number;
}

function gaussianMatrix(rows: number, cols: number, s: Stream): Matrix {
  return fromData(rows, cols, s.gaussians(rows * cols));
}

function targetOf(X: Matrix, target: Activation): Float64Array {
  const y = new Float64Array(X.rows);
  for (let j = 0; j < X.rows; j++) y[j] = target.f(X.data[j * X.cols]);
  return y;
}

function mse(y: Float64Array, yhat: Float64Array): number {
  let s = 0;
  for (let j = 0; j < y.length; j++) s += (y[j] - yhat[j]) ** 2;
  return s / y.length;
}

/**
 * Their readout: ŵ = argmin ‖y − Φw/√p‖² + λ‖w‖² for features Φ (rows × p, σ scale). It is
 * 2n times onestep's (1/(2n))‖y − Zw‖² + (λ'/2)‖w‖² with Z = Φ/√p and λ' = λ/n.
 */
export function sumLossRidge(Phi: Matrix, y: Float64Array, lambda: number): Float64Array {
  const scale = 1 / Math.sqrt(Phi.cols);
  const Z = fromData(Phi.rows, Phi.cols, Phi.data.map((x) => x * scale));
  return fitRidge(Z, y, srfLambdaToProject(lambda, Phi.rows)).w;
}

/** Their predictions Φw/√p. */
export function sumLossPredict(Phi: Matrix, w: Float64Array): Float64Array {
  const scale = 1 / Math.sqrt(Phi.cols);
  return matVec(Phi, w).map((v) => v * scale);
}

/**
 * The exact test error E(σ_*(x₁) − σ(Ax)ᵀw/√p)² over x ~ N(0, I_d) of a readout w on features
 * σ(Ax), A any p × d first layer: the preactivations u = Ax are centred Gaussian with covariance
 * AAᵀ and covariance A e₁ (the first column) with the target's argument x₁ ~ N(0, 1), so this is
 * the mixture's exact error for one isotropic component (componentError: Mehler's series, or the
 * law's closed form, for the pairs; the target's Hermite coefficients at scale 1 for the cross
 * terms). The sRF model σ(c·W₀x + r·κ) is A = c·W₀ + r·𝟙vᵀ/√d; the network is A = W₁.
 * Null when a pair series cannot be truncated (neurons correlated beyond ~0.75 without a closed form).
 */
export function isotropicExactError(A: Matrix, w: Float64Array, act: Activation, target: Activation): number | null {
  const p = A.rows;
  const d = A.cols;
  const G = linalg().gramAAt(A);
  const s = Float64Array.from({ length: p }, (_, i) => Math.sqrt(G.data[i * p + i]));
  const r = Float64Array.from({ length: p }, (_, i) => A.data[i * d] / s[i]);
  let cached = hermiteCoefficients(target, 1, 0);
  const gl = (L: number): Float64Array => {
    if (cached.h.length <= L) cached = hermiteCoefficients(target, 1, L);
    return cached.h;
  };
  return componentError(activationLaw(act), w, G, s, r, gl, cached.h[0], cached.secondMoment);
}

/** The sRF model's first layer A = c·W₀ + r·𝟙vᵀ/√d: σ(Ax) = σ(c·W₀x + r·κ). */
export function srfFirstLayer(W0: Matrix, v: Float64Array, params: SrfFeatureParams): Matrix {
  const [p, d] = [W0.rows, W0.cols];
  const A = new Float64Array(p * d);
  const spike = v.map((t) => (params.r * t) / Math.sqrt(d));
  for (let i = 0; i < p; i++) for (let t = 0; t < d; t++) A[i * d + t] = params.c * W0.data[i * d + t] + spike[t];
  return fromData(p, d, A);
}

/**
 * Their giant step W₁ = W₀ + η̃·p·Gᵀ with a₀ = 𝟙/√p: onestep's gradient (§3, f = (1/√k)wᵀσ(Fx)
 * with w = a₀) is their Gᵀ, and onestep's multiplier is η = η̃·p.
 */
export function cuiStep(W0: Matrix, X0: Matrix, y0: Float64Array, act: Activation, etaTilde: number): Matrix {
  const p = W0.rows;
  const a0 = new Float64Array(p).fill(1 / Math.sqrt(p));
  return stepFirstLayer(W0, gradientStep({ F: W0, w: a0 }, X0, y0, act), srfEtaToProject(etaTilde, p));
}

/** One trial of the protocol: the network and the sRF variants on the same draws. */
export function cuiTrial(s: CuiSetting, seed: number, variants: readonly string[] = Object.keys(SRF_VARIANTS)): CuiTrial {
  const act = anyActivation(s.act);
  const target = anyActivation(s.target);
  const d = s.d;
  const p = s.p ?? d;
  const n0 = Math.round(s.alpha0 * d);
  const n = Math.round(s.alpha * d);
  const nTest = s.testSize ?? 4 * d;
  if (nTest === 0 && !s.exact) throw new RangeError('a trial needs a test set or exact scoring');
  // The backend's Gaussian kernel, as a trial of the mixture draws (src/experiment/stages.ts).
  const root = rootStream(seed, gaussianKernel()).child('cui');
  // W₀: Gaussian rows normalised to the unit sphere.
  const W0 = gaussianMatrix(p, d, root.child('W0'));
  for (let i = 0; i < p; i++) {
    let q = 0;
    for (let t = 0; t < d; t++) q += W0.data[i * d + t] ** 2;
    const inv = 1 / Math.sqrt(q);
    for (let t = 0; t < d; t++) W0.data[i * d + t] *= inv;
  }
  const X = gaussianMatrix(n, d, root.child('ridge'));
  const y = targetOf(X, target);
  const Xt = nTest > 0 ? gaussianMatrix(nTest, d, root.child('test')) : null;
  const yt = Xt ? targetOf(Xt, target) : null;
  const map = srfMapping(act, target, s.alpha0, s.etaTilde);
  const la = linalg();

  // The step (the project's gradient with w = a₀ = 𝟙/√p is Cui's Gᵀ; the project's η = η̃·p).
  let W1 = W0;
  let v: Float64Array;
  let gammaHat = 0;
  let cHat = 1;
  let rHat = 0;
  if (n0 > 0 && s.etaTilde > 0) {
    const X0 = gaussianMatrix(n0, d, root.child('step'));
    const y0 = targetOf(X0, target);
    v = spikeDirection(la.mulAtB(X0, fromData(n0, 1, y0)).data);
    gammaHat = v[0] / Math.sqrt(d);
    // The step itself only for the network (the sRF model needs its direction v alone).
    if (s.network !== false) {
      W1 = cuiStep(W0, X0, y0, act, s.etaTilde);
      // Diagnostics of the mapping on this draw: split each row's move into spike and bulk.
      let bulk2 = 0;
      let spike2 = 0;
      for (let i = 0; i < p; i++) {
        let along = 0;
        for (let t = 0; t < d; t++) along += (W1.data[i * d + t] - W0.data[i * d + t]) * v[t];
        along /= d; // Δwᵢ = along·v + rest
        spike2 += (along * Math.sqrt(d)) ** 2;
        for (let t = 0; t < d; t++) bulk2 += (W1.data[i * d + t] - along * v[t]) ** 2;
      }
      cHat = Math.sqrt(bulk2 / p);
      rHat = Math.sqrt(spike2 / p);
    } else {
      cHat = Number.NaN;
      rHat = Number.NaN;
    }
  } else {
    // No step: the sRF model is random features on W₀; any v gives r·κ = 0.
    v = spikeDirection(root.child('v').gaussians(d));
  }

  // Each model: its readout on the training set, scored exactly (its first layer A) and/or on the test set.
  const exact: Record<string, number> = {};
  const tested: Record<string, number> = {};
  const score = (name: string, Phi: Matrix, A: () => Matrix, testFeatures: (Xt: Matrix) => Matrix): void => {
    const w = sumLossRidge(Phi, y, s.lambda);
    if (Xt && yt) tested[name] = mse(yt, sumLossPredict(testFeatures(Xt), w));
    if (s.exact) {
      const e = isotropicExactError(A(), w, act, target);
      if (e === null) throw new Error(`exact error of ${name}: a Mehler series cannot be truncated (neurons too correlated)`);
      exact[name] = e;
    }
  };
  if (s.network !== false) score('nn', activate(la.mulABt(X, W1), act), () => W1, (Xt) => activate(la.mulABt(Xt, W1), act));
  const pre0 = la.mulABt(X, W0);
  for (const name of variants) {
    const params = SRF_VARIANTS[name](map);
    score(name, srfFeatures(X, W0, v, params, act, pre0), () => srfFirstLayer(W0, v, params), (Xt) => srfFeatures(Xt, W0, v, params, act));
  }
  const errors = s.exact ? exact : tested;
  if (s.exact && Xt) return { seed, errors, testErrors: tested, gammaHat, cHat, rHat };
  return { seed, errors, gammaHat, cHat, rHat };
}

export interface CuiSimulation {
  trials: number;
  seeds: string;
  d: number;
  /** Mean ± SE of each model's test error over trials. */
  errors: Record<string, Estimate>;
  /** Paired (same draws) differences model − nn. */
  gapsToNetwork: Record<string, Estimate>;
  gammaHat: Estimate;
  cHat: Estimate;
  rHat: Estimate;
  perTrial: CuiTrial[];
}

/** One trial of the protocol as data, for a worker thread (src/parallel/pool.ts, src/cli/worker.ts). */
export interface CuiTrialTask {
  setting: CuiSetting;
  seed: number;
  variants: readonly string[];
}

/** Runs tasks and returns their results in order; `onResult` hears of each as it lands. */
export type CuiTrialBatch = (tasks: readonly CuiTrialTask[], onResult?: (index: number, result: CuiTrial) => void) => CuiTrial[];

/** One task's trial (in this thread, or in a worker: src/cli/worker.ts). */
export const runCuiTrialTask = (t: CuiTrialTask): CuiTrial => cuiTrial(t.setting, t.seed, t.variants);

/** The tasks in turn, in this thread. */
export const localCuiTrials: CuiTrialBatch = (tasks, onResult) => runInTurn(tasks, runCuiTrialTask, onResult);

/** `trials` independent trials from `seed` on, summarised with standard errors. */
export function simulateCui(s: CuiSetting, trials: number, seed: number, variants: readonly string[] = Object.keys(SRF_VARIANTS), onProgress?: (message: string) => void): CuiSimulation {
  const tasks = Array.from({ length: trials }, (_, t) => ({ setting: s, seed: seed + t, variants }));
  return summariseCui(s, localCuiTrials(tasks, (i) => onProgress?.(`${i + 1}/${trials} trials done`)), seed);
}

/** The summary of trials run from `seed` on (seed, seed + 1, …). */
export function summariseCui(s: CuiSetting, perTrial: CuiTrial[], seed: number): CuiSimulation {
  const trials = perTrial.length;
  const names = Object.keys(perTrial[0].errors);
  const errors = Object.fromEntries(names.map((k) => [k, estimate(perTrial.map((r) => r.errors[k]))]));
  const gapsToNetwork = Object.fromEntries(names.filter((k) => k !== 'nn').map((k) => [k, estimate(perTrial.map((r) => r.errors[k] - r.errors.nn))]));
  return {
    trials,
    seeds: trials === 1 ? `${seed}` : `${seed}–${seed + trials - 1}`,
    d: s.d,
    errors,
    gapsToNetwork,
    gammaHat: estimate(perTrial.map((r) => r.gammaHat)),
    cHat: estimate(perTrial.map((r) => r.cHat)),
    rHat: estimate(perTrial.map((r) => r.rHat)),
    perTrial,
  };
}

// ---------------------------------------------------------------------------------------------
// A configuration of `onestep check` (onestep's conventions, docs/model.md §3) read as their
// protocol: the theorems srf-asymptotics and srf-equivalence take their settings this way, so the
// conversions of docs/model.md §11 are exercised by every check.

/** Their setting for a configuration: d = n, p = k, α = m/n, α₀ = m̃/n, λ = λ_onestep·m, η̃ = η_step/k. */
export function cuiSettingOf(c: ExperimentConfig): CuiSetting {
  const { n, m, k, mStep } = sizesOf(c);
  const etaStep = stepMultiplier(c.eta ?? 0, k, c.stepScale);
  return {
    act: c.act,
    target: c.targetAct,
    alpha0: mStep / n,
    etaTilde: etaStep / k,
    lambda: c.lambda * m,
    alpha: m / n,
    d: n,
    p: k,
  };
}

/** When a configuration is their protocol (reasons: what is missing, or what it is). */
export function cuiApplicability(c: ExperimentConfig): { applies: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (c.rank !== 0) reasons.push('needs isotropic inputs (rank 0)');
  if (c.components !== 1) reasons.push('needs one centred Gaussian (components 1)');
  if (c.meanNorm !== 0) reasons.push('needs centred inputs (mean-norm 0)');
  if (c.task !== 'regression') reasons.push('stated for regression');
  if (c.noise !== 0) reasons.push('stated for a noise-free target (noise 0)');
  if (c.targetLinear !== null) reasons.push('needs a single-index target σ_*(x₁) (no --target-linear)');
  if (c.eta === null) reasons.push('needs an explicit step η (= η̃·k)');
  if (c.act === 'linear') reasons.push('needs a nonlinear σ');
  return { applies: reasons.length === 0, reasons: reasons.length ? reasons : ['isotropic Gaussian inputs, single-index noise-free target, one giant step'] };
}

/** The configuration of their setting (the inverse of cuiSettingOf, p = d·pRatio). */
export function configOfCui(s: { act: ActivationName; target: TargetActivation; alpha0: number; etaTilde: number; lambda: number; alpha: number; d: number }): Partial<ExperimentConfig> {
  const m = s.alpha * s.d;
  return {
    n: s.d,
    mRatio: s.alpha,
    kRatio: 1 / s.alpha,
    stepRatio: s.alpha0 / s.alpha,
    act: s.act,
    targetAct: s.target,
    lambda: srfLambdaToProject(s.lambda, m),
    eta: srfEtaToProject(s.etaTilde, s.d),
    stepScale: 'none',
    rank: 0,
    components: 1,
    rho: [1],
    meanNorm: 0,
    noise: 0,
    task: 'regression',
    targetLinear: null,
  };
}

/**
 * Their setting of a configuration at another dimension d, everything else of theirs held fixed
 * (α, α₀, p/d, η̃ and their λ): onestep's λ and η scale with the sizes (λ_onestep = λ/m, η = η̃·k),
 * so a ladder of n over one configuration would otherwise move their λ and η̃ with n.
 */
export function cuiSettingAt(c: ExperimentConfig, d: number): CuiSetting {
  const s = cuiSettingOf(c);
  return { ...s, d, p: Math.max(1, Math.round(((s.p ?? s.d) / s.d) * d)) };
}
