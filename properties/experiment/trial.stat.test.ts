// One trial end to end: replay bit for bit, shared draws across models, the NumPy
// cross-check, and the CLI's contract (JSON shape, one-line errors with exit code 2).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig, validateConfig } from '../../src/data/config.ts';
import { runTrial } from '../../src/experiment/trial.ts';
import { parseSurrogateList } from '../../src/surrogates/index.ts';

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
const CLI = join(import.meta.dirname, '..', '..', 'bin', 'onestep.mjs');

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function small(over: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return validateConfig({ ...DEFAULT_CONFIG, n: 60, ...over });
}

describe('trial', () => {
  it('replays bit for bit from the same seed; another seed differs', () => {
    fc.assert(
      fc.property(
        fc.record({
          act: fc.constantFrom('relu', 'tanh', 'sigmoid', 'erf'),
          target: fc.constantFrom('random', 'spike'),
          task: fc.constantFrom('regression', 'classification'),
          seed: fc.noShrink(fc.nat(1_000_000)),
        }),
        ({ act, target, task, seed }) => {
          const config = small({ act: act as 'relu', target: target as 'random', task: task as 'regression', n: 40 });
          const surrogates = parseSurrogateList('hermite:auto,hermite:1,cget,get');
          const run = (s: number) => runTrial({ config, seed: s, surrogates, degreeCap: 4, lemma: true });
          const a = run(seed);
          const b = run(seed);
          const strip = (r: ReturnType<typeof run>) => ({ ...r, seconds: 0 });
          expect(strip(a)).toEqual(strip(b));
          expect(run(seed + 1).nn.gen).not.toBe(a.nn.gen);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('adding a surrogate does not change the network or the other surrogates (shared draws)', () => {
    const config = small({ target: 'spike' });
    const one = runTrial({ config, seed: 5, surrogates: parseSurrogateList('hermite:3'), degreeCap: null });
    const two = runTrial({ config, seed: 5, surrogates: parseSurrogateList('cget,hermite:3,hermite:1'), degreeCap: null });
    expect(two.nn).toEqual(one.nn);
    expect(two.surrogates['hermite:3']).toEqual(one.surrogates['hermite:3']);
    expect(two.baseline).toEqual(one.baseline);
  });

  it('a linear activation with a degree-1 Hermite model is the same model (noise h* = 0)', () => {
    // σ(x) = x is its own degree-1 expansion: the surrogate must reproduce the network to
    // round-off (1e-9 relative covers the different summation order of the features).
    const r = runTrial({ config: small({ act: 'linear' }), seed: 3, surrogates: parseSurrogateList('hermite:1,hermite:4'), degreeCap: null });
    for (const name of ['hermite:1', 'hermite:4']) {
      expect(Math.abs(r.surrogates[name].gen / r.nn.gen - 1)).toBeLessThan(1e-9);
      expect(Math.abs(r.surrogates[name].train / r.nn.train - 1)).toBeLessThan(1e-9);
    }
  });

  it.skipIf(!hasNumpy)('an independent NumPy implementation gets the same errors to 1e-8 relative', () => {
    for (const act of ['relu', 'tanh', 'sigmoid']) {
      const dir = mkdtempSync(join(tmpdir(), `onestep-npy-${act}-`));
      const r = cli(['trial', '--n', '80', '--act', act, '--trials', '1', '--seed', '4', '--k-ratio', '1.5', '--save-npy', dir, '--json']);
      expect(r.status, r.stderr).toBe(0);
      const ours = JSON.parse(r.stdout).trials[0].nn;
      const py = spawnSync('python3', [join(import.meta.dirname, '..', 'fixtures', 'crosscheck_numpy.py'), dir], { encoding: 'utf8' });
      expect(py.status, py.stderr).toBe(0);
      const theirs = JSON.parse(py.stdout);
      // Both are float64 pipelines that differ only in summation order; the ridge solve at
      // λ = 1e-4 amplifies round-off by its condition number (≲ 1e6 here), leaving ~1e-10.
      expect(Math.abs(theirs.train / ours.train - 1)).toBeLessThan(1e-8);
      expect(Math.abs(theirs.gen / ours.gen - 1)).toBeLessThan(1e-8);
      expect(theirs.fhatMaxRelDiff).toBeLessThan(1e-12);
      // And --load-npy recomputes the network from the saved arrays alone.
      const loaded = cli(['trial', '--load-npy', dir, '--json']);
      expect(loaded.status, loaded.stderr).toBe(0);
      const back = JSON.parse(loaded.stdout).trials[0].nn;
      expect(Math.abs(back.gen / ours.gen - 1)).toBeLessThan(1e-12);
      expect(JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')).act).toBe(act);
    }
  });
});

describe('the onestep command', () => {
  it('prints the documented JSON shape', () => {
    const r = cli(['trial', '--n', '50', '--trials', '2', '--surrogates', 'hermite:3,hermite:auto', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['config', 'trials', 'summary']);
    expect(out.trials).toHaveLength(2);
    const t = out.trials[0];
    expect(typeof t.seed).toBe('number');
    expect(t.seconds).toBeGreaterThan(0);
    expect(Object.keys(t.nn)).toEqual(['train', 'gen']);
    expect(Object.keys(t.surrogates)).toEqual(['hermite:3', 'hermite:auto']);
    expect(t.baseline.halfVarY).toBeGreaterThan(0);
    for (const key of ['mean', 'se']) {
      expect(out.summary.nn.train).toHaveProperty(key);
      expect(out.summary['hermite:3'].relGap).toHaveProperty(key);
    }
    // The paired gap is the mean of per-trial gaps.
    const gaps = out.trials.map((x: { nn: { gen: number }; surrogates: Record<string, { gen: number }> }) => (x.surrogates['hermite:3'].gen - x.nn.gen) / x.nn.gen);
    expect(out.summary['hermite:3'].relGap.mean).toBeCloseTo((gaps[0] + gaps[1]) / 2, 14);
  });

  it('bad input: one line naming the flag, the value and the range; exit code 2; no stack', () => {
    const cases: [string[], RegExp][] = [
      [['trial', '--beta', '1.5'], /--beta: '1.5' is not allowed \(a number in \[0, 1\]\)/],
      [['trial', '--n', 'abc'], /--n: 'abc' is not allowed/],
      [['trial', '--act', 'softmax'], /--act: 'softmax' is not allowed \(one of relu, tanh, sigmoid, erf, linear\)/],
      [['trial', '--surrogates', 'hermite:x'], /surrogates: 'hermite:x' is not allowed/],
      [['trial', '--rho', '0.7,0.7'], /rho/],
      [['trial', '--task', 'classification', '--components', '1'], /components ≥ 2/],
      [['trial', '--load-npy', '/nonexistent-dir'], /--load-npy: directory '\/nonexistent-dir' does not exist/],
      [['trial', '--unknown'], /Unknown option '--unknown'/],
      [['degree'], /--beta is required/],
      [['nonsense'], /unknown command 'nonsense'/],
    ];
    for (const [args, pattern] of cases) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
  });

  it('degree --json reports degree, interval and status', () => {
    const r = cli(['degree', '--beta', '0.74', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ beta: 0.74, degree: 3, status: 'inside' });
    expect(JSON.parse(cli(['degree', '--beta', '1', '--json']).stdout)).toMatchObject({ degree: null, status: 'uncovered' });
  });
});
