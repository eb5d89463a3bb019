// fast-check arbitraries for configurations, built with map/chain (no filters): β is drawn
// inside a chosen degree interval with a margin from its boundaries, so every generated value
// satisfies the Hermite theorem's hypotheses by construction.
import fc from 'fast-check';
import { configField, DEFAULT_CONFIG, type ExperimentConfig } from '../src/data/config.ts';

/** A number drawn over a configuration field's whole range (CONFIG_FIELDS), or a part of it. */
function fieldDouble(key: keyof ExperimentConfig, within: { min?: number; max?: number } = {}): fc.Arbitrary<number> {
  const rule = configField(key)?.rule;
  if (rule?.kind !== 'number') throw new Error(`${key} is not a number field`);
  const min = Math.max(rule.min, within.min ?? -Infinity);
  const max = Math.min(rule.max, within.max ?? Infinity);
  return fc.double({ min, max, noNaN: true, ...(rule.minExclusive && min === rule.min ? { minExcluded: true } : {}) });
}

/** An integer drawn within a configuration field's range. */
function fieldInteger(key: keyof ExperimentConfig, within: { min?: number; max?: number } = {}): fc.Arbitrary<number> {
  const rule = configField(key)?.rule;
  if (rule?.kind !== 'number' || !rule.integer) throw new Error(`${key} is not an integer field`);
  return fc.integer({ min: Math.max(rule.min, within.min ?? -Infinity), max: Math.min(rule.max, within.max ?? Infinity) });
}

/** β inside ((D−1)/D, D/(D+1)) (or [0, ½) for D = 1), at least `margin` of the width from each end. */
export function betaInDegree(maxDegree = 4, margin = 0.15): fc.Arbitrary<number> {
  return fc.integer({ min: 1, max: maxDegree }).chain((D) => {
    const lo = D === 1 ? 0 : (D - 1) / D;
    const hi = D / (D + 1);
    const w = hi - lo;
    return fc.double({ min: lo + margin * w, max: hi - margin * w, noNaN: true });
  });
}

/** Mixture weights: C components, each ρ_c ≥ 0.15 (so every component has samples). */
function weights(components: number): fc.Arbitrary<number[]> {
  return fc.array(fc.double({ min: 0.15, max: 1, noNaN: true }), { minLength: components, maxLength: components }).map((w) => {
    const s = w.reduce((a, b) => a + b, 0);
    const rho = w.map((v) => v / s);
    rho[rho.length - 1] = 1 - rho.slice(0, -1).reduce((a, b) => a + b, 0);
    return rho;
  });
}

export interface ArbitraryOptions {
  /** Degree cap for the β intervals. */
  maxDegree?: number;
  /** Limit k/m and m/n so that a quick-tier trial stays cheap. */
  cheap?: boolean;
}

export function configArbitrary(opts: ArbitraryOptions = {}): fc.Arbitrary<ExperimentConfig> {
  const cheap = opts.cheap ?? false;
  return fieldInteger('components', { max: 3 }).chain((components) =>
    fc
      .record({
        act: fc.constantFrom('relu' as const, 'tanh' as const, 'sigmoid' as const, 'erf' as const),
        rho: weights(components),
        rank: fieldInteger('rank', { min: 1, max: 4 }),
        theta: fc.constantFrom('fixed' as const, 'random' as const),
        align: fieldDouble('align'),
        beta: betaInDegree(opts.maxDegree ?? 4),
        alpha: fieldDouble('alpha'),
        kRatio: fieldDouble('kRatio', { min: 0.25, max: cheap ? 2 : 4 }),
        mRatio: fieldDouble('mRatio', { min: 0.5, max: cheap ? 1.5 : 2 }),
        logLambda: fc.double({ min: -5, max: -1, noNaN: true }),
        target: fc.constantFrom('random' as const, 'spike' as const),
        classify: fc.boolean(),
      })
      .map(({ logLambda, classify, ...r }) => ({
        ...DEFAULT_CONFIG,
        ...r,
        components,
        lambda: 10 ** logLambda,
        // Classification is stated for two components (±1 by component).
        task: classify && components === 2 ? ('classification' as const) : ('regression' as const),
      })),
  );
}
