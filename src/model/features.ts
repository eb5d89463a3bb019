// The seam between the network and its surrogates (docs/model.md §3): every model of a trial shares
// F, w, F̂ and the data; a model is nothing but the feature map fed to the ridge readout
// and to the test predictions. The step always uses the true σ and σ'.
import type { Matrix } from '../linalg/matrix.ts';
import type { ExperimentConfig, Sizes } from '../data/config.ts';
import type { MixtureStructure } from '../data/mixture.ts';
import type { SampleBlock } from '../data/sampler.ts';
import type { Stream } from '../random/stream.ts';
import type { Activation } from '../math/activations.ts';
import { applyActivation } from './network.ts';

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
   * stream for the current set, consumed in row order.
   */
  features(block: SampleBlock, pre: Matrix, noise: Stream): Matrix;
  /** Facts worth reporting about the map (degree, scale b, noise level …). */
  readonly info: Record<string, number | string>;
}

/** The network itself: σ(F̂x). */
export function networkFeatureMap(act: Activation): FeatureMap {
  return {
    name: 'nn',
    features: (_block, pre) => applyActivation(pre, act.f),
    info: { act: act.name },
  };
}
