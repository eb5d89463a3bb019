// zeros() on recycled storage: what a recycled array may be given to, and that it comes back
// as zeros. The pool changes where memory comes from, never a value: a trial's numbers are the
// same with a cold and a warm pool. That a writer handed storage by matrixToOverwrite sets every
// entry is overwrite.test.ts's to show: a warm pool cannot (a writer that left F̂'s last entry
// unset passed here, since arrays recycled within a trial hold the same values on every run).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, validateConfig } from '../../src/data/config.ts';
import { runTrial } from '../../src/experiment/trial.ts';
import { fromData, matrixToOverwrite, POOL_LIMIT_BYTES, recycle, zeros } from '../../src/linalg/matrix.ts';
import { parseSurrogateList } from '../../src/surrogates/index.ts';

const BIG = 1 << 18; // the smallest length the pool keeps (2 MB)

describe('zeros on recycled storage', () => {
  it('a recycled array comes back from zeros of its length, all zeros, once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.double({ noNaN: false }), (extra, fill) => {
        const length = BIG + extra;
        const a = zeros(1, length);
        a.data.fill(fill);
        recycle(a, a); // twice: kept once
        const b = zeros(length, 1);
        expect(b.data === a.data).toBe(true); // identity only: printing 2 MB arrays is slow
        expect([b.rows, b.cols]).toEqual([length, 1]);
        let firstNonZero = -1;
        for (let i = 0; i < length && firstNonZero < 0; i++) if (!Object.is(b.data[i], 0)) firstNonZero = i;
        expect(firstNonZero).toBe(-1);
        expect(zeros(1, length).data === a.data).toBe(false); // given out once only
      }),
      { numRuns: 8 },
    );
  });

  it('matrixToOverwrite hands recycled storage over as it is (its writer sets every entry), else fresh zeros', () => {
    const a = zeros(1, BIG);
    a.data.fill(7);
    recycle(a);
    const b = matrixToOverwrite(BIG, 1);
    expect(b.data === a.data).toBe(true);
    expect(b.data[BIG - 1]).toBe(7);
    const c = matrixToOverwrite(1, BIG);
    expect(c.data === a.data).toBe(false);
    expect(c.data[0]).toBe(0);
  });

  it('a full pool drops the lengths handed back longest ago, and keeps the newest', () => {
    const limit = POOL_LIMIT_BYTES / 8; // in doubles
    const lengths = [1, 2, 3, 4, 5].map((i) => Math.floor(limit / 4) - i); // five just under a quarter: one too many
    const arrays = lengths.map((length) => zeros(1, length));
    for (const a of arrays) recycle(a);
    const back = lengths.map((length) => matrixToOverwrite(1, length).data);
    expect(back.map((b, i) => b === arrays[i].data)).toEqual([false, true, true, true, true]);
  });

  it('small arrays and views into a larger buffer are never reused', () => {
    const small = zeros(1, BIG - 1);
    recycle(small);
    expect(zeros(1, BIG - 1).data === small.data).toBe(false);
    const whole = new Float64Array(2 * BIG);
    const view = fromData(1, BIG, whole.subarray(BIG));
    const head = fromData(1, BIG, whole.subarray(0, BIG));
    recycle(view, head);
    const next = zeros(1, BIG);
    expect(next.data.buffer === whole.buffer).toBe(false);
  });

  it('a trial gives the same numbers on a cold pool and on a warm one', () => {
    const config = validateConfig({ ...DEFAULT_CONFIG, n: 600 }); // test blocks and ridge arrays above 2 MB
    const run = () => runTrial({ config, seed: 11, surrogates: parseSurrogateList('hermite:3,cget'), degreeCap: null });
    const first = run();
    const second = run();
    expect({ ...second, seconds: 0 }).toEqual({ ...first, seconds: 0 });
  });

  // runTrial hands its step and ridge inputs, F, G and F̂ back when it returns; never the arrays
  // a caller asked to keep (--save-npy), which the next trial would otherwise overwrite.
  it('a trial’s kept arrays survive the next trial, and a trial after handed-back ones gives its cold numbers', () => {
    const config = validateConfig({ ...DEFAULT_CONFIG, n: 600 });
    const surrogates = parseSurrogateList('hermite:3');
    const kept = runTrial({ config, seed: 5, surrogates, degreeCap: null, keepArrays: true }).arrays!;
    const copies = [kept.stepSet.X, kept.ridgeSet.X, kept.F0, kept.Fhat].map((m) => Float64Array.from(m.data));
    const cold = runTrial({ config, seed: 6, surrogates, degreeCap: null }); // takes recycled storage, hands its own back
    runTrial({ config, seed: 7, surrogates, degreeCap: null });
    [kept.stepSet.X, kept.ridgeSet.X, kept.F0, kept.Fhat].forEach((m, i) => expect(Buffer.compare(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength), Buffer.from(copies[i].buffer))).toBe(0));
    const warm = runTrial({ config, seed: 6, surrogates, degreeCap: null });
    expect({ ...warm, seconds: 0 }).toEqual({ ...cold, seconds: 0 });
  });
});
