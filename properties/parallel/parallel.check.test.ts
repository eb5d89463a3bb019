// Parallel trials change the time, never the answer: a claim checked on two worker threads, a
// figure's sweep and a run of trials give exactly (bit for bit) what they give in one thread.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parallel } from '../../src/cli/parallel.ts';
import type { LadderSpec, TrialRunner } from '../../src/experiment/engine.ts';
import { DEFAULT_CONFIG, isImageData, validateConfig } from '../../src/data/config.ts';
import { figureById } from '../../src/report/figures.ts';
import { runSweep } from '../../src/report/sweep.ts';
import { srfAlphaFigure, srfFigureLargestConfig } from '../../src/report/srf-figure.ts';
import { runCuiTrialTask } from '../../src/experiment/cui-protocol.ts';
import { sizesOf } from '../../src/data/config.ts';
import { THEOREMS, theoremById } from '../../theorems/index.ts';
import { ladderSpecOf } from '../../theorems/remote.ts';
import { runCheck } from '../../theorems/run.ts';

const workers = parallel(2);
afterAll(() => workers.close());

/** A report without its timings (the only thing that may differ). */
function withoutTimes(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === 'seconds' || k === 'spent' || k === 'reasons' ? undefined : v)));
}

describe('parallel trials', () => {
  // Trial caps only (no clock), so the looks, trials and verdict are a function of the seed.
  const budget = { seconds: Infinity, maxTrials: 8 };
  const cases = [
    { theorem: 'hermite-equivalence', surrogate: undefined },
    { theorem: 'hermite-equivalence', surrogate: 'hermite:1' },
    { theorem: 'oracle-mei-montanari', surrogate: undefined },
    { theorem: 'gradient-spike', surrogate: undefined },
  ];
  for (const c of cases) {
    it(`${c.theorem}${c.surrogate ? ` (${c.surrogate})` : ''}: the same decision on 2 workers as in one thread`, () => {
      const theorem = theoremById(c.theorem)!;
      const opts = { theorem, config: theorem.pinned[0].config, tier: 'quick' as const, seed: 5, surrogate: c.surrogate, ladder: [60, 120], budget };
      const alone = runCheck(opts);
      let batches = 0;
      const counted: TrialRunner = {
        jobs: workers.jobs,
        measure<T>(spec: LadderSpec<T>, n: number, seeds: readonly number[]): T[] {
          batches++;
          return workers.measure(spec, n, seeds);
        },
      };
      const shared = runCheck({ ...opts, runner: counted });
      expect(batches).toBeGreaterThan(0); // the trials did run on the workers
      expect(withoutTimes(shared)).toEqual(withoutTimes(alone));
      expect(shared.spent?.trials).toBe(alone.spent?.trials);
      // Reasons carry seconds; everything else in them must match.
      expect(shared.reasons.map((r) => r.replace(/[\d.]+ s\b/g, 'T s'))).toEqual(alone.reasons.map((r) => r.replace(/[\d.]+ s\b/g, 'T s')));
    });
  }

  it('every custom check names a spec a worker can rebuild, and the rebuilt spec measures the same trial', () => {
    // degree-rule is exact arithmetic: no trials to spread.
    for (const t of THEOREMS.filter((x) => x.check && x.id !== 'degree-rule')) {
      expect(t.ladder, t.id).toBeTypeOf('function');
      const config = validateConfig({ ...DEFAULT_CONFIG, ...t.pinned[0].config });
      const spec = t.ladder!(config);
      // Without a remote description its trials would silently run in turn.
      const rebuilt = ladderSpecOf(spec.remote ?? { kind: 'none', args: null });
      expect(rebuilt.remote, t.id).toEqual(spec.remote);
      expect(rebuilt.quantities, t.id).toEqual(spec.quantities);
      expect(rebuilt.describeTolerance, t.id).toBe(spec.describeTolerance);
      // A trial of each at a small n (claims on images need the images, which tests never fetch).
      if (!isImageData(config)) expect(withoutTimes(rebuilt.measure(60, 7)), t.id).toEqual(withoutTimes(spec.measure(60, 7)));
    }
  });

  it('a figure sweep and a run of trials give the same numbers on 2 workers', () => {
    const spec = { ...figureById('fig1b')!, panels: [{ name: 'relu', config: { act: 'relu' as const } }] };
    const base = { spec, n: 40, trials: 3, seed: 2, command: 'test', resume: false };
    const one = runSweep({ ...base, outDir: mkdtempSync(join(tmpdir(), 'par-1-')) });
    const dir = mkdtempSync(join(tmpdir(), 'par-2-'));
    const two = runSweep({ ...base, outDir: dir, runTrials: workers.trials });
    expect(withoutTimes(two.points)).toEqual(withoutTimes(one.points));
    // Every point was checkpointed once, whatever order its trials landed in.
    const lines = readFileSync(join(dir, `${spec.id}.checkpoint.jsonl`), 'utf8').trim().split('\n');
    expect(lines.length).toBe(1 + one.points.length);

    const config = validateConfig({ ...DEFAULT_CONFIG, n: 80, act: 'tanh' });
    const tasks = Array.from({ length: 5 }, (_, i) => ({ config, seed: 10 + i, surrogates: 'hermite:auto,cget', degreeCap: null }));
    const here = parallel(1).trials(tasks);
    expect(withoutTimes(workers.trials(tasks))).toEqual(withoutTimes(here));
  });

  it('Cui et al.’s learning-curve figure gives the same numbers on 2 workers', () => {
    let landed = 0;
    const one = srfAlphaFigure(30, 2, 5, 'test');
    const two = srfAlphaFigure(30, 2, 5, 'test', () => landed++, (tasks, onResult) => workers.run('cui-trial', tasks, runCuiTrialTask, onResult));
    expect(two).toEqual(one);
    expect(landed).toBe(2 * one.points.length);
    // Its memory bound is a trial of its own sizes: n = k = d, m = 3d (α up to 3), m̃ = 2d.
    const largest = sizesOf(validateConfig({ ...DEFAULT_CONFIG, ...srfFigureLargestConfig(600) }));
    expect([largest.n, largest.k, largest.m, largest.mStep]).toEqual([600, 600, 1800, 1200]);
  });
});
