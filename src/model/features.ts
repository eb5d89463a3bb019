// The seam between the network and its surrogates (docs/model.md §3): every model of a trial shares
// F, w, F̂ and the data; a model is nothing but the feature map fed to the ridge readout
// and to the test predictions. The step always uses the true σ and σ'.
import type { Matrix } from '../linalg/matrix.ts';
import type { ExperimentConfig, Sizes } from '../data/config.ts';
import type { MixtureStructure } from '../data/mixture.ts';
import type { SampleBlock } from '../data/sampler.ts';
import type { Stream } from '../random/stream.ts';
import type { Activation } from '../math/activations.ts';
import { hermiteCoefficientsAtScales } from '../math/hermite/index.ts';
import { activate } from './network.ts';

/** What a surrogate may look at once the first layer has taken its step. */
export interface TrialContext {
  config: ExperimentConfig;
  sizes: Sizes;
  mixture: MixtureStructure;
  act: Activation;
  /** First layer before and after the step. */
  F0: Matrix;
  Fhat: Matrix;
  /** Second layer at initialisation (fixed during the step). */
  w0: Float64Array;
  /** The step update G (k×n). */
  G: Matrix;
  /** The step set (X̃, ỹ). */
  stepSet: SampleBlock;
}

export interface FeatureMap {
  /** Name as given on the command line (e.g. 'nn', 'hermite:3'). */
  readonly name: string;
  /**
   * Features (rows × k) of a block, on the scale of σ(F̂x) (not yet divided by √k).
   * `pre` = X F̂ᵀ is shared by all maps and must not be modified; `noise` is this map's own
   * stream for the current set, consumed in row order. The result is handed over: return new
   * storage (`zeros`), never an array the map keeps or one of its inputs, because the caller
   * scales it in place and may reuse its storage once the block is scored (`recycle`).
   */
  features(block: SampleBlock, pre: Matrix, noise: Stream): Matrix;
  /** Facts worth reporting about the map (degree, scale b, noise level …). */
  readonly info: Record<string, number | string>;
  /** How one feature behaves on a centred Gaussian preactivation, when the map is that simple (for the exact generalisation error). */
  readonly law?: FeatureLaw;
}

/**
 * A feature φ applied to one preactivation u ~ N(0, s²) (plus, for surrogates, independent
 * noise): what the exact generalisation error over Gaussian inputs needs
 * (src/experiment/mixture-population.ts). By Mehler's formula, for jointly Gaussian centred (u, v)
 * of correlation ρ, E[φ(u)φ(v)] = Σ_l a_l(s_u)a_l(s_v)ρ^l/l! with a_l(s) = E[φ(sζ)He_l(ζ)].
 */
export interface FeatureLaw {
  /** For each scale s (one per neuron): a_l(s) for l ≤ L, and the diagonal E[φ(sζ)²] + noise variance. */
  coefficients(scales: Float64Array, L: number): { a: Float64Array; diagonal: number }[];
  /** The expansion ends at this degree (a polynomial feature), or null. */
  degree: number | null;
  /** E[φ(u)φ(v)] in closed form for centred Gaussians of standard deviations su, sv and covariance c, when known. */
  pair?: (su: number, sv: number, c: number) => number;
}

/**
 * Closed forms of E[σ(u)σ(v)]: ReLU's arc-cosine kernel (su·sv/2π)(√(1−ρ²) + ρ(π − arccos ρ)),
 * erf's (2/π)·arcsin(2c/√((1+2su²)(1+2sv²))), and the linear c.
 */
function closedPairKernel(act: Activation): FeatureLaw['pair'] {
  switch (act.name) {
    case 'relu':
      return (su, sv, c) => {
        const rho = Math.max(-1, Math.min(1, c / (su * sv)));
        return ((su * sv) / (2 * Math.PI)) * (Math.sqrt(1 - rho * rho) + rho * (Math.PI - Math.acos(rho)));
      };
    case 'erf':
      return (su, sv, c) => (2 / Math.PI) * Math.asin((2 * c) / Math.sqrt((1 + 2 * su * su) * (1 + 2 * sv * sv)));
    case 'linear':
      return (_su, _sv, c) => c;
    default:
      return undefined;
  }
}

/** The network's feature σ on a Gaussian preactivation. */
export function activationLaw(act: Activation): FeatureLaw {
  return {
    coefficients: (scales, L) => hermiteCoefficientsAtScales(act, scales, L).map(({ h, secondMoment }) => ({ a: h, diagonal: secondMoment })),
    degree: act.name === 'linear' ? 1 : null,
    pair: closedPairKernel(act),
  };
}

/** The network itself: σ(F̂x). */
export function networkFeatureMap(act: Activation): FeatureMap {
  return {
    name: 'nn',
    features: (_block, pre) => activate(pre, act),
    info: { act: act.name },
    law: activationLaw(act),
  };
}
