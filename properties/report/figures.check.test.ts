// Figures: every id plans its points, a sweep killed halfway resumes to the same result, and
// SVG/Markdown are made from the JSON alone.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIGURES, figureById } from '../../src/report/figures.ts';
import { figureMarkdown, toSvg, vegaLiteSpec } from '../../src/report/render.ts';
import { planPoints, runSweep } from '../../src/report/sweep.ts';

const CLI = join(import.meta.dirname, '..', '..', 'bin', 'onestep.mjs');

describe('figures', () => {
  it('every figure plans valid configurations at its default n', () => {
    for (const f of FIGURES) {
      const plan = planPoints(f, f.n);
      expect(plan.length).toBe(f.panels.length * f.x.values.length * (f.y?.values.length ?? 1));
      expect(new Set(plan.map((p) => p.key)).size).toBe(plan.length);
    }
  });

  it('a sweep interrupted after two points resumes to exactly the uninterrupted result', () => {
    const spec = { ...figureById('fig1b')!, panels: [{ name: 'relu', config: { act: 'relu' as const } }] };
    const whole = mkdtempSync(join(tmpdir(), 'fig-whole-'));
    const parts = mkdtempSync(join(tmpdir(), 'fig-parts-'));
    const base = { spec, n: 40, trials: 2, seed: 3, command: 'test' };
    const full = runSweep({ ...base, outDir: whole, resume: false });
    let finished = 0;
    expect(() =>
      runSweep({
        ...base,
        outDir: parts,
        resume: false,
        onProgress: () => {
          if (++finished === 2) throw new Error('killed');
        },
      }),
    ).toThrow('killed');
    const lines = readFileSync(join(parts, 'fig1b.checkpoint.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3); // header + 2 points
    let resumedRuns = 0;
    const resumed = runSweep({ ...base, outDir: parts, resume: true, onProgress: () => resumedRuns++ });
    expect(resumedRuns).toBe(spec.x.values.length - 2);
    const strip = (r: typeof full) => r.points.map((p) => ({ ...p, trials: p.trials.map((t) => ({ ...t, seconds: 0 })) }));
    expect(strip(resumed)).toEqual(strip(full));
    // A checkpoint from another run is refused, not silently mixed in.
    expect(() => runSweep({ ...base, trials: 3, outDir: parts, resume: true })).toThrow(/belongs to another run/);
    rmSync(whole, { recursive: true });
    rmSync(parts, { recursive: true });
  });

  it('a damaged checkpoint resumes to the uninterrupted result: every bad line is recomputed, never trusted', () => {
    const spec = { ...figureById('fig1b')!, panels: [{ name: 'relu', config: { act: 'relu' as const } }] };
    const base = { spec, n: 30, trials: 2, seed: 5, command: 'test' };
    const whole = mkdtempSync(join(tmpdir(), 'fig-whole-'));
    const full = runSweep({ ...base, outDir: whole, resume: false });
    const text = readFileSync(join(whole, 'fig1b.checkpoint.jsonl'), 'utf8');
    const lines = text.trim().split('\n'); // header + 5 points
    const strip = (r: typeof full) => r.points.map((p) => ({ ...p, trials: p.trials.map((t) => ({ ...t, seconds: 0 })) }));
    // A forger who also recomputes the checksum (sha256 of the line without it) is still caught
    // by the key's panel and x, the inputs digest, the seeds or the finiteness of the network's errors.
    const resealed = (line: string, edit: (o: Record<string, unknown>) => void): string => {
      const o = JSON.parse(line);
      delete o.checksum;
      edit(o);
      return JSON.stringify({ ...o, checksum: createHash('sha256').update(JSON.stringify(o)).digest('hex') });
    };
    const withLine = (i: number, replacement: string) => lines.map((l, k) => (k === i ? replacement : l)).join('\n') + '\n';
    const corruptions: Record<string, string> = {
      'truncated mid-line': `${lines.slice(0, 3).join('\n')}\n${lines[3].slice(0, 40)}`,
      'junk line': `${lines.slice(0, 2).join('\n')}\nnot a line\n${lines.slice(2).join('\n')}\n`,
      'edited value': withLine(1, lines[1].replace(/"gen":0\.(\d)/, '"gen":0.9$1')),
      'moved key': withLine(1, lines[1].replace(JSON.parse(lines[1]).key, JSON.parse(lines[2]).key)),
      'moved key, resealed': withLine(1, resealed(lines[1], (o) => (o.key = JSON.parse(lines[2]).key))),
      'changed seed, resealed': withLine(2, resealed(lines[2], (o) => ((o.trials as { seed: number }[])[0].seed = 99))),
      'null network error, resealed': withLine(3, resealed(lines[3], (o) => ((o.trials as { nn: { gen: unknown } }[])[0].nn.gen = null))),
      'other inputs, resealed': withLine(4, resealed(lines[4], (o) => (o.inputs = '0'.repeat(64)))),
      'duplicated line': `${text}${lines[2]}\n`,
      'empty file': '',
    };
    for (const [name, damaged] of Object.entries(corruptions)) {
      const dir = mkdtempSync(join(tmpdir(), 'fig-damaged-'));
      writeFileSync(join(dir, 'fig1b.checkpoint.jsonl'), damaged);
      const warnings: string[] = [];
      const resumed = runSweep({ ...base, outDir: dir, resume: true, onWarning: (m) => warnings.push(m) });
      expect(strip(resumed), name).toEqual(strip(full));
      if (!['truncated mid-line', 'empty file'].includes(name)) expect(warnings.length, name).toBeGreaterThan(0);
      rmSync(dir, { recursive: true });
    }
    rmSync(whole, { recursive: true });
  });

  it('renders a real SVG plot (axes titles, legend) and a Markdown table from the JSON', async () => {
    const spec = { ...figureById('fig4')!, x: { ...figureById('fig4')!.x, values: [0, 1] }, y: { ...figureById('fig4')!.y!, values: [0.3, 0.9] } };
    const dir = mkdtempSync(join(tmpdir(), 'fig-heat-'));
    const fig = runSweep({ spec, n: 40, trials: 2, seed: 1, command: 'test', outDir: dir, resume: false });
    const svg = await toSvg(vegaLiteSpec(fig));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('network error E');
    expect(svg).toContain('|gap| cget');
    const md = figureMarkdown(fig);
    expect(md.split('\n').filter((l) => l.startsWith('| ')).length).toBe(1 + 4);
  });

  it('a training-error figure reports the paired gap of training errors, not of generalisation errors', () => {
    const spec = { ...figureById('fig6')!, panels: figureById('fig6')!.panels.slice(0, 1), x: { ...figureById('fig6')!.x, values: [1] } };
    const dir = mkdtempSync(join(tmpdir(), 'fig-train-'));
    const fig = runSweep({ spec, n: 40, trials: 2, seed: 1, command: 'test', outDir: dir, resume: false });
    const p = fig.points[0];
    const s = p.surrogates['hermite:3'];
    const trainGaps = p.trials.map((t) => (t.surrogates['hermite:3'].train - t.nn.train) / t.nn.train);
    expect(s.relGapTrain.mean).toBeCloseTo((trainGaps[0] + trainGaps[1]) / 2, 12);
    const row = figureMarkdown(fig).split('\n').find((l) => l.startsWith('| relu'))!;
    expect(row).toContain(`${(100 * s.relGapTrain.mean).toFixed(1)}%`);
    rmSync(dir, { recursive: true });
  });

  it('the command writes JSON, SVG and Markdown, re-renders, and refuses bad ids', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fig-cli-'));
    const r = spawnSync(process.execPath, [CLI, 'figure', 'fig2b', '--n', '30', '--trials', '2', '--out', dir], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    for (const ext of ['json', 'svg', 'md']) expect(existsSync(join(dir, `fig2b.${ext}`))).toBe(true);
    rmSync(join(dir, 'fig2b.svg'));
    const re = spawnSync(process.execPath, [CLI, 'render', dir], { encoding: 'utf8' });
    expect(re.status, re.stderr).toBe(0);
    expect(existsSync(join(dir, 'fig2b.svg'))).toBe(true);
    const bad = spawnSync(process.execPath, [CLI, 'figure', 'fig9'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/figure id 'fig9' is not allowed/);
  });
});

describe('report', () => {
  it('writes report.md, index.html and a gap chart from report JSON alone', async () => {
    const { writeReportFiles } = await import('../../src/report/report-render.ts');
    const { runCheck } = await import('../../theorems/run.ts');
    const { theoremById } = await import('../../theorems/index.ts');
    const t = theoremById('hermite-equivalence')!;
    const control = t.negativeControls[0];
    const r = runCheck({ theorem: t, config: control.config, surrogate: control.surrogate, tier: 'quick', seed: 1, ladder: [60, 80] });
    const report = {
      schema: 'onestep.report/1' as const,
      createdAt: 'test',
      tier: 'quick' as const,
      seed: 1,
      machine: { platform: 'linux', release: '', cpu: 'cpu', cores: 2, node: process.version, backend: 'reference' },
      packages: {},
      entries: [{ ...r, example: control.name, expected: control.expect, kind: 'negative-control' as const, why: control.why }],
      power: { rejected: r.verdict === 'disagree' ? 1 : 0, controls: 1 },
      falseAlarms: { rejected: 0, claims: 0 },
      findings: [],
    };
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    await writeReportFiles(report, dir, []);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain(control.name);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain(`**${control.expect} → ${r.verdict}`);
    expect(readFileSync(join(dir, 'gaps.svg'), 'utf8')).toContain('relative gap');
  });
});
