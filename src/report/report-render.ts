// Report JSON → gap-vs-n chart (SVG), report.md and index.html. Reads the JSON alone, so a
// report re-renders without re-running anything.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as vl from 'vega-lite';
import { formatGap } from '../experiment/verdict.ts';
import { alarmNote, expectationMark, knownUndecided, outcomeOf, tallyLine, tallyOf } from './ci.ts';
import type { Report, ReportEntry } from './report.ts';
import { toSvg } from './render.ts';

const VERDICT_COLOURS = { domain: ['agree', 'disagree', 'inconclusive'], range: ['#1a7f37', '#cf222e', '#bf8700'] };

/** Break text into lines of at most `width` characters at spaces (a header label never overflows its panel). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** A case's panel title, in lines: theorem, case, expected → got (and a note when the gap dwarfs the band). */
function panelTitle(e: ReportEntry): string {
  const gapTop = e.ladder[e.ladder.length - 1]?.relGap.mean;
  const lines = [
    e.theorem,
    ...wrap(`${e.kind === 'claim' ? 'claim' : 'control'}: ${e.example}${e.surrogate ? ` (${e.surrogate})` : ''}`, 30),
    `expected ${expectationMark(e)}`,
    ...(typeof gapTop === 'number' && Math.abs(gapTop) >= 1 ? ['(far outside the band;', 'own y scale)'] : []),
  ];
  return lines.join('\n');
}

/**
 * One panel per claim and negative control, each with its own linear y axis in percent (so a
 * control whose gap runs to thousands of percent gets its own scale instead of flattening the
 * others) and its own x axis of n: the grey band ±tol(n), the interval of the paired gap (at the engine's final look) as a
 * bar and its mean as a point at each n, coloured by the case's verdict, and the fitted trend in
 * log n as a dashed line. Cases without a gap ladder (custom checks) are named in the subtitle.
 */
export function gapChart(report: Report): vl.TopLevelSpec {
  const charted = report.entries.filter((e) => e.ladder.some((r) => r.tolerance > 0 && Number.isFinite(r.relGap.lo) && Number.isFinite(r.relGap.hi)));
  const missing = report.entries.filter((e) => !charted.includes(e)).map((e) => `${e.theorem} · ${e.example} (${e.verdict})`);
  const rows = charted.flatMap((e, i) => {
    const panel = panelTitle(e);
    const order = i;
    const points = e.ladder
      .filter((r) => r.tolerance > 0 && Number.isFinite(r.relGap.lo) && Number.isFinite(r.relGap.hi))
      .map((r) => ({ part: 'point', panel, order, verdict: e.verdict, n: r.n, gap: 100 * r.relGap.mean, lo: 100 * r.relGap.lo, hi: 100 * r.relGap.hi, tol: 100 * r.tolerance, negTol: -100 * r.tolerance }));
    // Reports written before the intercept was recorded have no line to draw.
    const trend =
      e.trend && Number.isFinite(e.trend.intercept) && points.length >= 2
        ? [points[0].n, points[points.length - 1].n].map((n) => ({ part: 'trend', panel, order, verdict: e.verdict, n, fit: 100 * (e.trend!.intercept + e.trend!.slope * Math.log(n)) }))
        : [];
    return [...points, ...trend];
  });
  const ns = [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b);
  const only = (part: string) => [{ filter: `datum.part === '${part}'` }];
  const x = { field: 'n', type: 'quantitative', scale: { type: 'log', domain: [ns[0] / 1.25, ns[ns.length - 1] * 1.25], nice: false }, axis: { values: ns, format: 'd', labelFlush: false, grid: false }, title: 'n' };
  const y = (field: string) => ({ field, type: 'quantitative', scale: { zero: true, nice: true }, axis: { format: '~r', tickCount: 5 }, title: 'relative gap (%)' }) as const;
  const color = { field: 'verdict', type: 'nominal', title: 'verdict', scale: VERDICT_COLOURS, legend: { orient: 'top', direction: 'horizontal', labelLimit: 0, symbolType: 'circle' } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Paired relative gap (E_surrogate − E_nn)/E_nn against n, one panel per claim and control',
      subtitle: [
        'grey band: tolerance ±tol(n); bar: interval at the final look (valid under optional stopping); point: mean; colour: the verdict; dashed: fitted trend in log n.',
        'Claims should sit inside the band (agree), controls wholly outside it (disagree); each panel has its own y scale.',
        ...(missing.length ? wrap(`Not charted (custom checks without a gap ladder): ${missing.join('; ')}.`, 150) : []),
      ],
      anchor: 'start',
    },
    data: { values: rows },
    facet: { field: 'panel', type: 'nominal', sort: { field: 'order' }, title: null, header: { labelExpr: "split(datum.value, '\\n')", labelAlign: 'left', labelAnchor: 'start', labelFontSize: 10, labelLimit: 0 } },
    columns: 3,
    spacing: { column: 30, row: 20 },
    spec: {
      width: 250,
      height: 140,
      layer: [
        { transform: only('point'), mark: { type: 'area', opacity: 0.25, color: '#8c959f' }, encoding: { x, y: y('negTol'), y2: { field: 'tol' } } },
        { transform: only('point'), mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, y: y('lo'), y2: { field: 'hi' }, color } },
        { transform: only('point'), mark: { type: 'point', filled: true, size: 45 }, encoding: { x, y: y('gap'), color } },
        { transform: only('trend'), mark: { type: 'line', strokeDash: [4, 3], strokeWidth: 1 }, encoding: { x, y: y('fit'), color } },
      ],
    },
    resolve: { scale: { x: 'independent', y: 'independent' }, axis: { x: 'independent' } },
    config: { header: { labelPadding: 4 } },
  } as vl.TopLevelSpec;
}

/** The expected answer, marked where a finding says the standard tier cannot decide it. */
function expectedText(e: ReportEntry): string {
  return knownUndecided(e) ? `${expectationMark(e)} (known: undecided at n ≤ 800)` : expectationMark(e);
}

/**
 * The headline: the tally of expectations (met / missed / undecided), then what the controls and
 * the true claims got — undecided claims counted, never hidden behind "power 12/12".
 */
export function headline(r: Report): { tally: string; detail: string } {
  const t = tallyOf(r.entries);
  const controls = r.entries.filter((e) => e.kind === 'negative-control');
  // A claim pinned with expect 'disagree' is a finding (the theorem fails there), not a true claim.
  const claims = r.entries.filter((e) => e.kind === 'claim' && e.expected !== 'disagree');
  const findings = r.entries.filter((e) => e.kind === 'claim' && e.expected === 'disagree');
  const count = (list: ReportEntry[], v: string) => list.filter((e) => e.verdict === v).length;
  const found = findings.length > 0 ? ` Pinned failures (findings): ${count(findings, 'disagree')}/${findings.length} still rejected.` : '';
  return {
    tally: tallyLine(t),
    detail: `Negative controls: ${count(controls, 'disagree')}/${controls.length} rejected, ${count(controls, 'inconclusive')} undecided, ${count(controls, 'agree')} accepted. True claims: ${count(claims, 'agree')}/${claims.length} confirmed, ${count(claims, 'inconclusive')} undecided, ${count(claims, 'disagree')} rejected (false alarms).${found}`,
  };
}

export function reportMarkdown(r: Report): string {
  const h = headline(r);
  const lines = [
    `# onestep report (${r.tier} tier): ${h.tally}`,
    '',
    `Created ${r.createdAt} on ${r.machine.cpu} (${r.machine.cores} cores, ${r.machine.platform}, Node ${r.machine.node}, backend ${r.machine.backend}); seed ${r.seed}.`,
    '',
    h.detail,
    '',
    '✓ expectation met · ✗ missed · ? undecided (more n or trials needed)',
    '',
    '![gap against n](gaps.svg)',
    '',
    '| theorem | example | kind | surrogate | expected → got | largest n: gap [interval at the final look] | tol |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const e of r.entries) {
    const top = e.ladder[e.ladder.length - 1];
    const gap = top && top.tolerance > 0 ? formatGap(top.relGap) : '—';
    const note = alarmNote(e);
    lines.push(`| ${e.theorem} | ${e.example} | ${e.kind} | ${e.surrogate ?? '—'} | **${expectedText(e)}** | ${gap}${note ? ` (${note})` : ''} | ${top && top.tolerance > 0 ? `±${(100 * top.tolerance).toFixed(2)}%` : '—'} |`);
  }
  lines.push('', '## Reasons', '');
  for (const e of r.entries) lines.push(`- **${e.theorem} · ${e.example}**: ${e.reasons.join('; ')}${e.knownUndecided ? ` — known: ${e.knownUndecided}` : ''}`);
  lines.push('', '## Findings', '');
  if (r.findings.length === 0) lines.push('None at this tier.');
  for (const f of r.findings) lines.push(`- ${f.theorem} · ${f.example}: ${f.reasons.join('; ')} — replay: \`${f.replay}\``);
  lines.push('', `Tolerance: ${r.entries.find((e) => e.ladder.length > 0)?.tolerance ?? ''}`, '');
  return lines.join('\n');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function reportHtml(r: Report, svg: string, figures: string[]): string {
  const h = headline(r);
  const rows = r.entries
    .map((e) => {
      const note = alarmNote(e);
      return `<tr class="${outcomeOf(e)}"><td>${escapeHtml(e.theorem)}</td><td>${escapeHtml(e.example)}</td><td>${e.kind}</td><td>${escapeHtml(e.surrogate ?? '—')}</td><td class="mark"><b>${escapeHtml(expectedText(e))}</b></td><td>${escapeHtml(e.reasons[0] ?? '')}${note ? `<br><i>${escapeHtml(note)}</i>` : ''}</td></tr>`;
    })
    .join('\n');
  const figs = figures.map((f) => `<figure><img src="${f}" alt="${f}"><figcaption>${f}</figcaption></figure>`).join('\n');
  const t = tallyOf(r.entries);
  const status = t.missed > 0 ? 'missed' : t.undecided > 0 ? 'undecided' : 'met';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>onestep report (${r.tier})</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;font-size:0.9em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}tr.met td.mark{color:#1a7f37}tr.missed td.mark{color:#cf222e}tr.missed{background:#ffebe9}tr.undecided td.mark{color:#9a6700}.tally{font-size:1.2em;padding:0.5em 0.8em;border-radius:6px;display:inline-block}.tally.met{background:#dafbe1}.tally.missed{background:#ffebe9}.tally.undecided{background:#fff8c5}figure{margin:1em 0}img,svg{max-width:100%;height:auto}</style></head>
<body><h1>onestep report — ${r.tier} tier</h1>
<p class="tally ${status}"><b>${escapeHtml(h.tally)}</b></p>
<p>${escapeHtml(h.detail)}</p>
<p>${escapeHtml(r.createdAt)} · ${escapeHtml(r.machine.cpu)} · ${r.machine.cores} cores · Node ${r.machine.node} · backend ${r.machine.backend} · seed ${r.seed}</p>
<h2>Verdicts</h2>
<p>✓ expectation met · ✗ missed (fails CI) · ? undecided (more n or trials needed; reported, not failed)</p>
<table><tr><th>theorem</th><th>example</th><th>kind</th><th>surrogate</th><th>expected → got</th><th>reason</th></tr>
${rows}
</table>
<h2>Gap against n</h2>
${svg}
${figs ? `<h2>Figures</h2>\n${figs}` : ''}
</body></html>
`;
}

/** The files a report writes into its directory (its JSON is written by the report command). */
export const REPORT_FILES = ['report.json', 'report.md', 'index.html', 'gaps.svg'];

export async function writeReportFiles(r: Report, dir: string, figures: string[] = []): Promise<void> {
  const svg = await toSvg(gapChart(r));
  writeFileSync(join(dir, 'gaps.svg'), svg);
  writeFileSync(join(dir, 'report.md'), reportMarkdown(r));
  writeFileSync(join(dir, 'index.html'), reportHtml(r, svg, figures));
}
