// --jobs: the number asked for, lowered when that many trials of the size at hand would not fit
// in the memory one trial may use (each worker holds a whole trial).
import { describe, expect, it, vi } from 'vitest';
import { jobsFlag } from '../../src/cli/parallel.ts';
import { DEFAULT_CONFIG, MEMORY_BUDGET_BYTES, sizesOf, validateConfig, workerBytes } from '../../src/data/config.ts';

describe('--jobs', () => {
  it('is what was asked for when the trials fit, and lowered (with a line on stderr) when they do not', () => {
    const small = validateConfig({ ...DEFAULT_CONFIG, n: 200 });
    expect(jobsFlag({ jobs: '8' }, small)).toBe(8);
    // The largest n whose single worker (trial and recycled arrays) fits: two of them do not.
    let n = 200;
    while (workerBytes(sizesOf({ ...DEFAULT_CONFIG, n: n + 500 })) <= MEMORY_BUDGET_BYTES) n += 500;
    const big = validateConfig({ ...DEFAULT_CONFIG, n });
    const fit = Math.max(1, Math.floor(MEMORY_BUDGET_BYTES / workerBytes(sizesOf(big))));
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(jobsFlag({ jobs: '64' }, big)).toBe(fit);
      expect(write).toHaveBeenCalledWith(expect.stringMatching(/--jobs 64 lowered to \d+/));
    } finally {
      write.mockRestore();
    }
    expect(fit).toBeLessThan(64);
  });
});
