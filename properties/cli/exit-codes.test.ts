// check and report end to end on a synthetic theorem registry (no simulation): the exit code is
// non-zero exactly when a claim or control misses its expected verdict, --strict adds 3 for an
// unexplained undecided claim, the last line is the tally, check --json has one shape, and
// --junit / --summary are written (the summary appended, as $GITHUB_STEP_SUMMARY wants).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Decision, Verdict } from '../../src/experiment/verdict.ts';
import type { Theorem } from '../../theorems/types.ts';

/** The verdict each synthetic case's check returns, by example name; tests set it. */
const answers = vi.hoisted(() => ({ current: {} as Record<string, string> }));

vi.mock('../../theorems/index.ts', () => {
  const decision = (verdict: Verdict, ladder: number[]): Decision => ({
    verdict,
    reasons: [`synthetic: ${verdict}`],
    ladder: [{ n: ladder[ladder.length - 1], trials: 6, tolerance: 0.025, relGap: { mean: verdict === 'disagree' ? 0.3 : 0.001, se: 0.01, lo: -0.01, hi: 0.02 }, relGapTrain: { mean: 0, se: 0.01, lo: -0.01, hi: 0.01 } }],
    trend: null,
    tolerance: 'synthetic tolerance',
  });
  const theorem = (id: string): Theorem => ({
    id,
    title: id,
    claim: 'synthetic',
    source: 'test',
    hypotheses: () => ({ applies: true, reasons: ['synthetic'] }),
    quantities: ['gen'],
    variants: { wrong: 'a deliberately wrong variant' },
    check: ({ variant, ladder }) => decision((answers.current[`${id}/${variant ?? 'claim'}`] ?? (variant ? 'disagree' : 'agree')) as Verdict, ladder),
    pinned: [{ name: 'claim', config: {}, expect: 'agree', why: 'synthetic' }],
    negativeControls: [{ name: 'control', config: {}, surrogate: 'wrong', expect: 'disagree', why: 'synthetic' }],
  });
  const THEOREMS = [theorem('synthetic-a'), theorem('synthetic-b')];
  return { THEOREMS, theoremById: (id: string) => THEOREMS.find((t) => t.id === id) };
});

const { main } = await import('../../src/cli/main.ts');

const TMP = mkdtempSync(join(tmpdir(), 'onestep-exit-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
beforeEach(() => {
  answers.current = {};
});

async function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  try {
    return { status: await main(args), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const lastLine = (s: string) => s.trim().split('\n').pop();

describe('check: exit codes follow expectations', () => {
  it('0 when every expectation is met or undecided; 1 exactly when one is missed', async () => {
    expect((await run(['check', '--theorem', 'all', '--tier', 'quick'])).status).toBe(0);
    answers.current = { 'synthetic-b/claim': 'inconclusive' };
    const undecided = await run(['check', '--theorem', 'all', '--tier', 'quick']);
    expect(undecided.status).toBe(0);
    expect(lastLine(undecided.stdout)).toBe('2 checked, expectations: 1 met, 0 missed, 1 undecided → PASS (exit 0)');
    expect((await run(['check', '--theorem', 'all', '--tier', 'quick', '--strict'])).status).toBe(3);
    answers.current = { 'synthetic-a/claim': 'disagree' };
    const missed = await run(['check', '--theorem', 'all', '--tier', 'quick']);
    expect(missed.status).toBe(1);
    expect(lastLine(missed.stdout)).toBe('2 checked, expectations: 1 met, 1 missed, 0 undecided → FAIL (exit 1)');
  });

  it('a case checked by hand (--surrogate) has no expectation: its verdict decides, as before', async () => {
    // The control's variant by hand: 'disagree' is what it should get, but nothing is expected of it here.
    expect((await run(['check', '--theorem', 'synthetic-a', '--tier', 'quick', '--surrogate', 'wrong'])).status).toBe(1);
    answers.current = { 'synthetic-a/wrong': 'inconclusive' };
    expect((await run(['check', '--theorem', 'synthetic-a', '--tier', 'quick', '--surrogate', 'wrong'])).status).toBe(3);
  });

  it('--json is one envelope for one theorem and for several; the tally goes to stderr', async () => {
    for (const theorem of ['synthetic-a', 'all']) {
      const r = await run(['check', '--theorem', theorem, '--tier', 'quick', '--json']);
      const out = JSON.parse(r.stdout);
      expect(Object.keys(out)).toEqual(['schema', 'tier', 'seed', 'strict', 'results', 'tally', 'exitCode']);
      expect(out.schema).toBe('onestep.check/1');
      expect(out.results).toHaveLength(theorem === 'all' ? 2 : 1);
      expect(out.results[0]).toMatchObject({ theorem: 'synthetic-a', example: 'claim', expected: 'agree', verdict: 'agree' });
      expect(out.exitCode).toBe(r.status);
      expect(r.stderr).toMatch(/checked, expectations: .* → PASS \(exit 0\)\n$/);
    }
  });
});

describe('--version and --help', () => {
  it('--version prints the package version; --help documents the exit codes', async () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'));
    expect(await run(['--version'])).toEqual({ status: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const help = await run(['--help']);
    expect(help.stdout).toMatch(/Exit codes: 0 pass; 1 a claim or control missed its expected verdict/);
    for (const command of ['check', 'report']) expect((await run([command, '--help'])).stdout).toMatch(/Exit code: 1 when a claim or control misses its expected verdict/);
  });
});

describe('report: exit codes, tally, --junit and --summary', () => {
  it('exits non-zero exactly when a claim or control misses its expectation, and writes both CI files', async () => {
    const out = join(TMP, 'report');
    const junit = join(TMP, 'r.xml');
    const summary = join(TMP, 'summary.md');
    writeFileSync(summary, 'earlier step\n');
    const ok = await run(['report', '--tier', 'quick', '--out', out, '--junit', junit, '--summary', summary]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(lastLine(ok.stdout)).toBe('4 checked, expectations: 4 met, 0 missed, 0 undecided → PASS (exit 0)');
    expect(readFileSync(junit, 'utf8').match(/<testcase /g)).toHaveLength(4);
    // A control that is not rejected is a missed expectation: the run fails.
    answers.current = { 'synthetic-b/wrong': 'agree' };
    const bad = await run(['report', '--tier', 'quick', '--out', out, '--junit', junit, '--summary', summary]);
    expect(bad.status).toBe(1);
    expect(lastLine(bad.stdout)).toBe('4 checked, expectations: 3 met, 1 missed, 0 undecided → FAIL (exit 1)');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('failures="1"');
    expect(xml).toContain('<failure type="missed" message="expected disagree, got agree;');
    // Appended, not overwritten: the earlier step's text and both runs' summaries are there.
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('earlier step\n')).toBe(true);
    expect(md.match(/^### onestep report/gm)).toHaveLength(2);
    expect(md).toContain('disagree → agree ✗');
    // The HTML carries the expectation column and the tally in its headline.
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('expected → got');
    expect(html).toContain('3 met, 1 missed, 0 undecided');
  });

  it('refuses an unwritable --junit path before any work', async () => {
    const r = await run(['report', '--tier', 'quick', '--out', join(TMP, 'r2'), '--junit', TMP]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^onestep report: --junit: .* is not a writable file\n$/);
    expect(existsSync(join(TMP, 'r2', 'report.json'))).toBe(false);
  });
});
