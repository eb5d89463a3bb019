// One trial (SPEC §3): draw the structure, the network and the three data sets from their
// own streams, take the step, then fit and score the network and every surrogate on the
// same F, w, F̂ and data. The test set is streamed in blocks: no (test × k) matrix is held.
import { ConfigError, type ExperimentConfig, type StepScale, sizesOf, testBlockRows } from '../data/config.ts';
import { buildMixture } from '../data/mixture.ts';
import { labelSpecOf, type SampleBlock, SetSampler } from '../data/sampler.ts';
import { fromData, type Matrix } from '../linalg/matrix.ts';
import { activation, type Activation } from '../model/activations.ts';
import { ErrorAccumulator, MomentAccumulator, zeroOneError } from '../model/errors.ts';
import { type FeatureMap, networkFeatureMap, type TrialContext } from '../model/features.ts';
import { gradientStep, initNetwork, preactivations, stepFirstLayer } from '../model/network.ts';
import { fitRidge, matVec, NumericalFailure, type RidgeFit, SingularRidgeSystem } from '../model/ridge.ts';
import { type Stream, trialStreams } from '../random/stream.ts';
import { buildFeatureMap, type SurrogateSpec } from '../surrogates/index.ts';
import { gradientSpikeLemma, type LemmaResult } from './lemma.ts';

export interface ModelErrors {
  /** Training error T (with the ridge term and the factor ½). */
  train: number;
  /** Generalisation error E = ½·mean test (y − ŷ)². */
  gen: number;
  /** 0-1 errors of sign(ŷ), for classification. */
  trainZeroOne?: number;
  genZeroOne?: number;
}

export interface SurrogateErrors extends ModelErrors {
  info: Record<string, number | string>;
  /**
   * Set when the surrogate failed numerically (its features overflowed, or its ridge system is
   * singular to rounding while the network's is not); its errors are then NaN, and a check
   * reports the failure as a disagreement (SPEC §6), never as a number.
   */
  failure?: string;
}

/** The arrays of a trial, kept when asked (for --save-npy). */
export interface TrialArrays {
  stepSet: SampleBlock;
  ridgeSet: SampleBlock;
  testSet: SampleBlock;
  F0: Matrix;
  w0: Float64Array;
  Fhat: Matrix;
}

export interface TrialResult {
  seed: number;
  seconds: number;
  nn: ModelErrors;
  surrogates: Record<string, SurrogateErrors>;
  baseline: { halfVarY: number };
  /** θ and η used, the multiplier of G actually applied, and the Hermite scale b. */
  scalings: { theta: number; eta: number; step: number; trace: number; b: number };
  /** The gradient-spike decomposition (with --lemma). */
  lemma?: LemmaResult;
  arrays?: TrialArrays;
}

export interface TrialOptions {
  config: ExperimentConfig;
  seed: number;
  surrogates: SurrogateSpec[];
  degreeCap: number | null;
  /** Keep every array (the test set whole) for --save-npy. */
  keepArrays?: boolean;
  /** Measure the gradient-spike lemma's ‖Δ‖/‖uvᵀ‖. */
  lemma?: boolean;
}

/** Where test rows come from: a sampler, or arrays loaded from disk. */
export interface BlockSource {
  next(rows: number): SampleBlock | null;
}

export function samplerSource(s: SetSampler): BlockSource {
  return { next: (rows) => (s.remaining > 0 ? s.next(rows) : null) };
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

/** The multiplier of G in F̂ = F + (multiplier)·G. */
export function effectiveStep(eta: number, k: number, scale: StepScale): number {
  return scale === 'sqrt-k' ? eta * Math.sqrt(k) : eta;
}

function scaled(z: Matrix, factor: number): Matrix {
  const d = z.data;
  for (let i = 0; i < d.length; i++) d[i] *= factor;
  return z;
}

export interface ScoredModel {
  map: FeatureMap;
  errors: ModelErrors;
  failure?: string;
}

/** A surrogate's readout, or why there is none (the network's own failures are thrown). */
function fitOrFailure(Z: Matrix, y: Float64Array, lambda: number, isNetwork: boolean): RidgeFit | string {
  try {
    return fitRidge(Z, y, lambda);
  } catch (e) {
    if (isNetwork || !(e instanceof NumericalFailure || e instanceof SingularRidgeSystem)) throw e;
    return `numerical failure of the surrogate: ${e instanceof SingularRidgeSystem ? e.diagnosis : e.message}`;
  }
}

/**
 * Fit each feature map's readout on the ridge set and score it on the test blocks.
 * `noiseFor(name, set)` gives each map its own stream per set.
 */
export function fitAndScore(
  maps: FeatureMap[],
  Fhat: Matrix,
  ridgeSet: SampleBlock,
  test: BlockSource,
  lambda: number,
  classification: boolean,
  noiseFor: (name: string, set: 'ridge' | 'test') => Stream,
): { scored: ScoredModel[]; halfVarY: number } {
  const k = Fhat.rows;
  const invSqrtK = 1 / Math.sqrt(k);
  const pre = preactivations(ridgeSet.X, Fhat);
  const fits = maps.map((map, i) => {
    const Z = scaled(map.features(ridgeSet, pre, noiseFor(map.name, 'ridge')), invSqrtK);
    return fitOrFailure(Z, ridgeSet.y, lambda, i === 0);
  });
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
      const Z = scaled(map.features(block, preTest, testNoise[i]), invSqrtK);
      acc[i].add(block.y, matVec(Z, fit.w));
    });
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
    return { map, errors };
  });
  return { scored, halfVarY: moments.variance / 2 };
}

/** A test source that also keeps every block, so the whole test set can be saved. */
function keepingSource(inner: BlockSource, kept: SampleBlock[]): BlockSource {
  return {
    next(rows) {
      const b = inner.next(rows);
      if (b) kept.push(b);
      return b;
    },
  };
}

function concatBlocks(blocks: SampleBlock[], n: number): SampleBlock {
  const rows = blocks.reduce((s, b) => s + b.X.rows, 0);
  const X = new Float64Array(rows * n);
  const y = new Float64Array(rows);
  const component = new Int32Array(rows);
  let r = 0;
  for (const b of blocks) {
    X.set(b.X.data, r * n);
    y.set(b.y, r);
    component.set(b.component, r);
    r += b.X.rows;
  }
  return { X: fromData(rows, n, X), y, component };
}

export function runTrial(opts: TrialOptions): TrialResult {
  const started = performance.now();
  const { config } = opts;
  const sizes = sizesOf(config);
  const streams = trialStreams(opts.seed);
  const act: Activation = activation(config.act);
  const mixture = buildMixture(config, streams.structure);
  const labels = labelSpecOf(config);

  const net = initNetwork(sizes.n, sizes.k, mixture.trace, streams.init);
  const stepSet = new SetSampler(mixture, labels, sizes.mStep, streams.step).all();
  const G = gradientStep(net, stepSet.X, stepSet.y, act);
  const Fhat = stepFirstLayer(net.F, G, effectiveStep(mixture.eta, sizes.k, config.stepScale));
  const ridgeSet = new SetSampler(mixture, labels, sizes.m, streams.ridge).all();
  // Every claim is a gap relative to the network's error, which is 0 when every label is 0
  // (e.g. a ReLU target whose argument a large mean keeps negative): say so rather than print 0/0.
  if (ridgeSet.y.every((v) => v === 0)) {
    const [field, value] = config.meanNorm > 0 ? ['mean-norm', config.meanNorm] : ['target', config.target];
    throw new ConfigError(field, value, `labels that are not all zero: at seed ${opts.seed} every readout label is 0 (a ReLU target of an argument that stays negative, or a zero target), so relative errors are undefined`);
  }

  const ctx: TrialContext = { config, sizes, mixture, act, F0: net.F, Fhat, w0: net.w, G, stepSet };
  const maps = [networkFeatureMap(act), ...opts.surrogates.map((s) => buildFeatureMap(s, ctx, opts.degreeCap))];
  const kept: SampleBlock[] = [];
  let test = samplerSource(new SetSampler(mixture, labels, sizes.mTest, streams.test));
  if (opts.keepArrays) test = keepingSource(test, kept);
  const { scored, halfVarY } = fitAndScore(
    maps,
    Fhat,
    ridgeSet,
    test,
    config.lambda,
    config.task === 'classification',
    (name, set) => streams.surrogate.child(name).child(set),
  );

  // The network is the reference every claim is measured against: a non-finite error there is
  // a failure of the simulation itself (an ill-posed configuration), never a result to report.
  const nnErrors = scored[0].errors;
  if (!Number.isFinite(nnErrors.train) || !Number.isFinite(nnErrors.gen)) {
    throw new Error(`the network's errors are not finite (train ${nnErrors.train}, gen ${nnErrors.gen}) at seed ${opts.seed}: the configuration is numerically ill-posed`);
  }
  const surrogates: Record<string, SurrogateErrors> = {};
  for (const s of scored.slice(1)) surrogates[s.map.name] = { ...s.errors, info: s.map.info, ...(s.failure ? { failure: s.failure } : {}) };
  const result: TrialResult = {
    seed: opts.seed,
    seconds: 0,
    nn: scored[0].errors,
    surrogates,
    baseline: { halfVarY },
    scalings: {
      theta: mixture.thetaScale,
      eta: mixture.eta,
      step: effectiveStep(mixture.eta, sizes.k, config.stepScale),
      trace: mixture.trace,
      b: Math.sqrt(sizes.n / mixture.trace),
    },
  };
  if (opts.lemma) result.lemma = gradientSpikeLemma(ctx, streams.init.child('lemma'));
  if (opts.keepArrays) {
    result.arrays = { stepSet, ridgeSet, testSet: concatBlocks(kept, sizes.n), F0: net.F, w0: net.w, Fhat };
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
