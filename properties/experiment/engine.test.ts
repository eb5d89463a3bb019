// The ladder engine on synthetic claims: every rule driven to its answer, the budget in seconds
// kept with a fake clock, and a time-budgeted verdict replayed exactly from its look count.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Budget, judgeInterval, type LadderSpec, MIN_DECISIVE_TRIALS, runLadder } from '../../src/experiment/engine.ts';

/** A small seeded generator (mulberry32 + Box–Muller), so each synthetic trial replays from its seed. */
function gaussianOf(seed: number): number {
  let a = (seed * 2654435761) >>> 0;
  const u = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** A claim whose gap at n is g∞ + c·n^−½ + sd·√(200/n)·N(0,1), tolerance 5%·√(200/n). */
export function syntheticClaim(gInf: number, c: number, sd: number, extra: Partial<LadderSpec<number>> = {}): LadderSpec<number> {
  return {
    quantities: ['gen'],
    rule: 'within',
    measure: (n, seed) => gInf + c / Math.sqrt(n) + sd * Math.sqrt(200 / n) * gaussianOf(seed),
    value: (t) => t,
    tolerance: (n) => 0.05 * Math.sqrt(200 / n),
    describeTolerance: 'synthetic: 5%·√(200/n)',
    ...extra,
  };
}

const unlimited: Budget = { seconds: Infinity, initialTrials: 4, maxTrials: 256 };
const ladder = [100, 200, 400];

describe('judging an interval against ±tol', () => {
  it('agree inside, disagree wholly outside, otherwise undecided (touching from outside is not yet a disagreement)', () => {
    const end = fc.double({ min: -0.2, max: 0.2, noNaN: true });
    fc.assert(
      fc.property(end, end, (a, b) => {
        const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
        const tol = 0.025;
        const expected = lo >= -tol && hi <= tol ? 'agree' : lo > tol || hi < -tol ? 'disagree' : 'inconclusive';
        expect(judgeInterval({ mean: (lo + hi) / 2, se: 0, lo, hi }, tol)).toBe(expected);
      }),
    );
    expect(judgeInterval({ mean: 0.05, se: 0, lo: 0.025, hi: 0.05 }, 0.025)).toBe('inconclusive');
    expect(judgeInterval({ mean: 0, se: Infinity, lo: -Infinity, hi: Infinity }, 0.025)).toBe('inconclusive');
  });
});

describe('the within rule', () => {
  it('a gap that vanishes is agreed; by the limit rule when the limit is precise enough, and the reasons say which', () => {
    const noisy = runLadder(syntheticClaim(0, 0.1, 0.02), { ladder, seed: 1, budget: unlimited });
    expect(noisy.verdict).toBe('agree');
    expect(noisy.reasons.join('\n')).toContain(`decided by the ${noisy.rule} rule`);
    // With little noise the limit's own interval fits inside the tolerance.
    const precise = runLadder(syntheticClaim(0, 0.1, 0.002), { ladder, seed: 1, budget: unlimited });
    expect(precise.verdict).toBe('agree');
    expect(precise.rule).toBe('limit');
    expect(precise.limit!.hi - precise.limit!.lo).toBeLessThan(2 * 0.05 * Math.sqrt(0.5));
  });

  it('a largest rung inside the tolerance whose limit estimate lies outside is not agreed', () => {
    // gap(n) = 4.5% − 0.5/√n: 2% at n = 400 (tol 3.54%), 4.5% in the limit; capped before the limit is resolved.
    const d = runLadder(syntheticClaim(0.045, -0.5, 0.03), { ladder, seed: 5, budget: { seconds: Infinity, initialTrials: 4, maxTrials: 24 } });
    expect(d.verdict).not.toBe('agree');
  });

  it('a gap far outside the tolerance is rejected', () => {
    const d = runLadder(syntheticClaim(0.2, 0, 0.02), { ladder, seed: 1, budget: unlimited });
    expect(d.verdict).toBe('disagree');
    expect(['largest-rung', 'limit']).toContain(d.rule);
  });

  it('a gap inside the tolerance at the largest n but heading outside is rejected by the limit', () => {
    // gap(n) = 0.08 − 1.2/√n: 2% at n = 400 (tol 3.5%), but 8% in the limit.
    const d = runLadder(syntheticClaim(0.08, -1.2, 0.005), { ladder, seed: 3, budget: unlimited });
    expect(d.verdict).toBe('disagree');
    expect(d.rule).toBe('limit');
  });

  it('a trial whose gap is not a finite number is a numerical failure: disagree, with the diagnosis', () => {
    for (const bad of [Number.NaN, Infinity]) {
      const spec = syntheticClaim(0, 0, 0.01, { measure: (n, seed) => (n === 400 && seed % 5 === 0 ? bad : 0.001 * gaussianOf(seed)), failure: (t) => (Number.isFinite(t) ? undefined : 'overflow in the surrogate') });
      const d = runLadder(spec, { ladder, seed: 1, budget: unlimited });
      expect(d.verdict).toBe('disagree');
      expect(d.rule).toBe('numerical-failure');
      expect(d.reasons.join('\n')).toContain('overflow in the surrogate');
      expect(d.reasons.join('\n')).not.toContain('NaN%');
    }
  });

  it('no verdict rests on fewer than MIN_DECISIVE_TRIALS trials at the largest rung', () => {
    const d = runLadder(syntheticClaim(0, 0, 1e-6), { ladder, seed: 1, budget: { seconds: Infinity, initialTrials: 2, maxTrials: 64 } });
    expect(d.ladder[d.ladder.length - 1].trials).toBeGreaterThanOrEqual(MIN_DECISIVE_TRIALS);
  });

  it('a claim the cap cannot decide stays undecided and says why', () => {
    // At the boundary the interval straddles the tolerance forever.
    const d = runLadder(syntheticClaim(0.05 * Math.sqrt(0.5), 0, 0.05), { ladder, seed: 2, budget: { seconds: Infinity, initialTrials: 4, maxTrials: 16 } });
    expect(d.verdict).toBe('inconclusive');
    expect(d.rule).toBe('none');
    expect(d.reasons.join('\n')).toContain('trial cap reached (256, 64, 16');
  });
});

describe('the decreasing rule', () => {
  it('agrees when the value falls with n, disagrees when it rises', () => {
    const spec = (slope: number): LadderSpec<number> => ({
      quantities: ['log ratio'],
      rule: 'decreasing',
      measure: (n, seed) => slope * Math.log(n) + 0.05 * gaussianOf(seed),
      value: (t) => t,
      tolerance: () => 0,
      describeTolerance: 'slope < 0',
    });
    expect(runLadder(spec(-0.3), { ladder, seed: 1, budget: unlimited }).verdict).toBe('agree');
    expect(runLadder(spec(0.3), { ladder, seed: 1, budget: unlimited }).verdict).toBe('disagree');
    expect(runLadder(spec(-0.3), { ladder, seed: 1, budget: unlimited }).rule).toBe('trend');
  });
});

describe('the budget in seconds, and replay', () => {
  /** A fake clock: a trial at n costs n³·1e-8 s (0.64 s at n = 400). */
  function fakeClock() {
    let now = 0;
    return { clock: () => now, advance: (n: number) => (now += n ** 3 * 1e-8) };
  }

  it('never starts a batch the budget cannot finish, and says the budget stopped it', () => {
    fc.assert(
      fc.property(fc.double({ min: 3, max: 60, noNaN: true }), fc.integer({ min: 1, max: 1000 }), (seconds, seed) => {
        const f = fakeClock();
        const spec = syntheticClaim(0.03, 0, 0.05, { measure: (n, s) => (f.advance(n), 0.03 + 0.05 * Math.sqrt(200 / n) * gaussianOf(s)) });
        const d = runLadder(spec, { ladder, seed, budget: { seconds, initialTrials: 4, maxTrials: 10_000 }, clock: f.clock });
        // The initial trials are spent whatever the budget; after them, no batch overruns it.
        const initialCost = 4 * (100 ** 3 + 200 ** 3) * 1e-8 + MIN_DECISIVE_TRIALS * 400 ** 3 * 1e-8;
        expect(d.spent!.seconds).toBeLessThanOrEqual(Math.max(seconds, initialCost) + 1e-9);
        if (d.verdict === 'inconclusive') expect(d.reasons.join('\n')).toContain('time budget');
      }),
      { numRuns: 30 },
    );
  });

  it('a time-budgeted verdict replays exactly from its seed and look count, without a clock', () => {
    fc.assert(
      fc.property(fc.double({ min: 3, max: 40, noNaN: true }), fc.integer({ min: 1, max: 1000 }), fc.double({ min: -0.06, max: 0.06, noNaN: true }), (seconds, seed, g) => {
        const f = fakeClock();
        const timed = runLadder(
          syntheticClaim(g, 0, 0.04, { measure: (n, s) => (f.advance(n), g + 0.04 * Math.sqrt(200 / n) * gaussianOf(s)) }),
          { ladder, seed, budget: { seconds, initialTrials: 4, maxTrials: 10_000 }, clock: f.clock },
        );
        const replay = runLadder(syntheticClaim(g, 0, 0.04), { ladder, seed, budget: { seconds: Infinity, initialTrials: 4, maxTrials: 10_000, maxLooks: timed.spent!.looks } });
        expect(replay.verdict).toBe(timed.verdict);
        expect(replay.ladder.map((r) => [r.trials, r.relGap.mean])).toEqual(timed.ladder.map((r) => [r.trials, r.relGap.mean]));
      }),
      { numRuns: 30 },
    );
  });

  it('spends where it narrows the decision: the largest rung while its own interval is undecided, then where the limit gains most per second', () => {
    // A gap heading outside (2% at n = 400, 4.5% in the limit) with a large spread: first the
    // largest rung's interval blocks; once it is inside, the limit blocks, and the cheap rungs buy
    // the most precision per unit cost (n³).
    const looks: string[] = [];
    runLadder(syntheticClaim(0.045, -0.5, 0.06), { ladder, seed: 4, budget: unlimited, onProgress: (m) => m.startsWith('look') && looks.push(m) });
    expect(looks[0]).toContain('at n = 400');
    expect(looks.some((m) => !m.includes('at n = 400')), looks.join('\n')).toBe(true);
  });
});
