// From surrogate names to feature maps for one trial.
import { ConfigError } from '../data/config.ts';
import { applyDegreeCap, degreeRule } from '../math/hermite/index.ts';
import type { FeatureMap, TrialContext } from '../model/features.ts';
import { conditionalGaussianFeatureMap, unconditionalGaussianFeatureMap } from './gaussian.ts';
import { hermiteFeatureMap } from './hermite.ts';
import { MAX_HERMITE_DEGREE, type SurrogateSpec } from './spec.ts';

export { parseSurrogate, parseSurrogateList, type SurrogateSpec } from './spec.ts';

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

export function buildFeatureMap(spec: SurrogateSpec, ctx: TrialContext, degreeCap: number | null): FeatureMap {
  switch (spec.kind) {
    case 'hermite':
      return hermiteFeatureMap(ctx, spec.name, {
        degree: resolveDegree(spec.degree, ctx.config.beta, degreeCap),
        noNoise: spec.noNoise,
        bScale: spec.bScale,
      });
    case 'cget':
      return conditionalGaussianFeatureMap(ctx, spec.name);
    case 'get':
      return unconditionalGaussianFeatureMap(ctx, spec.name);
  }
}
