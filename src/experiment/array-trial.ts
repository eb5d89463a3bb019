// A trial of the network alone on arrays given from outside (`onestep trial --load-npy`): the
// same step and fit/score stages as a simulated trial, on the caller's F₀, w₀ and data sets,
// so an independent implementation can be held to onestep's numbers on identical inputs.
import type { Matrix } from '../linalg/matrix.ts';
import { activation, type ActivationName } from '../math/activations.ts';
import { networkFeatureMap } from '../model/features.ts';
import { rootStream } from '../random/stream.ts';
import { arraySource, fitAndScore, stepLayer } from './stages.ts';
import type { TrialResult } from './trial.ts';

export interface GivenArrays {
  Xstep: Matrix;
  ystep: Float64Array;
  X: Matrix;
  y: Float64Array;
  Xtest: Matrix;
  ytest: Float64Array;
  F0: Matrix;
  w0: Float64Array;
}

/** The shape rules the arrays must meet, each with what it says; the caller refuses a false one. */
export function arrayShapeChecks(a: GivenArrays): [string, boolean][] {
  const n = a.F0.cols;
  return [
    ['X_step columns = n', a.Xstep.cols === n],
    ['X columns = n', a.X.cols === n],
    ['X_test columns = n', a.Xtest.cols === n],
    ['y_step length = rows of X_step', a.ystep.length === a.Xstep.rows],
    ['y length = rows of X', a.y.length === a.X.rows],
    ['y_test length = rows of X_test', a.ytest.length === a.Xtest.rows],
    ['w0 length = rows of F0', a.w0.length === a.F0.rows],
  ];
}

/** The network's errors on given arrays, with `step` the multiplier of G as applied. */
export function runOnArrays(a: GivenArrays, act: ActivationName, lambda: number, step: number, seed: number): TrialResult {
  const started = performance.now();
  const sigma = activation(act);
  const { Fhat } = stepLayer({ F: a.F0, w: a.w0 }, { X: a.Xstep, y: a.ystep }, sigma, step);
  const noComponent = (rows: number): Int32Array => new Int32Array(rows);
  const ridgeSet = { X: a.X, y: a.y, component: noComponent(a.X.rows) };
  const testSet = { X: a.Xtest, y: a.ytest, component: noComponent(a.Xtest.rows) };
  const unused = rootStream(0); // the network's feature map draws no noise
  const { scored, halfVarY } = fitAndScore([networkFeatureMap(sigma)], Fhat, ridgeSet, arraySource(testSet), lambda, false, () => unused);
  return {
    seed,
    seconds: (performance.now() - started) / 1000,
    nn: scored[0].errors,
    surrogates: {},
    baseline: { halfVarY },
    genSource: 'test set',
    scalings: { theta: NaN, eta: step, step, trace: NaN, b: NaN },
  };
}
