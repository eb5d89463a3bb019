// The Gaussian twin of the image source (docs/model.md §10) has the images' class means and
// covariances: on a synthetic fixture, its sample trace and its variance along each class's leading
// eigenvector match the pre-processed class within derived tolerances.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, IMAGE_DEFAULTS, sizesOf, validateConfig } from '../../src/data/config.ts';
import { classSpectrum, imagePreprocessing } from '../../src/data/images.ts';
import { dataSourceOf } from '../../src/data/source.ts';
import { rootStream } from '../../src/random/stream.ts';
import { writeFashionFixture } from '../fixtures/fashion-fixture.ts';

process.env.ONESTEP_FASHION_MNIST_DIR = writeFashionFixture([3, 8], 80);
process.env.ONESTEP_CACHE_DIR = 'off';

describe('Fashion-MNIST twin (synthetic fixture)', () => {
  it('matches each class mean, trace and leading-direction variance (5 standard errors)', () => {
    const c = validateConfig({ ...DEFAULT_CONFIG, ...IMAGE_DEFAULTS, data: 'fashion-mnist-twin', classes: [3, 8], pixelNoise: 0, mRatio: 2000 / 784, testRatio: 1 });
    const set = dataSourceOf(c, rootStream(4).child('structure')).sampler('ridge', sizesOf(c).m, rootStream(4).child('ridge')).all();
    const pre = imagePreprocessing(c);
    for (const k of [0, 1]) {
      const f = pre.factor[k];
      const spec = classSpectrum(pre.stats[k]);
      const v1 = spec.vectors.data.subarray(0, 784);
      const rows: Float64Array[] = [];
      for (let r = 0; r < set.y.length; r++) if (set.component[r] === k) rows.push(set.X.data.subarray(r * 784, (r + 1) * 784));
      const N = rows.length;
      // Centred per class: the twin's rows have mean 0 and E‖x‖² = Tr(f²S_c) = θ, with
      // Var ‖x‖² = 2·Tr((f²S_c)²) for a Gaussian: tolerance 5·√(2·f⁴Σλ²/N).
      const trace = rows.reduce((s, x) => s + x.reduce((t, v) => t + v * v, 0), 0) / N;
      const sumSq = spec.values.reduce((s, l) => s + (f * f * l) ** 2, 0);
      expect(Math.abs(trace - 784)).toBeLessThan(5 * Math.sqrt((2 * sumSq) / N));
      // Along v₁ the variance is f²λ₁, its estimate has relative SE √(2/N).
      const lam = f * f * spec.values[0];
      const along = rows.reduce((s, x) => s + x.reduce((t, v, j) => t + v * v1[j], 0) ** 2, 0) / N;
      expect(Math.abs(along - lam) / lam).toBeLessThan(5 * Math.sqrt(2 / N));
      // The mean along v₁ is 0 within 5·√(λ/N).
      const meanAlong = rows.reduce((s, x) => s + x.reduce((t, v, j) => t + v * v1[j], 0), 0) / N;
      expect(Math.abs(meanAlong)).toBeLessThan(5 * Math.sqrt(lam / N));
      // Measured along the second eigenvector the same test fails: it can tell directions apart.
      const v2 = spec.vectors.data.subarray(784, 2 * 784);
      const along2 = rows.reduce((s, x) => s + x.reduce((t, v, j) => t + v * v2[j], 0) ** 2, 0) / N;
      expect(Math.abs(along2 - lam) / lam).toBeGreaterThan(5 * Math.sqrt(2 / N));
    }
    // Drawn in blocks of any size, the twin's rows are the same.
    const blocked = dataSourceOf(c, rootStream(4).child('structure')).sampler('ridge', sizesOf(c).m, rootStream(4).child('ridge'));
    const parts = new Float64Array(set.X.data.length);
    for (let at = 0; blocked.remaining > 0; ) {
      const b = blocked.next(333).X.data;
      parts.set(b, at);
      at += b.length;
    }
    expect(parts.every((v, i) => v === set.X.data[i])).toBe(true);
  });
});
