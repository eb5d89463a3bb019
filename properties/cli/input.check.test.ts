// The CLI's promise for bad input, case by case: one line on stderr naming the flag (with its
// dashes) or the file, the value and what is allowed; exit code 2; never a stack trace, a hang,
// or NaN/undefined where a number belongs. Each case spawns the installed entry point; the
// cases run concurrently (each is a second of tsx start-up, no simulation beyond n = 100).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '..', '..', 'bin', 'onestep.mjs');
const TMP = mkdtempSync(join(tmpdir(), 'onestep-cli-input-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The command as a user runs it; killed after `timeout` ms (a hang fails the case, not the suite). */
function cli(args: string[], timeout = 30_000, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout, env: { ...process.env, ONESTEP_PROGRESS: '0', ...env } }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      done({ status, stdout, stderr });
    });
  });
}

/** Exit 2, exactly one line on stderr holding every key word, and nothing that is not a message. */
function expectBadInput(r: Run, ...words: (string | RegExp)[]): void {
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  for (const w of words) {
    if (typeof w === 'string') expect(lines[0]).toContain(w);
    else expect(lines[0]).toMatch(w);
  }
  expect(lines[0]).not.toMatch(/internal error|at .*\.ts:\d+|undefined|NaN/);
}

function dir(name: string): string {
  const d = join(TMP, name);
  mkdirSync(d, { recursive: true });
  return d;
}

function file(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}

describe.concurrent('bad data input: Fashion-MNIST (docs/model.md §10), on a synthetic image directory', () => {
  it('a missing class file, a corrupt file, an unknown class and more samples than images: one line, exit 2', async () => {
    const images = dir('fashion');
    const row = new Array(784).fill(7);
    // 30 images per class: a trial at m = 10, test 20 needs 5 + 5 + 10 = 20 per class.
    file(join(images, '0.json'), JSON.stringify({ data: Array.from({ length: 30 }, (_, i) => row.map((v, j) => (v + i * j) % 256)) }));
    file(join(images, '1.json'), '{"data": [[1, 2, 3');
    file(join(images, '2.json'), JSON.stringify({ data: Array.from({ length: 30 }, (_, i) => row.map((v, j) => (v * j + i) % 256)) }));
    const env = { ONESTEP_FASHION_MNIST_DIR: images };
    const small = ['trial', '--data', 'fashion-mnist', '--m-ratio', String(10 / 784), '--test-ratio', '2', '--trials', '1', '--surrogates', 'none'];
    expectBadInput(await cli([...small, '--classes', '0,3'], 30_000, env), '3.json', 'class 3 is missing', 'ONESTEP_FASHION_MNIST_DIR names a directory without it');
    expectBadInput(await cli([...small, '--classes', '0,1'], 30_000, env), '1.json', 'corrupt (not valid JSON');
    expectBadInput(await cli([...small, '--classes', '0,10'], 30_000, env), '--classes', '0,10');
    expectBadInput(await cli([...small, '--classes', '0,2', '--test-ratio', '20'], 30_000, env), 'class 0 has 30 images');
    // The same directory serves a trial that fits (exit 0), so the refusals above are about the input.
    expect((await cli([...small, '--classes', '0,2'], 30_000, env)).status).toBe(0);
    expectBadInput(await cli([...small, '--n', '400'], 30_000, env), '--n', '784');
    expectBadInput(await cli(['check', '--theorem', 'data-universality', '--classes', '0,1'], 30_000, env), '--classes', 'without --data');
  });
});

describe.concurrent('bad input on the command line', () => {
  // 1. Output paths that are files, lie under a file, or cannot be created.
  it('--save-npy, report --out and render refuse a path that is not a usable directory', async () => {
    const plain = file(join(TMP, 'plain-file'), 'x');
    expectBadInput(await cli(['trial', '--n', '20', '--trials', '1', '--save-npy', '/dev/null/x']), '--save-npy', '/dev/null/x', 'cannot be created');
    // mkdir -p of /proc/nope never returns in Node: this must fail fast, not hang.
    if (existsSync('/proc')) expectBadInput(await cli(['trial', '--n', '20', '--trials', '1', '--save-npy', '/proc/nope'], 15_000), '--save-npy', '/proc/nope', 'cannot be created');
    expectBadInput(await cli(['report', '--out', plain]), '--out', plain, 'not a directory');
    expectBadInput(await cli(['render', plain]), plain, 'not a directory');
  });

  // 2. meta.json of --load-npy is checked with the flags' ranges (it is read before any .npy).
  it('--load-npy refuses a bad meta.json, naming the file and the field', async () => {
    const cases: [string, (string | RegExp)[]][] = [
      ['{bad', ['not valid JSON']],
      ['null', ['not a JSON object']],
      ['{"act": "foo", "eta": 1}', ['act', "'foo'", 'one of relu']],
      ['{"lambda": -1, "eta": 1}', ['lambda', '-1', '(0, 1e6]']],
      ['{"eta": -5}', ['eta', '-5', '[0, 1e9]']],
    ];
    for (const [i, [text, words]] of cases.entries()) {
      const d = dir(`meta-${i}`);
      const meta = file(join(d, 'meta.json'), text);
      expectBadInput(await cli(['trial', '--load-npy', d]), '--load-npy', meta, ...words);
    }
  });

  // 3. Flags --load-npy would ignore are refused; the ones it uses are kept.
  it('--load-npy refuses the flags it does not use', async () => {
    const d = dir('load-flags');
    const ignored = ['--surrogates', 'cget', '--n', '50', '--trials', '2', '--seed', '3', '--beta', '0.5', '--save-npy', join(TMP, 'never')];
    expectBadInput(
      await cli(['trial', '--load-npy', d, ...ignored]),
      '--load-npy does not use --surrogates, --n, --trials, --seed, --beta, --save-npy',
      'it takes only --act, --lambda, --eta',
    );
    expect(existsSync(join(TMP, 'never'))).toBe(false);
    // --act, --lambda, --eta are used: with no .npy files the refusal is about those, not the flags.
    expectBadInput(await cli(['trial', '--load-npy', d, '--act', 'tanh', '--lambda', '1e-3', '--eta', '1']), 'X_step.npy', 'is missing');
  });

  // 4. render checks every JSON before writing anything.
  it('render names a bad JSON file and writes nothing; an empty directory is an error', async () => {
    const broken = dir('render-broken');
    const bad = file(join(broken, 'a.json'), '{not json');
    expectBadInput(await cli(['render', broken]), bad, 'not valid JSON');
    const partial = dir('render-partial');
    const point = { panel: 'relu', x: 1, y: null, nn: { train: { mean: 1, se: null }, gen: { mean: 'abc', se: null } }, surrogates: {}, halfVarY: { mean: 1, se: null } };
    const fig = { schema: 'onestep.figure/1', id: 'fig1b', title: 't', n: 10, trialsPerPoint: 1, seed: 1, command: 'c', spec: { x: { label: 'α' }, metric: 'gen' }, points: [point] };
    const figPath = file(join(partial, 'fig1b.json'), JSON.stringify(fig));
    expectBadInput(await cli(['render', partial]), figPath, 'points[0].nn.gen.mean', '"abc"', 'not a number');
    expect(readdirSync(partial)).toEqual(['fig1b.json']);
    const empty = dir('render-empty');
    expectBadInput(await cli(['render', empty]), `no figure or report JSON in ${empty}`);
    const gone = await cli(['render', join(TMP, 'no-such-dir')]);
    expectBadInput(gone, 'does not exist');
    expect(gone.stderr).not.toContain('render: render:');
  });

  it('render writes only beside the JSON: a figure whose id is not its file name is refused', async () => {
    const d = dir('render-escape');
    const sub = join(d, 'sub');
    mkdirSync(sub);
    const fig = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'reports', 'paper', 'fig1b.json'), 'utf8'));
    for (const id of ['../escaped', 'other', '']) {
      const path = file(join(sub, 'fig1b.json'), JSON.stringify({ ...fig, id }));
      expectBadInput(await cli(['render', sub]), path, 'id', "the file's own name, fig1b");
    }
    expect(readdirSync(d)).toEqual(['sub']);
    expect(readdirSync(sub)).toEqual(['fig1b.json']);
  });

  it('outputs that cannot be written are refused before any work; ignored and degenerate inputs are refused', async () => {
    const d = dir('outputs');
    mkdirSync(join(d, 'fig1b.json'));
    const r = await cli(['figure', 'fig1b', '--n', '10', '--trials', '1', '--out', d]);
    expectBadInput(r, '--out', join(d, 'fig1b.json'), 'not a writable file');
    expect(readdirSync(d)).toEqual(['fig1b.json']); // no checkpoint: nothing ran
    const npy = dir('npy-out');
    mkdirSync(join(npy, 'meta.json'));
    expectBadInput(await cli(['trial', '--n', '20', '--trials', '1', '--save-npy', npy]), '--save-npy', 'meta.json', 'not a writable file');
    expectBadInput(await cli(['trial', '--n', '20', '--components', '1', '--rho', '0.3']), '--rho', "'0.3'", 'one component');
    // Labels of 1e-300: their squares underflow, so every relative gap would be 0/0.
    expectBadInput(await cli(['trial', '--n', '20', '--trials', '1', '--target-linear', '0', '--noise', '1e-300']), '--noise', 'below 1e-150');
  });

  it('JSON inputs: special files, deep nesting and huge values are refused in one bounded line', async () => {
    const d = dir('json-inputs');
    expectBadInput(await cli(['check', '--theorem', 'hermite-equivalence', '--config', '/dev/zero'], 10_000), '--config', '/dev/zero', 'not a regular file');
    const deep = file(join(d, 'deep.json'), `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expectBadInput(await cli(['check', '--theorem', 'hermite-equivalence', '--config', deep]), deep, 'nested more than 64 deep');
    const big = file(join(d, 'big.json'), JSON.stringify({ rho: Array(200_000).fill(0.5) }));
    const r = await cli(['check', '--theorem', 'hermite-equivalence', '--config', big]);
    expectBadInput(r, big, 'rho', 'characters in all');
    expect(r.stderr.trim().length).toBeLessThanOrEqual(300);
  });

  // 5 and 9. Checkpoints are validated line by line; --resume without one says so; one trial
  // per point shows no made-up standard error in the Markdown.
  it('figure --resume recomputes the points of a tampered checkpoint, refuses a headless one, and announces a fresh start', async () => {
    const header = JSON.stringify({ header: { id: 'fig1b', n: 10, trials: 1, seed: 1, surrogates: 'hermite:3' } });
    const errors = { train: 0.1, gen: 0.2 };
    const point = (gen: unknown) => JSON.stringify({ key: 'relu||0', panel: 'relu', x: 0, y: null, trials: [{ seed: 1, seconds: 0.1, nn: { ...errors, gen }, surrogates: { 'hermite:3': errors }, halfVarY: 0.3 }] });
    const run = (d: string) => cli(['figure', 'fig1b', '--n', '10', '--trials', '1', '--out', d, '--resume']);
    const tampered = dir('ckpt-tampered');
    const path = file(join(tampered, 'fig1b.checkpoint.jsonl'), `${header}\n${point(0.2)}\n${point('abc')}\n${point(0.2)}\n`);
    const t = await run(tampered);
    expect(t.status, t.stderr).toBe(0);
    // Lines without their inputs and checksum (hand-made, or from an older onestep) are not trusted.
    for (const line of [2, 3, 4]) expect(t.stderr).toContain(`${path}: line ${line} ignored`);
    expect(t.stderr).toContain('its point is recomputed');
    const headless = dir('ckpt-headless');
    file(join(headless, 'fig1b.checkpoint.jsonl'), `${point(0.2)}\n${point(0.2)}\n`);
    expectBadInput(await run(headless), 'line 1', 'not a checkpoint header');
    const other = dir('ckpt-other');
    file(join(other, 'fig1b.checkpoint.jsonl'), `${header.replace('"n":10', '"n":20')}\n`);
    expectBadInput(await run(other), 'belongs to another run', '"n":20');

    const fresh = dir('ckpt-none');
    const r = await run(fresh);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/--resume: no checkpoint at .*fig1b\.checkpoint\.jsonl, starting from the first point/)]);
    const md = readFileSync(join(fresh, 'fig1b.md'), 'utf8');
    expect(md).toContain('± —');
    expect(md).not.toMatch(/± 0\.0%|NaN|null|undefined/);
  });

  // 6. --surrogate only where a theorem compares a surrogate (or names one of its variants).
  it('check refuses --surrogate for theorems without a surrogate of their own', async () => {
    for (const theorem of ['degree-rule', 'oracle-gm-ridge']) {
      expectBadInput(await cli(['check', '--theorem', theorem, '--surrogate', 'cget']), '--surrogate', "'cget'", theorem, 'surrogates apply to hermite-equivalence');
    }
  });

  // 7. Words after the flags are refused everywhere.
  it('extra positional arguments are refused', async () => {
    for (const args of [['report', 'extra'], ['figure', 'fig1b', 'fig1c'], ['degree', '--beta', '0.74', 'extra']]) {
      const word = args[args.length - 1];
      expectBadInput(await cli(args), `unexpected argument '${word}'`, `onestep ${args[0]} --help`);
    }
  });

  // 8. check --config: objects of known keys (or trial --json output) only.
  it('check --config refuses non-objects and unknown keys, accepts {} and trial --json output', async () => {
    const cfg = (name: string, text: string) => file(join(TMP, name), text);
    const check = (path: string) => cli(['check', '--theorem', 'degree-rule', '--config', path]);
    expectBadInput(await check(cfg('c-unknown.json', '{"Act": "tanh"}')), '--config', 'c-unknown.json', "unknown key 'Act'");
    expectBadInput(await check(cfg('c-list.json', '[1, 2]')), '--config', '[1,2] is not allowed', 'JSON object');
    expectBadInput(await check(cfg('c-rho.json', '{"rho": 0.3}')), 'rho: 0.3 is not allowed');
    expectBadInput(await check(cfg('c-range.json', '{"mRatio": 0}')), 'c-range.json: mRatio: 0 is not allowed');
    expect((await check(cfg('c-empty.json', '{}'))).status).toBe(0);
    const trial = await cli(['trial', '--n', '20', '--trials', '1', '--surrogates', 'none', '--json']);
    expect(trial.status, trial.stderr).toBe(0);
    const whole = cfg('c-trial.json', trial.stdout);
    expect((await check(whole)).status).toBe(0);
    const recorded = cfg('c-recorded.json', JSON.stringify(JSON.parse(trial.stdout).config));
    expect((await check(recorded)).status).toBe(0);
    // A key check would ignore, in a configuration of its own, is refused with the reason.
    expectBadInput(await check(cfg('c-seed.json', '{"n": 50, "seed": 3}')), 'c-seed.json', "'seed' is not allowed", 'chooses its own seeds');
  });

  // 10.
  it('degree --beta 1 says no finite degree covers it', async () => {
    const r = await cli(['degree', '--beta', '1']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no finite degree covers β = 1');
    expect(r.stdout).not.toMatch(/Infinity|NaN/);
  });

  // 11.
  it('oracle gm-ridge --rho states one range, (0, 1), at both ends', async () => {
    const base = ['oracle', 'gm-ridge', '--alpha', '1', '--lambda', '1', '--delta', '1', '--rho'];
    expectBadInput(await cli([...base, '0']), "--rho: '0' is not allowed (a number in (0, 1))");
    expectBadInput(await cli([...base, '1']), "--rho: '1' is not allowed (a number in (0, 1))");
  });

  // 12.
  it('oracle get-de refuses a λ too small for a finite prediction', async () => {
    expectBadInput(await cli(['oracle', 'get-de', '--n', '100', '--lambda', '1e-50']), "--lambda: '1e-50' is not allowed", 'take a larger λ');
  });

  // 13. Config fields from flags carry their dashes; a missing command is said on stderr; -h.
  it('ConfigError names flags with dashes; no command says so on stderr; -h is --help', async () => {
    expectBadInput(await cli(['trial', '--rho', '0.7,0.7']), /^onestep trial: --rho: 0.7,0.7 is not allowed/);
    expectBadInput(await cli(['trial', '--surrogates', 'nope']), /^onestep trial: --surrogates: 'nope' is not allowed/);
    for (const args of [[], ['oracle']]) {
      const r = await cli(args);
      expectBadInput(r, 'is needed', 'see onestep');
      expect(r.stdout).toContain('Usage: onestep');
    }
    const help = await cli(['trial', '-h']);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: onestep trial');
  });
});

describe('environment variables', () => {
  it('a bad ONESTEP_THREADS or ONESTEP_BACKEND is refused, not silently ignored', async () => {
    expectBadInput(await cli(['trial', '--n', '40', '--trials', '1'], 30_000, { ONESTEP_THREADS: 'abc' }), 'ONESTEP_THREADS', "'abc'", '[1, 256]');
    expectBadInput(await cli(['trial', '--n', '40', '--trials', '1'], 30_000, { ONESTEP_BACKEND: 'gpu' }), 'ONESTEP_BACKEND', "'gpu'");
  });
});
