// The image source (docs/model.md §11) on a synthetic fixture: the paper's pre-processing holds
// exactly over a class (mean 0, both class traces θ), the step/ridge/test sets never share an
// image, a trial replays from its seed, and the images' limits are refused as bad input.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig, IMAGE_DEFAULTS, sizesOf, validateConfig } from '../../src/data/config.ts';
import { imagePreprocessing } from '../../src/data/images.ts';
import { labelSpecOf } from '../../src/data/sampler.ts';
import { dataSourceOf } from '../../src/data/source.ts';
import { DataInputError } from '../../src/io/fashion-mnist.ts';
import { rootStream } from '../../src/random/stream.ts';
import { writeFashionFixture } from '../fixtures/fashion-fixture.ts';

const PER_CLASS = 60;
process.env.ONESTEP_FASHION_MNIST_DIR = writeFashionFixture([2, 7], PER_CLASS);

/** A configuration whose three sets use every fixture image: m̃ = m = 20, test 80 (10 + 10 + 40 per class… ×2 = 120). */
function config(over: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return validateConfig({ ...DEFAULT_CONFIG, ...IMAGE_DEFAULTS, data: 'fashion-mnist', classes: [2, 7], mRatio: 20 / 784, testRatio: 4, kRatio: 1, pixelNoise: 0, ...over });
}

function draw(c: ExperimentConfig, seed: number) {
  const source = dataSourceOf(c, rootStream(seed).child('structure'));
  const s = sizesOf(c);
  const root = rootStream(seed);
  return {
    source,
    step: source.sampler('step', s.mStep, root.child('step')).all(),
    ridge: source.sampler('ridge', s.m, root.child('ridge')).all(),
    test: source.sampler('test', s.mTest, root.child('test')).all(),
  };
}

const rowKey = (X: Float64Array, r: number): string => Array.from(X.subarray(r * 784, (r + 1) * 784), (v) => v.toFixed(9)).join(',');

describe('Fashion-MNIST source (synthetic fixture)', () => {
  it("applies the paper's pre-processing: over all of a class, mean 0 and trace θ, for both classes", () => {
    const c = config();
    const { step, ridge, test } = draw(c, 3);
    const theta = 784; // β = 1, α = 0: θ = n
    for (const k of [0, 1]) {
      const rows: Float64Array[] = [];
      for (const set of [step, ridge, test]) for (let r = 0; r < set.y.length; r++) if (set.component[r] === k) rows.push(set.X.data.subarray(r * 784, (r + 1) * 784));
      expect(rows.length).toBe(PER_CLASS);
      const mean = new Float64Array(784);
      for (const x of rows) for (let j = 0; j < 784; j++) mean[j] += x[j] / rows.length;
      // Exact identities up to rounding (60 rows of O(1) values: 1e-9 is ~10⁵ ulps of margin).
      expect(Math.max(...mean.map(Math.abs))).toBeLessThan(1e-9);
      const trace = rows.reduce((s, x) => s + x.reduce((t, v) => t + v * v, 0), 0) / rows.length;
      expect(Math.abs(trace - theta) / theta).toBeLessThan(1e-9);
    }
    // Labels ±1 by class, the first listed class +1.
    expect(step.y.every((y, r) => y === (step.component[r] === 0 ? 1 : -1))).toBe(true);
  });

  it('draws step, ridge and test sets without replacement (no image twice), replayable by seed', () => {
    const c = config();
    const a = draw(c, 5);
    const keys = new Set<string>();
    let rows = 0;
    for (const set of [a.step, a.ridge, a.test]) {
      for (let r = 0; r < set.y.length; r++) keys.add(`${set.component[r]}|${rowKey(set.X.data, r)}`);
      rows += set.y.length;
    }
    expect(keys.size).toBe(rows);
    const again = draw(c, 5);
    expect(Array.from(again.ridge.X.data)).toEqual(Array.from(a.ridge.X.data));
    const other = draw(c, 6);
    expect(Array.from(other.ridge.X.data)).not.toEqual(Array.from(a.ridge.X.data));
    // With noise, the same images carry fresh noise per set stream, still replayable.
    const noisy = config({ pixelNoise: 1 });
    expect(Array.from(draw(noisy, 5).test.X.data)).toEqual(Array.from(draw(noisy, 5).test.X.data));
  });

  it('draws the same set whole or in blocks of any size (the test set is streamed)', () => {
    const c = config({ pixelNoise: 1, noise: 0.2 });
    const s = sizesOf(c);
    const source = dataSourceOf(c, rootStream(7).child('structure'));
    const whole = source.sampler('test', s.mTest, rootStream(7).child('test')).all();
    for (const size of [1, 7, 33]) {
      const sampler = source.sampler('test', s.mTest, rootStream(7).child('test'));
      const X: number[] = [];
      const y: number[] = [];
      while (sampler.remaining > 0) {
        const b = sampler.next(size);
        X.push(...b.X.data);
        y.push(...b.y);
      }
      expect(X).toEqual(Array.from(whole.X.data));
      expect(y).toEqual(Array.from(whole.y));
    }
  });

  it('equalises the class traces and centres on the common mean when asked', () => {
    const pre = imagePreprocessing(config());
    // Class 2 is scaled by √(Tr S₁/Tr S₂): both scaled traces equal θ.
    expect(pre.factor[0] ** 2 * pre.stats[0].trace).toBeCloseTo(784, 9);
    expect(pre.factor[1] ** 2 * pre.stats[1].trace).toBeCloseTo(784, 9);
    expect(pre.trace).toBe(784);
    expect(imagePreprocessing(config({ pixelNoise: 1 })).trace).toBe(784 + 784);
    const common = imagePreprocessing(config({ centring: 'common' }));
    expect(Array.from(common.centre[0])).toEqual(Array.from(common.centre[1]));
    const { structure } = dataSourceOf(config({ centring: 'common' }), rootStream(1));
    // The class means are then ±-ish: f_c(μ_c − μ̄), non-zero.
    expect(structure.components[0].mean).not.toBeNull();
    expect(structure.bulkScale).toBe(1);
  });

  it('refuses more samples than images, and settings the images cannot honour', () => {
    expect(() => draw(config({ testRatio: 5 }), 1)).toThrow(DataInputError);
    expect(() => draw(config({ testRatio: 5 }), 1)).toThrow(/class 2 has 60 images, and a trial draws 70/);
    expect(() => validateConfig({ ...config(), n: 400 })).toThrow(/784 with --data fashion-mnist/);
    expect(() => validateConfig({ ...config(), task: 'regression' })).toThrow(/classification/);
    expect(() => validateConfig({ ...config(), theta: 'random' })).toThrow(/theta/);
    expect(() => validateConfig({ ...config(), classes: [3, 3] })).toThrow(/two different/);
    expect(() => validateConfig({ ...config(), classes: [3, 10] })).toThrow(/two different/);
    // The twin is Gaussian: it may draw more rows than there are images.
    expect(() => dataSourceOf(config({ data: 'fashion-mnist-twin', testRatio: 5 }), rootStream(1))).not.toThrow();
    expect(labelSpecOf(config()).task).toBe('classification');
  });
});
