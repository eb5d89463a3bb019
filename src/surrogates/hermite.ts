// The Hermite model of docs/model.md §4: σ̂_l(x) = Σ_{j<l} (h_j/j!) He_j(x/b) + h*_l z, with a fresh
// z ~ N(0,1) for every (sample, neuron) entry. Named by degree D = l − 1.
import { gaussHermiteRule, hermite, hermiteCoefficients, hermiteNoiseScale, hermiteSeries, hermiteSeriesAddInto, normalisedCoefficients } from '../math/hermite/index.ts';
import { type Matrix, matrixToOverwrite, zeros } from '../linalg/matrix.ts';
import { ConfigError } from '../data/config.ts';
import { applyDegreeCap, degreeRule } from '../math/hermite/index.ts';
import type { FeatureMap, TrialContext } from '../model/features.ts';
import { defineSurrogate } from './kind.ts';

/** Highest Hermite degree a surrogate may use (explicitly or through hermite:auto). */
export const MAX_HERMITE_DEGREE = 30;

/** The degree a Hermite surrogate uses: explicit, or the rule's degree at β (capped if asked). */
export function resolveDegree(degree: number | 'auto', beta: number, cap: number | null): number {
  if (degree !== 'auto') return degree;
  const rule = degreeRule(beta);
  const capped = cap === null ? rule.degree : applyDegreeCap(rule.degree, cap);
  if (!Number.isFinite(capped)) {
    throw new ConfigError('surrogates', 'hermite:auto', `a finite degree: β = ${beta} is not covered by the degree rule; add --degree-cap D`);
  }
  if (capped > MAX_HERMITE_DEGREE) {
    throw new ConfigError('surrogates', 'hermite:auto', `a degree ≤ ${MAX_HERMITE_DEGREE}: at β = ${beta} the rule asks for degree ${capped}; add --degree-cap D`);
  }
  return capped;
}

/**
 * `hermite:auto` (the rule's degree at β), `hermite:D`, and the variants used as negative
 * controls: `:nonoise` (no h*_l z term) and `:bscale=X` (the expansion taken at a wrong scale).
 */
export const hermiteSurrogate = defineSurrogate<{ degree: number | 'auto'; noNoise: boolean; bScale: number }>({
  word: 'hermite',
  syntax: `hermite:auto | hermite:D (D = 1..${MAX_HERMITE_DEGREE}) [:nonoise] [:bscale=X, X in [0.001, 1000]]`,
  parse(rest) {
    if (rest.length < 1) return null;
    let degree: number | 'auto' = 'auto';
    if (rest[0] !== 'auto') {
      if (!/^\d+$/.test(rest[0])) return null;
      degree = Number(rest[0]);
      if (degree < 1 || degree > MAX_HERMITE_DEGREE) return null;
    }
    let noNoise = false;
    let bScale = 1;
    for (const opt of rest.slice(1)) {
      if (opt === 'nonoise') noNoise = true;
      else if (opt.startsWith('bscale=')) {
        bScale = Number(opt.slice('bscale='.length));
        if (!(Number.isFinite(bScale) && bScale >= 1e-3 && bScale <= 1e3)) return null;
      } else return null;
    }
    return { degree, noNoise, bScale };
  },
  build: (ctx, name, o, degreeCap) =>
    hermiteFeatureMap(ctx, name, { degree: resolveDegree(o.degree, ctx.config.beta, degreeCap), noNoise: o.noNoise, bScale: o.bScale }),
});

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
  const poly = (u: number): number => hermiteSeries(coefficients, u * invB);
  return {
    name,
    info: { degree: opts.degree, b, noiseScale },
    // A polynomial of degree D plus independent noise: its Mehler expansion ends at D, so the
    // exact generalisation error needs no truncation.
    law: {
      degree: opts.degree,
      coefficients(scales, L) {
        // Products of degree ≤ 2D: the (D+1)-point Gauss–Hermite rule is exact.
        const { nodes, weights } = gaussHermiteRule(opts.degree + 1);
        return Array.from(scales, (s) => {
          const values = nodes.map((z) => poly(s * z));
          const expect = (f: (value: number, z: number) => number): number => values.reduce((acc, v, q) => acc + weights[q] * f(v, nodes[q]), 0);
          const a = Float64Array.from({ length: Math.min(L, opts.degree) + 1 }, (_, l) => expect((v, z) => v * hermite(l, z)));
          return { a, diagonal: expect((v) => v * v) + noiseScale * noiseScale };
        });
      },
    },
    features(_block, pre: Matrix, noise) {
      // With noise every entry is drawn first, then the series added; without, it adds to zeros.
      const out = noiseScale > 0 ? matrixToOverwrite(pre.rows, pre.cols) : zeros(pre.rows, pre.cols);
      const o = out.data;
      if (noiseScale > 0) noise.fillGaussian(o, 0, o.length, noiseScale);
      const p = pre.data;
      hermiteSeriesAddInto(coefficients, p, invB, o);
      return out;
    },
  };
}
