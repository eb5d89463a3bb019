// The exact generalisation error over the mixture against the test set it replaces: on the same
// seeds the readouts are identical (the test set plays no part in fitting), so the test-set
// error is an unbiased estimate of the exact one, and their per-trial relative difference must
// average to 0 within its standard error. (On one Gaussian, a 40,000-sample fresh test set holds
// it too: oracle-simulation.stat.test.ts.)
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig, validateConfig } from '../../src/data/config.ts';
import { estimate } from '../../src/experiment/stats.ts';
import { runTrial } from '../../src/experiment/trial.ts';
import { parseSurrogate } from '../../src/surrogates/index.ts';

const TRIALS = 8;

function relativeDifferences(config: ExperimentConfig, surrogate: string): { nn: number[]; surrogate: number[]; gapTest: number[]; gapExact: number[] } {
  const out = { nn: [] as number[], surrogate: [] as number[], gapTest: [] as number[], gapExact: [] as number[] };
  for (let seed = 1; seed <= TRIALS; seed++) {
    const spec = [parseSurrogate(surrogate)];
    const test = runTrial({ config, seed, surrogates: spec, degreeCap: 6 });
    const exact = runTrial({ config, seed, surrogates: spec, degreeCap: 6, exactGen: true });
    expect(exact.genSource).toBe('population');
    expect(test.genSource).toBe('test set');
    // The fits do not depend on the test set: identical training errors, bit for bit.
    expect(exact.nn.train).toBe(test.nn.train);
    out.nn.push((test.nn.gen - exact.nn.gen) / exact.nn.gen);
    out.surrogate.push((test.surrogates[surrogate].gen - exact.surrogates[surrogate].gen) / exact.surrogates[surrogate].gen);
    out.gapTest.push((test.surrogates[surrogate].gen - test.nn.gen) / test.nn.gen);
    out.gapExact.push((exact.surrogates[surrogate].gen - exact.nn.gen) / exact.nn.gen);
  }
  return out;
}

const SETTINGS: [string, Partial<ExperimentConfig>, string][] = [
  ['ReLU, paper setting', { act: 'relu' }, 'hermite:auto'],
  ['tanh, paper setting', { act: 'tanh' }, 'hermite:auto'],
  ['sigmoid, rank 2, partly aligned components', { act: 'sigmoid', rank: 2, align: 0.5 }, 'hermite:2'],
  ['ReLU, label noise, three components', { act: 'relu', noise: 0.3, components: 3, rho: [0.2, 0.3, 0.5] }, 'hermite:1'],
];

describe('exact generalisation error over the mixture vs the test set (n = 200, 8 seeds)', () => {
  for (const [name, overrides, surrogate] of SETTINGS) {
    it(`${name} (${surrogate}): the test-set error is unbiased for the exact one`, () => {
      const config = validateConfig({ ...DEFAULT_CONFIG, n: 200, ...overrides });
      const d = relativeDifferences(config, surrogate);
      for (const [model, values] of [['nn', d.nn], [surrogate, d.surrogate]] as const) {
        const e = estimate(values);
        // The mean relative difference is 0 in expectation; allow t_{0.9995, 7}·SE = 5.41·SE (SciPy
        // 1.17: a 0.1% two-sided false-failure rate per check, 8 checks here) plus a 1e-9 floor.
        const allowed = 5.41 * (e.se ?? Infinity) + 1e-9;
        expect(Math.abs(e.mean), `${model}: ${values.map((v) => v.toFixed(4)).join(', ')}`).toBeLessThanOrEqual(allowed);
      }
      // The exact error removes the test set's share of the paired gap's spread (printed for the notes).
      const sdTest = (estimate(d.gapTest).se ?? NaN) * Math.sqrt(TRIALS);
      const sdExact = (estimate(d.gapExact).se ?? NaN) * Math.sqrt(TRIALS);
      console.log(`${name}: paired gap SD per trial, test set ${(100 * sdTest).toFixed(2)}% → exact ${(100 * sdExact).toFixed(2)}%`);
    });
  }

  it('gives way to the test set where it does not apply (classification, component means, strongly correlated neurons without a closed form)', () => {
    for (const overrides of [{ task: 'classification' as const }, { meanNorm: 1 }, { act: 'sigmoid' as const, alpha: 0, target: 'spike' as const, beta: 0.9 }]) {
      const config = validateConfig({ ...DEFAULT_CONFIG, n: 100, ...overrides });
      expect(runTrial({ config, seed: 1, surrogates: [], degreeCap: null, exactGen: true }).genSource).toBe('test set');
    }
  });
});
