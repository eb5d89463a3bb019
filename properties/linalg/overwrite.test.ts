// matrixToOverwrite (src/linalg/matrix.ts) hands recycled storage over as it is, trusting its
// caller to set every entry. Here every array it hands out is first filled with a poison value:
// a trial must give the same numbers with NaN as with 12345.678, or some writer (a product, a
// Gaussian fill, σ, F̂, the Hermite features, the sampler) left an entry unset and would read
// whatever a recycled array held. A pool filled in advance cannot show this: arrays recycled
// within the trial carry the same contents on every run.
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG, validateConfig } from '../../src/data/config.ts';
import { runTrial } from '../../src/experiment/trial.ts';
import { parseSurrogateList } from '../../src/surrogates/index.ts';

const poison = vi.hoisted(() => ({ value: Number.NaN }));

vi.mock('../../src/linalg/matrix.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/linalg/matrix.ts')>();
  return {
    ...original,
    matrixToOverwrite: (rows: number, cols: number) => {
      const m = original.matrixToOverwrite(rows, cols);
      m.data.fill(poison.value);
      return m;
    },
  };
});

describe('storage handed over to be overwritten', () => {
  it('a trial gives the same numbers whatever its overwritten arrays held', () => {
    const config = validateConfig({ ...DEFAULT_CONFIG, n: 300 });
    const run = (value: number) => {
      poison.value = value;
      return runTrial({ config, seed: 6, surrogates: parseSurrogateList('hermite:3,cget'), degreeCap: null });
    };
    const withNaN = run(Number.NaN);
    const withNumber = run(12345.678);
    expect(Number.isFinite(withNaN.nn.gen)).toBe(true);
    expect({ ...withNumber, seconds: 0 }).toEqual({ ...withNaN, seconds: 0 });
  });
});
