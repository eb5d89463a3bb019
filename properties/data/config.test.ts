// Configurations the simulation cannot honour are refused up front with the field, the value
// and the reason, never half-run into a stack trace, a fake direction or a 0/0.
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, type ExperimentConfig, sizesOf, trialBytes, validateConfig } from '../../src/data/config.ts';
import { runTrial } from '../../src/experiment/trial.ts';
import { fromData } from '../../src/linalg/matrix.ts';
import { fitRidge } from '../../src/model/ridge.ts';
import { parseSurrogateList, resolveDegree } from '../../src/surrogates/index.ts';

function refused(over: Partial<ExperimentConfig>): ConfigError {
  try {
    validateConfig({ ...DEFAULT_CONFIG, ...over });
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(over)}`);
}

describe('configurations that cannot be honoured', () => {
  it('orthogonal spikes with two or more components need 2·rank ≤ n (drawn in the complement of the first)', () => {
    expect(refused({ n: 6, rank: 4, spikes: 'orthogonal' }).field).toBe('rank');
    expect(() => validateConfig({ ...DEFAULT_CONFIG, n: 6, rank: 3, spikes: 'orthogonal' })).not.toThrow();
    expect(() => validateConfig({ ...DEFAULT_CONFIG, n: 6, rank: 5, components: 1, rho: [1] })).not.toThrow();
    // At the limit the spikes are still exactly orthonormal across components.
    const t = runTrial({ config: validateConfig({ ...DEFAULT_CONFIG, n: 6, rank: 3, align: 0.3, spikes: 'orthogonal' }), seed: 1, surrogates: [], degreeCap: null });
    expect(Number.isFinite(t.nn.gen)).toBe(true);
    // Independent bases (the authors') need only rank ≤ n: each is drawn in the whole space.
    expect(() => validateConfig({ ...DEFAULT_CONFIG, n: 6, rank: 6 })).not.toThrow();
    expect(refused({ n: 6, rank: 7 }).field).toBe('rank');
  });

  it('a target that is identically zero is refused (every gap would be 0/0)', () => {
    expect(refused({ targetLinear: 0, targetNonlinear: 0, rank: 0, target: 'random' }).field).toBe('target-linear');
    expect(() => validateConfig({ ...DEFAULT_CONFIG, targetLinear: 0, targetNonlinear: 0, noise: 0.5 })).not.toThrow();
  });

  it('spike strengths beyond 1e9 are refused (θ = n^β never exceeds 1e5 here)', () => {
    expect(refused({ theta: 1e10 }).field).toBe('theta');
  });

  it('sizes that would not fit in memory are refused before anything is allocated', () => {
    const e = refused({ n: 20_000 });
    expect(e.field).toBe('n');
    expect(e.message).toMatch(/GB/);
    // The estimate is of the right size: 0.15 GB at the default n = 1000 (measured peak RSS of
    // a whole trial at n = 3000: 0.86 GB, estimate 0.86 GB).
    expect(trialBytes(sizesOf({ ...DEFAULT_CONFIG, n: 1000 })) / 1e9).toBeGreaterThan(0.1);
    expect(trialBytes(sizesOf({ ...DEFAULT_CONFIG, n: 1000 })) / 1e9).toBeLessThan(0.3);
  });

  it('hermite:auto refuses a rule degree beyond 30 and names the cap to add', () => {
    expect(() => resolveDegree('auto', 0.985, null)).toThrow(/degree 66.*--degree-cap/);
    expect(resolveDegree('auto', 0.985, 4)).toBe(4);
    expect(() => parseSurrogateList('hermite:2:bscale=1e200')).toThrow(ConfigError);
  });

  it('labels that are all zero in a draw are refused with the seed, not turned into NaN gaps', () => {
    // A huge mean drives the ReLU target's argument negative for every sample of some draw.
    const config = validateConfig({ ...DEFAULT_CONFIG, n: 100, meanNorm: 1000 });
    const seeds = [1, 2, 3, 4, 5, 6];
    const outcomes = seeds.map((seed) => {
      try {
        runTrial({ config, seed, surrogates: [], degreeCap: null });
        return 'ran';
      } catch (e) {
        return e instanceof ConfigError ? e.field : String(e);
      }
    });
    expect(outcomes).toContain('mean-norm');
    for (const o of outcomes) expect(['ran', 'mean-norm', 'lambda']).toContain(o);
  });
});

describe('a ridge system that rounding makes singular', () => {
  it("the network's own: reported against λ (raise it), not as an internal failure", () => {
    // θ = 1e9 at n = 100 makes the features so large that λm = 1e-2 is below the rounding of
    // ZᵀZ: the Cholesky pivot fails.
    const config = validateConfig({ ...DEFAULT_CONFIG, n: 100, theta: 1e9 });
    let caught: unknown;
    try {
      runTrial({ config, seed: 1, surrogates: [], degreeCap: null });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).field).toBe('lambda');
    expect((caught as ConfigError).message).toMatch(/singular to rounding/);
  });

  it("a surrogate's alone: recorded as its numerical failure (NaN errors and the reason), the network unharmed", () => {
    // θ = 1e6: the network fits, the degree-3 polynomial of its huge preactivations does not.
    const config = validateConfig({ ...DEFAULT_CONFIG, n: 100, theta: 1e6 });
    const t = runTrial({ config, seed: 1, surrogates: parseSurrogateList('hermite:3,cget'), degreeCap: null });
    expect(Number.isFinite(t.nn.gen)).toBe(true);
    expect(t.surrogates['hermite:3'].failure).toMatch(/numerical failure of the surrogate/);
    expect(t.surrogates['hermite:3'].gen).toBeNaN();
    expect(t.surrogates.cget.failure).toBeUndefined();
    const alone = runTrial({ config, seed: 1, surrogates: [], degreeCap: null });
    expect(alone.nn).toEqual(t.nn);
  });

  it('features that overflowed are an error, never a NaN readout', () => {
    const Z = fromData(2, 2, Float64Array.from([1, Number.POSITIVE_INFINITY, 2, 3]));
    expect(() => fitRidge(Z, Float64Array.from([1, 2]), 1e-2)).toThrow(/not finite/);
  });
});
