// One trial (docs/model.md §3): the stages of ./stages.ts in order — draw the structure, the network and
// the data sets from their own streams, take the step, then fit and score the network and
// every surrogate on the same F, w, F̂ and data. The test set is streamed in blocks: no
// (test × k) matrix is held.
import { ConfigError, type ExperimentConfig } from '../data/config.ts';
import type { SampleBlock } from '../data/sampler.ts';
import { fromData, type Matrix, recycle } from '../linalg/matrix.ts';
import { networkFeatureMap, type TrialContext } from '../model/features.ts';
import type { RidgeFit } from '../model/ridge.ts';
import { buildFeatureMap, type SurrogateSpec } from '../surrogates/index.ts';
import { gradientSpikeLemma, type LemmaResult } from './lemma.ts';
import { type BlockSource, drawRidgeSet, drawTrial, fitReadouts, type ModelErrors, scoreExactly, scoreReadouts, takeStep, testSetOf, type TrialDraw } from './stages.ts';

export { arraySource, type BlockSource, fitAndScore, type ModelErrors, samplerSource } from './stages.ts';

export interface SurrogateErrors extends ModelErrors {
  info: Record<string, number | string>;
  /**
   * Set when the surrogate failed numerically (its features overflowed, or its ridge system is
   * singular to rounding while the network's is not); its errors are then NaN, and a check
   * reports the failure as a disagreement (docs/model.md §6), never as a number.
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
  /** Where the generalisation errors come from: the exact expectation, or the test set. */
  genSource: 'population' | 'test set';
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
  /**
   * Compute every model's generalisation error exactly over the input distribution instead of on
   * the test set, where every model's features allow it (regression, centred components; see
   * mixture-population.ts). Otherwise, and always for classification (whose 0-1 error needs
   * samples), every model is scored on the same test set.
   */
  exactGen?: boolean;
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

/** Every stage's product of one trial, for callers that need more than its errors. */
export interface TrialRun {
  result: TrialResult;
  draw: TrialDraw;
  stepped: TrialContext & { step: number };
  ridgeSet: SampleBlock;
  /** The network's readout ŵ. */
  networkFit: RidgeFit;
}

export function runTrial(opts: TrialOptions): TrialResult {
  const run = simulateTrial(opts);
  if (!opts.keepArrays) handBackTrialArrays(run);
  return run.result;
}

/**
 * Nothing of a run outlives runTrial but its result (numbers), unless its arrays were asked
 * for: the step and ridge sets' inputs, F, G and F̂ go back to the recycled storage
 * (linalg/matrix.ts; it keeps an array handed back twice once), so the next trial takes them
 * without page faults, and V8 does not free megabytes of backing store on another thread
 * while the kernels run there.
 */
function handBackTrialArrays(run: TrialRun): void {
  recycle(run.draw.stepSet.X, run.ridgeSet.X, run.stepped.F0, run.stepped.G, run.stepped.Fhat);
}

export function simulateTrial(opts: TrialOptions): TrialRun {
  const started = performance.now();
  const { config } = opts;
  const draw = drawTrial(config, opts.seed);
  const { sizes, mixture, streams } = draw;
  const ctx = takeStep(draw);
  const ridgeSet = drawRidgeSet(draw);
  // Every claim is a gap relative to the network's error, which is 0 when every label is 0
  // (e.g. a ReLU target whose argument a large mean keeps negative), and lost to underflow when
  // the labels are below 1e-150 (their squares, the errors, fall under 1e-300 where doubles lose
  // their precision): say so rather than print 0/0.
  const largest = ridgeSet.y.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  if (!(largest >= 1e-150)) {
    const [field, value] = config.meanNorm > 0 ? ['mean-norm', config.meanNorm] : config.targetLinear !== null ? ['noise', config.noise] : ['target', config.target];
    const what = largest === 0 ? 'every readout label is 0' : `every readout label is below 1e-150 (largest ${largest.toExponential(2)})`;
    throw new ConfigError(field, value, `labels that are not all (nearly) zero: at seed ${opts.seed} ${what} (a ReLU target of an argument that stays negative, or a zero target), so no relative error can be formed`);
  }

  const maps = [networkFeatureMap(draw.act), ...opts.surrogates.map((s) => buildFeatureMap(s, ctx, opts.degreeCap))];
  const kept: SampleBlock[] = [];
  const noiseFor = (name: string, set: 'ridge' | 'test') => streams.surrogate.child(name).child(set);
  const fits = fitReadouts(maps, ctx.Fhat, ridgeSet, config.lambda, noiseFor);
  // The exact score where every model allows it (regression on centred components), else the
  // test set; both are paired: every model is scored the same way.
  const exact = opts.exactGen && !opts.keepArrays && config.task === 'regression' ? scoreExactly(maps, fits, ctx.Fhat, mixture, config) : null;
  let test = testSetOf(draw);
  if (opts.keepArrays) test = keepingSource(test, kept);
  const { scored, halfVarY } = exact ?? scoreReadouts(maps, fits, ctx.Fhat, ridgeSet, test, config.task === 'classification', noiseFor);

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
    genSource: exact ? 'population' : 'test set',
    scalings: {
      theta: mixture.thetaScale,
      eta: mixture.eta,
      step: ctx.step,
      trace: mixture.trace,
      b: mixture.bulkScale,
    },
  };
  if (opts.lemma) result.lemma = gradientSpikeLemma(ctx, streams.init.child('lemma'));
  if (opts.keepArrays) {
    result.arrays = { stepSet: draw.stepSet, ridgeSet, testSet: concatBlocks(kept, sizes.n), F0: ctx.F0, w0: ctx.w0, Fhat: ctx.Fhat };
  }
  result.seconds = (performance.now() - started) / 1000;
  return { result, draw, stepped: ctx, ridgeSet, networkFit: scored[0].fit as RidgeFit };
}
