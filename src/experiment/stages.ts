// One trial in stages, each a function of what the stage before produced (docs/model.md §1–3):
//   draw  — the structure, the network at initialisation and the step set, from the seed's streams;
//   step  — F̂ = F + (multiplier)·G, with everything a surrogate may look at (TrialContext);
//   fit   — one ridge readout per feature map on the ridge set;
//   score — each readout's generalisation error on the (streamed) test set.
// runTrial composes them; the population error, the oracles' fixed-first-layer map, --load-npy
// and the tests call the same stages instead of replaying them.
import { type ExperimentConfig, type Sizes, sizesOf, testBlockRows } from '../data/config.ts';
import type { MixtureStructure } from '../data/mixture.ts';
import { type LabelSpec, labelSpecOf, type RowSampler, type SampleBlock } from '../data/sampler.ts';
import { type DataSource, dataSourceOf } from '../data/source.ts';
import { gaussianKernel } from '../linalg/index.ts';
import { fromData, type Matrix, recycle } from '../linalg/matrix.ts';
import { activation, type Activation } from '../math/activations.ts';
import { ErrorAccumulator, MomentAccumulator, zeroOneError } from '../model/errors.ts';
import type { FeatureMap, TrialContext } from '../model/features.ts';
import { gradientStep, initNetwork, type Network, preactivations, stepFirstLayer, stepMultiplier } from '../model/network.ts';
import { fitRidge, NumericalFailure, type RidgeFit, scaledMatVec, SingularRidgeSystem } from '../model/ridge.ts';
import { mixturePopulationGen } from './mixture-population.ts';
import { type Stream, trialStreams } from '../random/stream.ts';

/** Stage 1: what a seed draws before the step. */
export interface TrialDraw {
  config: ExperimentConfig;
  seed: number;
  sizes: Sizes;
  act: Activation;
  streams: ReturnType<typeof trialStreams>;
  mixture: MixtureStructure;
  /** Where the step, ridge and test sets come from (the mixture, or images and their twin). */
  source: DataSource;
  labels: LabelSpec;
  /** F and w at initialisation. */
  network: Network;
  /** The step set (X̃, ỹ). */
  stepSet: SampleBlock;
}

export function drawTrial(config: ExperimentConfig, seed: number): TrialDraw {
  const sizes = sizesOf(config);
  // The backend's Gaussian kernel, handed to the streams explicitly: a trial's draws depend on
  // its seed and the backend in use, nothing else.
  const streams = trialStreams(seed, gaussianKernel());
  const source = dataSourceOf(config, streams.structure);
  const mixture = source.structure;
  const labels = labelSpecOf(config);
  const network = initNetwork(sizes.n, sizes.k, mixture.trace, streams.init);
  const stepSet = source.sampler('step', sizes.mStep, streams.step).all();
  return { config, seed, sizes, act: activation(config.act), streams, mixture, source, labels, network, stepSet };
}

/** The ridge set of a draw (its own stream: drawing it never moves another set). */
export function drawRidgeSet(draw: TrialDraw): SampleBlock {
  return draw.source.sampler('ridge', draw.sizes.m, draw.streams.ridge).all();
}

/** The test set of a draw, to be streamed block by block. */
export function testSetOf(draw: TrialDraw): BlockSource {
  return samplerSource(draw.source.sampler('test', draw.sizes.mTest, draw.streams.test));
}

/** Stage 2: the first layer after one step, G computed with the true σ and σ'. */
export interface SteppedLayer {
  G: Matrix;
  Fhat: Matrix;
  /** The multiplier of G actually applied. */
  step: number;
}

/** F̂ = F + step·G for a network and a step set, wherever they came from (a draw or .npy files). */
export function stepLayer(network: Network, stepSet: Pick<SampleBlock, 'X' | 'y'>, act: Activation, step: number): SteppedLayer {
  const G = gradientStep(network, stepSet.X, stepSet.y, act);
  return { G, Fhat: stepFirstLayer(network.F, G, step), step };
}

/** The stepped trial: everything a surrogate may look at (TrialContext). */
export function takeStep(draw: TrialDraw): TrialContext & { step: number } {
  const { config, sizes, mixture, act, network, stepSet } = draw;
  const { G, Fhat, step } = stepLayer(network, stepSet, act, stepMultiplier(mixture.eta, sizes.k, config.stepScale));
  return { config, sizes, mixture, act, F0: network.F, Fhat, w0: network.w, G, stepSet, step };
}

/** A seed's first layer before and after the step: exactly runTrial's F̂ (a property test holds them equal). */
export function firstLayerOfTrial(config: ExperimentConfig, seed: number): { mixture: MixtureStructure; F: Matrix; Fhat: Matrix; step: number } {
  const stepped = takeStep(drawTrial(config, seed));
  return { mixture: stepped.mixture, F: stepped.F0, Fhat: stepped.Fhat, step: stepped.step };
}

/** Where test rows come from: a sampler, or arrays loaded from disk. */
export interface BlockSource {
  next(rows: number): SampleBlock | null;
  /** The block will not be read again: its storage may be reused (absent: it is kept). */
  done?(block: SampleBlock): void;
}

export function samplerSource(s: RowSampler): BlockSource {
  return { next: (rows) => (s.remaining > 0 ? s.next(rows) : null), done: (block) => recycle(block.X) };
}

export function arraySource(set: SampleBlock): BlockSource {
  let pos = 0;
  const n = set.X.cols;
  return {
    next(rows) {
      if (pos >= set.X.rows) return null;
      const end = Math.min(set.X.rows, pos + rows);
      const block = {
        X: fromData(end - pos, n, set.X.data.subarray(pos * n, end * n)),
        y: set.y.subarray(pos, end),
        component: set.component.subarray(pos, end),
      };
      pos = end;
      return block;
    },
  };
}

export interface ModelErrors {
  /** Training error T (with the ridge term and the factor ½). */
  train: number;
  /** Generalisation error E = ½·mean test (y − ŷ)². */
  gen: number;
  /** 0-1 errors of sign(ŷ), for classification. */
  trainZeroOne?: number;
  genZeroOne?: number;
}

/** Stage 3's product for one map: its readout, or why there is none. */
export type Readout = RidgeFit | string;

/** Stage 4's product for one map. */
export interface ScoredModel {
  map: FeatureMap;
  errors: ModelErrors;
  /** The readout ŵ (absent when the map failed). */
  fit?: RidgeFit;
  failure?: string;
}

function scaled(z: Matrix, factor: number): Matrix {
  const d = z.data;
  for (let i = 0; i < d.length; i++) d[i] *= factor;
  return z;
}

/**
 * A map's features, used, go back for the next map's (FeatureMap.features hands them over). A
 * map that broke that contract and returned one of its inputs keeps them: the inputs live on.
 */
function handBackFeatures(Z: Matrix, ...inputs: Matrix[]): void {
  if (!inputs.some((m) => m.data === Z.data)) recycle(Z);
}

/** A surrogate's readout, or why there is none (the network's own failures are thrown). */
function fitOrFailure(Z: Matrix, y: Float64Array, lambda: number, isNetwork: boolean): Readout {
  try {
    return fitRidge(Z, y, lambda);
  } catch (e) {
    if (isNetwork || !(e instanceof NumericalFailure || e instanceof SingularRidgeSystem)) throw e;
    return `numerical failure of the surrogate: ${e instanceof SingularRidgeSystem ? e.diagnosis : e.message}`;
  }
}

/**
 * Stage 3: each map's readout on the ridge set, ŵ = (ZᵀZ + λmI)⁻¹Zᵀy with Z = features/√k. The
 * first map is the network, whose failure is the configuration's (thrown, never recorded).
 */
export function fitReadouts(maps: FeatureMap[], Fhat: Matrix, ridgeSet: SampleBlock, lambda: number, noiseFor: (name: string, set: 'ridge' | 'test') => Stream): Readout[] {
  const invSqrtK = 1 / Math.sqrt(Fhat.rows);
  const pre = preactivations(ridgeSet.X, Fhat);
  const readouts = maps.map((map, i) => {
    const Z = scaled(map.features(ridgeSet, pre, noiseFor(map.name, 'ridge')), invSqrtK);
    const readout = fitOrFailure(Z, ridgeSet.y, lambda, i === 0);
    handBackFeatures(Z, pre, ridgeSet.X); // a readout keeps ŵ and the fitted values, not Z
    return readout;
  });
  recycle(pre);
  return readouts;
}

/** Stage 4: every readout scored on the test blocks, and ½·Var(y) of the test labels. */
export function scoreReadouts(
  maps: FeatureMap[],
  fits: Readout[],
  Fhat: Matrix,
  ridgeSet: SampleBlock,
  test: BlockSource,
  classification: boolean,
  noiseFor: (name: string, set: 'ridge' | 'test') => Stream,
): { scored: ScoredModel[]; halfVarY: number } {
  const k = Fhat.rows;
  const invSqrtK = 1 / Math.sqrt(k);
  const testNoise = maps.map((m) => noiseFor(m.name, 'test'));
  const acc = maps.map(() => new ErrorAccumulator());
  const moments = new MomentAccumulator();
  const rows = testBlockRows(k);
  for (let block = test.next(rows); block; block = test.next(rows)) {
    const preTest = preactivations(block.X, Fhat);
    moments.add(block.y);
    maps.forEach((map, i) => {
      const fit = fits[i];
      if (typeof fit === 'string') return;
      // Predictions (Z/√k)ŵ without scaling Z itself: Z is not needed afterwards.
      const Z = map.features(block, preTest, testNoise[i]);
      acc[i].add(block.y, scaledMatVec(Z, invSqrtK, fit.w));
      handBackFeatures(Z, preTest, block.X);
    });
    recycle(preTest);
    test.done?.(block);
  }
  const scored = maps.map((map, i): ScoredModel => {
    const fit = fits[i];
    if (typeof fit === 'string') {
      const errors: ModelErrors = { train: Number.NaN, gen: Number.NaN };
      if (classification) Object.assign(errors, { trainZeroOne: Number.NaN, genZeroOne: Number.NaN });
      return { map, errors, failure: fit };
    }
    const errors: ModelErrors = { train: fit.train, gen: acc[i].halfMse };
    if (classification) {
      errors.trainZeroOne = zeroOneError(ridgeSet.y, fit.fitted);
      errors.genZeroOne = acc[i].zeroOne;
    }
    return { map, errors, fit };
  });
  return { scored, halfVarY: moments.variance / 2 };
}

/**
 * Stage 4 without a test set: each readout's generalisation error exactly over the mixture
 * (mixture-population.ts), or null where some model's features have no law or a component has a
 * mean. A map whose readout failed keeps its failure, as on the test set.
 */
export function scoreExactly(maps: FeatureMap[], fits: Readout[], Fhat: Matrix, mixture: MixtureStructure, config: ExperimentConfig): { scored: ScoredModel[]; halfVarY: number } | null {
  const fitted = maps.flatMap((map, i) => {
    const fit = fits[i];
    return typeof fit === 'string' ? [] : [{ law: map.law, w: fit.w }];
  });
  const exact = mixturePopulationGen(Fhat, fitted, mixture, config);
  if (!exact) return null;
  const gens = exact.gen.values();
  const scored = maps.map((map, i): ScoredModel => {
    const fit = fits[i];
    if (typeof fit === 'string') return { map, errors: { train: Number.NaN, gen: Number.NaN }, failure: fit };
    return { map, errors: { train: fit.train, gen: gens.next().value as number }, fit };
  });
  return { scored, halfVarY: exact.halfVarY };
}

/** Stages 3 and 4 together: fit each map's readout on the ridge set and score it on the test blocks. */
export function fitAndScore(
  maps: FeatureMap[],
  Fhat: Matrix,
  ridgeSet: SampleBlock,
  test: BlockSource,
  lambda: number,
  classification: boolean,
  noiseFor: (name: string, set: 'ridge' | 'test') => Stream,
): { scored: ScoredModel[]; halfVarY: number } {
  const fits = fitReadouts(maps, Fhat, ridgeSet, lambda, noiseFor);
  return scoreReadouts(maps, fits, Fhat, ridgeSet, test, classification, noiseFor);
}
