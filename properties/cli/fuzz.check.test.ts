// Bad input never becomes a number: generated bad or edge-case inputs for every command — flag
// values, --config files, .npy directories, figure checkpoints, output paths and environment
// variables — run through the command in this process. Whatever comes in, the command either
// refuses it (exit 2, one line of at most 300 characters that names the flag or the file) or
// answers with finite numbers (exit 0; check's verdicts 0, 1, 3); it never fails internally,
// never prints a stack, NaN, null errors or undefined. `npm test` runs a few cases per category;
// ONESTEP_FUZZ_RUNS=N (or the stress tier: 200 each) runs N per category and prints the counts.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { stepLayer } from '../../src/experiment/stages.ts';
import { readMatrix, readVector } from '../../src/io/npy.ts';
import { activation } from '../../src/math/activations.ts';
import { applyActivation, preactivations } from '../../src/model/network.ts';
import { linalg, useBackend } from '../../src/linalg/index.ts';

const RUNS = Number(process.env.ONESTEP_FUZZ_RUNS ?? (process.env.ONESTEP_TIER === 'stress' ? 200 : 8));
const TMP = mkdtempSync(join(tmpdir(), 'onestep-fuzz-'));
// Generated output paths are often relative ('-1', '0x10', …): they land in the scratch
// directory, never in the repository the suite runs from.
const HOME = process.cwd();
process.chdir(TMP);
afterAll(() => {
  process.chdir(HOME);
  rmSync(TMP, { recursive: true, force: true });
});

interface Outcome {
  status: number;
  stdout: string;
  stderr: string;
}

/** The command in this process, its output captured and the global backend restored after it. */
async function run(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const backend = linalg().name;
  Object.assign(process.env, env, { ONESTEP_PROGRESS: '0' });
  try {
    return { status: await main(args), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    useBackend(backend);
  }
}

/** Counts per category, printed at the end of a long run. */
const counts: Record<string, { refused: number; answered: number }> = {};

/**
 * The promise for one outcome; `names` are the flags or files a refusal may name, `given` a value
 * the user typed (an output directory called 'NaN' is echoed, not computed).
 */
function judge(category: string, args: string[], r: Outcome, names: string[], given = ''): void {
  const what = `${category}: onestep ${args.join(' ').slice(0, 200)}`;
  // check answers with its verdict: 0 agree, 1 disagree, 3 inconclusive; everything else 0.
  const answers = args[0] === 'check' ? [0, 1, 3] : [0];
  expect([...answers, 2], `${what}\n${r.stderr}`).toContain(r.status);
  expect(r.stderr, what).not.toMatch(/internal error|\n\s+at .*:\d+:\d+/);
  const c = (counts[category] ??= { refused: 0, answered: 0 });
  if (r.status === 2) {
    c.refused++;
    const lines = r.stderr.trim().split('\n');
    expect(lines, what).toHaveLength(1);
    expect(lines[0].length, what).toBeLessThanOrEqual(300);
    expect(names.some((n) => lines[0].includes(n)), `${what}\n${lines[0]}\nshould name one of ${names.join(', ')}`).toBe(true);
  } else {
    c.answered++;
    if (r.status === 1) expect(r.stdout, what).toMatch(/disagree/);
    // Progress notes may go to stderr; the answer itself holds only finite numbers.
    const answer = given === '' ? r.stdout : r.stdout.split(given).join('');
    // A number printed as NaN or ±Infinity (after '=', ':', '±', '[', '(' or as a percentage), a null
    // error in JSON, or undefined; a sentence that explains a failure in words is fine.
    expect(answer, what).not.toMatch(/(=|:|±|\[|\()\s*-?(NaN|Infinity)\b|\b(NaN|Infinity)%|"(train|gen|risk|error)": null|undefined/);
  }
}

/** Values that are wrong for most flags, and some that are merely odd. */
const badValue = fc.oneof(
  fc.constantFrom('', ' ', 'abc', '0x10', '0b1', '1e999', '-1', '-0', 'NaN', 'Infinity', '1,,2', ',', '-', '1e-400', '99999999999', '0', '1.5', '3', 'relu', 'none'),
  fc.string({ maxLength: 12 }),
  fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 400 }).map((a) => a.join(',')),
);

/** Each command with arguments that make it valid and cheap, and the flags its --help lists. */
async function commands(): Promise<{ name: string; base: string[]; flags: string[] }[]> {
  const out = dirFor('cmd-out');
  const specs: [string, string[]][] = [
    ['trial', ['trial', '--n', '12', '--trials', '1', '--surrogates', 'none']],
    ['degree', ['degree', '--beta', '0.6']],
    ['check', ['check', '--theorem', 'hermite-equivalence', '--ladder', '12']],
    ['figure', ['figure', 'fig2b', '--n', '10', '--trials', '1', '--out', out]],
    ['oracle mm', ['oracle', 'mm', '--psi1', '1', '--psi2', '2', '--lambda-mm', '0.1']],
    ['oracle get-de', ['oracle', 'get-de', '--n', '12']],
    ['oracle gm-ridge', ['oracle', 'gm-ridge', '--alpha', '2', '--rho', '0.5', '--delta', '0.5', '--lambda', '0.1']],
    ['oracle srf', ['oracle', 'srf', '--spectrum', 'limit', '--d', '50']],
    ['backends', ['backends']],
  ];
  const all = [];
  for (const [name, base] of specs) {
    const help = await run([...base.slice(0, name.split(' ').length), '--help']);
    const flags = [...help.stdout.matchAll(/^\s+--([a-z0-9-]+)/gm)].map((m) => m[1]).filter((f) => !['help', 'json', 'resume', 'lemma', 'list'].includes(f));
    all.push({ name, base, flags });
  }
  return all;
}

/** An upper bound on the condition number of the ridge system of a --load-npy directory. */
function conditionBound(dir: string): number {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  const F0 = readMatrix(join(dir, 'F0.npy'));
  const X = readMatrix(join(dir, 'X.npy'));
  const { Fhat } = stepLayer({ F: F0, w: readVector(join(dir, 'w0.npy')) }, { X: readMatrix(join(dir, 'X_step.npy')), y: readVector(join(dir, 'y_step.npy')) }, activation(meta.act), meta.eta);
  const Z = applyActivation(preactivations(X, Fhat), activation(meta.act).f);
  const trace = Z.data.reduce((t, v) => t + v * v, 0) / Fhat.rows;
  const ridge = meta.lambda * X.rows;
  return (trace + ridge) / ridge;
}

function dirFor(name: string): string {
  const d = join(TMP, name);
  mkdirSync(d, { recursive: true });
  return d;
}

describe('fuzz: bad input never becomes a number', () => {
  it(`flag values, every command (${RUNS} each)`, async () => {
    const cmds = await commands();
    for (const c of cmds) {
      if (c.flags.length === 0) continue;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...c.flags), badValue, async (flag, value) => {
          // A flag the base sets is replaced (the parser keeps the last), so every flag is reachable.
          const args = [...c.base, `--${flag}=${value}`];
          judge('flags', args, await run(args), [`--${flag}`, c.name.split(' ').pop()!], value);
        }),
        { numRuns: RUNS },
      );
    }
  });

  it(`--config files (${RUNS})`, async () => {
    const keys = ['n', 'beta', 'alpha', 'rho', 'components', 'rank', 'act', 'theta', 'eta', 'lambda', 'noise', 'spikes', 'stepScale', 'zzz'];
    const config = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.dictionary(fc.constantFrom(...keys), fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.double(), fc.integer({ min: -5, max: 1e6 }))),
    );
    let i = 0;
    await fc.assert(
      fc.asyncProperty(config, async (value) => {
        const path = join(dirFor('configs'), `c${i++}.json`);
        writeFileSync(path, JSON.stringify(value) ?? 'undefined');
        const args = ['check', '--theorem', 'hermite-equivalence', '--ladder', '12', '--config', path];
        judge('config', args, await run(args), ['--config', path]);
      }),
      { numRuns: RUNS },
    );
  });

  it(`.npy directories, both backends answering alike (${RUNS})`, async () => {
    const good = dirFor('npy-good');
    expect((await run(['trial', '--n', '10', '--trials', '1', '--surrogates', 'none', '--save-npy', good])).status).toBe(0);
    const files = readdirSync(good).filter((f) => f.endsWith('.npy') && f !== 'F_hat.npy');
    const damage = fc.record({
      file: fc.constantFrom(...files),
      how: fc.constantFrom('none', 'scale', 'bytes', 'truncate', 'nan', 'inf', 'shape', 'dtype', 'delete', 'empty'),
      at: fc.nat(),
      bytes: fc.uint8Array({ maxLength: 64 }),
    });
    let i = 0;
    await fc.assert(
      fc.asyncProperty(damage, async (d) => {
        const dir = join(TMP, `npy-${i++}`);
        cpSync(good, dir, { recursive: true });
        const path = join(dir, d.file);
        const raw = readFileSync(path);
        const header = 10 + raw.readUInt16LE(8);
        const data = new Float64Array(raw.buffer.slice(raw.byteOffset + header, raw.byteOffset + raw.length));
        if (d.how === 'bytes') writeFileSync(path, d.bytes);
        if (d.how === 'truncate') writeFileSync(path, raw.subarray(0, d.at % raw.length));
        if (d.how === 'nan' || d.how === 'inf' || d.how === 'scale') {
          // 'scale': a valid but unusual input (one entry 1e6 times larger) that must be answered alike.
          data[d.at % data.length] = d.how === 'nan' ? Number.NaN : d.how === 'inf' ? -Infinity : data[d.at % data.length] * 1e6;
          writeFileSync(path, Buffer.concat([raw.subarray(0, header), Buffer.from(data.buffer)]));
        }
        if (d.how === 'shape') writeFileSync(path, Buffer.from(raw.toString('latin1').replace(/'shape': \((\d+)/, (_m, a) => `'shape': (${Number(a) + 1}`), 'latin1'));
        if (d.how === 'dtype') writeFileSync(path, Buffer.from(raw.toString('latin1').replace("'<f8'", "'<c8'"), 'latin1'));
        if (d.how === 'delete') rmSync(path);
        if (d.how === 'empty') writeFileSync(path, '');
        const answers = [];
        for (const backend of ['native', 'reference']) {
          if (backend === 'native' && !(await run(['backends'])).stdout.includes('native: loaded')) continue;
          const args = ['trial', '--load-npy', dir, '--backend', backend, '--json'];
          const r = await run(args);
          judge('npy', args, r, [path, dir, '--lambda']);
          answers.push(r.status === 0 ? JSON.parse(r.stdout).trials[0].nn : r.status);
        }
        // Both backends refuse, or both answer the same numbers up to what the ridge system's
        // conditioning allows: their products round differently (~1e-15 relative), and the solve
        // amplifies that by at most κ ≤ (Tr ZᵀZ + λm)/(λm); so |Δ| ≤ max(1e-8, 1e-13·κ), two
        // orders above that floor. An unusual but valid input (one entry 1e6 larger) reaches κ ~ 1e14.
        if (answers.length === 2) {
          if (typeof answers[0] === 'number' || typeof answers[1] === 'number') expect(answers[0]).toEqual(answers[1]);
          else {
            const tol = Math.max(1e-8, 1e-13 * conditionBound(dir));
            for (const q of ['train', 'gen'] as const) expect(Math.abs(answers[0][q] / answers[1][q] - 1), `${q}, tolerance ${tol}`).toBeLessThanOrEqual(tol);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`figure checkpoints, damaged line by line (${RUNS})`, async () => {
    const clean = dirFor('ckpt-clean');
    const base = ['figure', 'fig2b', '--n', '10', '--trials', '1'];
    expect((await run([...base, '--out', clean])).status).toBe(0);
    const expected = JSON.parse(readFileSync(join(clean, 'fig2b.json'), 'utf8')).points;
    const text = readFileSync(join(clean, 'fig2b.checkpoint.jsonl'), 'utf8');
    const strip = (points: { trials: { seconds: number }[] }[]) => points.map((p) => ({ ...p, trials: p.trials.map((t) => ({ ...t, seconds: 0 })) }));
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.string({ maxLength: 8 }), fc.constantFrom('cut', 'replace', 'insert', 'drop-line', 'dup-line'), async (a, b, junk, how) => {
        const lines = text.split('\n');
        const k = a % lines.length;
        if (how === 'cut') lines[k] = lines[k].slice(0, b % (lines[k].length + 1));
        if (how === 'replace' && lines[k].length > 0) {
          const at = b % lines[k].length;
          lines[k] = lines[k].slice(0, at) + junk + lines[k].slice(at + junk.length);
        }
        if (how === 'insert') lines.splice(k, 0, junk);
        if (how === 'drop-line') lines.splice(k, 1);
        if (how === 'dup-line') lines.splice(k, 0, lines[k]);
        const dir = dirFor(`ckpt-${i++}`);
        const path = join(dir, 'fig2b.checkpoint.jsonl');
        writeFileSync(path, lines.join('\n'));
        const args = [...base, '--out', dir, '--resume'];
        const r = await run(args);
        // Resumed to the uninterrupted result, or refused (a header that is not this run's).
        if (r.status === 0) {
          expect(strip(JSON.parse(readFileSync(join(dir, 'fig2b.json'), 'utf8')).points)).toEqual(strip(expected));
          counts.checkpoint = { refused: counts.checkpoint?.refused ?? 0, answered: (counts.checkpoint?.answered ?? 0) + 1 };
        } else judge('checkpoint', args, r, [path]);
      }),
      { numRuns: RUNS },
    );
  });

  it(`output paths and environment variables (${RUNS} each)`, async () => {
    const file = join(TMP, 'a-file');
    writeFileSync(file, 'x');
    const outputs = fc.constantFrom('/dev/null/x', file, join(file, 'sub'), '/proc/onestep-fuzz', '', ' ', join(TMP, 'new', 'deeper'));
    await fc.assert(
      fc.asyncProperty(outputs, fc.constantFrom('figure', 'save-npy', 'render'), async (path, cmd) => {
        const args =
          cmd === 'figure' ? ['figure', 'fig2b', '--n', '10', '--trials', '1', '--out', path] : cmd === 'save-npy' ? ['trial', '--n', '10', '--trials', '1', '--surrogates', 'none', '--save-npy', path] : ['render', path];
        judge('outputs', args, await run(args), ['--out', '--save-npy', path.trim() === '' ? 'directory' : path, 'a directory is needed']);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('ONESTEP_BACKEND', 'ONESTEP_THREADS', 'ONESTEP_JOBS'), badValue, async (name, value) => {
        const args = ['backends'];
        judge('environment', args, await run(args, { [name]: value }), [name]);
      }),
      { numRuns: RUNS },
    );
    if (RUNS >= 50) console.log(`fuzz counts (runs per category ${RUNS}): ${JSON.stringify(counts)}`);
  });
});
