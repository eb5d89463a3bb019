// The Hermite model of SPEC §4: σ̂_l(x) = Σ_{j<l} (h_j/j!) He_j(x/b) + h*_l z, with a fresh
// z ~ N(0,1) for every (sample, neuron) entry. Named by degree D = l − 1.
import { hermiteCoefficients, hermiteNoiseScale, hermiteSeries, normalisedCoefficients } from '../math/hermite/index.ts';
import { type Matrix, zeros } from '../linalg/matrix.ts';
import type { FeatureMap, TrialContext } from '../model/features.ts';

export interface HermiteOptions {
  degree: number;
  /** Drop the h*_l z term (a negative control). */
  noNoise?: boolean;
  /** Multiply the scale b by this factor (1 = the theorem's b; others are negative controls). */
  bScale?: number;
}

export function hermiteFeatureMap(ctx: TrialContext, name: string, opts: HermiteOptions): FeatureMap {
  const b = ctx.mixture.bulkScale * (opts.bScale ?? 1);
  const { h, secondMoment } = hermiteCoefficients(ctx.act, b, opts.degree);
  const coefficients = normalisedCoefficients(h);
  const noiseScale = opts.noNoise ? 0 : hermiteNoiseScale(h, secondMoment, opts.degree + 1);
  const invB = 1 / b;
  return {
    name,
    info: { degree: opts.degree, b, noiseScale },
    features(_block, pre: Matrix, noise) {
      const out = zeros(pre.rows, pre.cols);
      const o = out.data;
      if (noiseScale > 0) noise.fillGaussian(o, 0, o.length, noiseScale);
      const p = pre.data;
      for (let i = 0; i < p.length; i++) o[i] += hermiteSeries(coefficients, p[i] * invB);
      return out;
    },
  };
}
