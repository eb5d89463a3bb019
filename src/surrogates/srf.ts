// The spiked random features (sRF) model of Cui et al. (docs/model.md §11): the network after one
// giant step replaced by features σ(c·W₀x + r·κ), κ = vᵀx/√d, ‖v‖ = √d, with (c, r) from the
// mapping of src/oracles/srf.ts. The bulk keeps the initial layer W₀ (rescaled by c); the whole
// effect of the step on the features is one common spike along v. Used on the network's own
// draws by the protocol simulation (src/experiment/cui-protocol.ts): same W₀, same data, and v the
// direction of the step's rank-one part X₀ᵀy₀.
import { linalg } from '../linalg/index.ts';
import { fromData, type Matrix, zeros } from '../linalg/matrix.ts';
import type { Activation } from '../math/activations.ts';
import { gaussianMoments } from '../math/gaussian-moments.ts';
import type { FeatureMap, TrialContext } from '../model/features.ts';
import { stepMultiplier, stepSetCorrelation } from '../model/network.ts';
import { defineSurrogate } from './kind.ts';

export interface SrfFeatureParams {
  /** Bulk rescaling (1: the initial layer as is). */
  c: number;
  /** Spike strength (0: no spike, plain random features on cW₀). */
  r: number;
}

/** v rescaled to norm √d (the convention of κ = vᵀx/√d ~ N(0, 1)). */
export function spikeDirection(v: Float64Array): Float64Array {
  let s = 0;
  for (const x of v) s += x * x;
  if (!(s > 0 && Number.isFinite(s))) throw new RangeError('the spike direction is zero or not finite');
  const scale = Math.sqrt(v.length / s);
  return v.map((x) => x * scale);
}

/**
 * Features σ(c·W₀x + r·κ) of the rows of X (rows × d), as a rows × p matrix on the scale of σ
 * (the readout divides by √p). `pre0` = X W₀ᵀ may be passed when already computed.
 */
export function srfFeatures(X: Matrix, W0: Matrix, v: Float64Array, params: SrfFeatureParams, act: Activation, pre0?: Matrix): Matrix {
  const d = X.cols;
  const p = W0.rows;
  const pre = pre0 ?? linalg().mulABt(X, W0);
  const out = new Float64Array(X.rows * p);
  const invSqrtD = 1 / Math.sqrt(d);
  for (let j = 0; j < X.rows; j++) {
    let kappa = 0;
    for (let t = 0; t < d; t++) kappa += X.data[j * d + t] * v[t];
    const shift = params.r * kappa * invSqrtD;
    const base = j * p;
    for (let i = 0; i < p; i++) out[base + i] = act.f(params.c * pre.data[base + i] + shift);
  }
  return fromData(X.rows, p, out);
}

// ---------------------------------------------------------------------------------------------
// The same idea in onestep's mixture trial (`--surrogates srf`): F̂ ≈ c·F₀ + step·u vᵀ with the
// gradient's rank-one part u vᵀ of docs/model.md §7 (u = μ₁w, v = X̃ᵀỹ/(m̃√k), μ₁ = E σ'(bζ) at the
// bulk scale b). The mixture has no closed form for the bulk rescaling, so c is the realised one:
// c² = Σ_i ‖f̂_i − step·u_i v‖² / Σ_i ‖f_i‖² (`srf:c=1` keeps the initial bulk as is;
// `srf:nospike` drops the spike: a random-features baseline on c·F₀). A baseline the conditional
// Gaussian model should beat: it keeps only the step's rank-one part and a scalar of its bulk.

export interface MixtureSrfOptions {
  /** null: the realised bulk rescaling; a number: that c. */
  c: number | null;
  spike: boolean;
}

export const srfSurrogate = defineSurrogate<MixtureSrfOptions>({
  word: 'srf',
  syntax: 'srf [:c=1 | :nospike]',
  parse(rest) {
    if (rest.length === 0) return { c: null, spike: true };
    if (rest.length === 1 && rest[0] === 'c=1') return { c: 1, spike: true };
    if (rest.length === 1 && rest[0] === 'nospike') return { c: null, spike: false };
    return null;
  },
  build: (ctx, name, o) => mixtureSrfFeatureMap(ctx, name, o),
});

export function mixtureSrfFeatureMap(ctx: TrialContext, name: string, o: MixtureSrfOptions): FeatureMap {
  const { F0, Fhat, w0, stepSet, act } = ctx;
  const k = F0.rows;
  const n = F0.cols;
  const step = stepMultiplier(ctx.mixture.eta, ctx.sizes.k, ctx.config.stepScale);
  const mu1 = gaussianMoments(act, ctx.mixture.bulkScale, 0).psi;
  const scale = 1 / (stepSet.X.rows * Math.sqrt(k));
  const v = stepSetCorrelation(stepSet).map((t) => t * scale);
  const u = w0.map((t) => step * mu1 * t);
  let bulk = 0;
  let init = 0;
  for (let i = 0; i < k; i++) {
    for (let t = 0; t < n; t++) {
      bulk += (Fhat.data[i * n + t] - u[i] * v[t]) ** 2;
      init += F0.data[i * n + t] ** 2;
    }
  }
  const c = o.c ?? Math.sqrt(bulk / init);
  const spikeOn = o.spike ? 1 : 0;
  return {
    name,
    info: { c, mu1, spike: spikeOn ? 'on' : 'off' },
    features(block) {
      const pre = linalg().mulABt(block.X, F0);
      const out = zeros(pre.rows, k);
      for (let j = 0; j < pre.rows; j++) {
        let xv = 0;
        for (let t = 0; t < n; t++) xv += block.X.data[j * n + t] * v[t];
        xv *= spikeOn;
        const base = j * k;
        for (let i = 0; i < k; i++) out.data[base + i] = act.f(c * pre.data[base + i] + u[i] * xv);
      }
      return out;
    },
  };
}
