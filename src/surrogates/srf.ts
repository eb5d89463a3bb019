// The spiked random features (sRF) model of Cui et al. (docs/model.md §11): the network after one
// giant step replaced by features σ(c·W₀x + r·κ), κ = vᵀx/√d, ‖v‖ = √d, with (c, r) from the
// mapping of src/oracles/srf.ts. The bulk keeps the initial layer W₀ (rescaled by c); the whole
// effect of the step on the features is one common spike along v. Used on the network's own
// draws by the protocol simulation (src/experiment/cui-protocol.ts): same W₀, same data, and v the
// direction of the step's rank-one part X₀ᵀy₀.
import { linalg } from '../linalg/index.ts';
import { fromData, type Matrix } from '../linalg/matrix.ts';
import type { Activation } from '../math/activations.ts';

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
