// Report JSON → gap-vs-n chart (SVG), report.md and index.html. Reads the JSON alone, so a
// report re-renders without re-running anything.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as vl from 'vega-lite';
import { formatGap } from '../experiment/verdict.ts';
import { alarmNote, expectationMark, knownUndecided, outcomeOf, tallyLine, tallyOf } from './ci.ts';
import type { Report, ReportEntry } from './report.ts';
import { toSvg } from './render.ts';

/**
 * One panel per theorem: each pinned claim and negative control as points (mean) with bars
 * (95% interval), its fitted trend in log n as a dashed line (the weighted fit the verdict
 * reports), and the grey band ±tol(n). Controls sit far outside the band, so the y axis is
 * symlog; each panel has its own.
 */
export function gapChart(report: Report): vl.TopLevelSpec {
  const label = (e: Report['entries'][number]) => `${e.kind === 'claim' ? 'claim' : 'control'}: ${e.example}${e.surrogate ? ` (${e.surrogate})` : ''}`;
  const points = report.entries.flatMap((e) =>
    e.ladder.map((r) => ({ part: 'point', theorem: e.theorem, series: label(e), n: r.n, gap: r.relGap.mean, lo: r.relGap.lo, hi: r.relGap.hi, tol: r.tolerance, negTol: -r.tolerance })),
  ).filter((r) => r.tol > 0 && Number.isFinite(r.lo) && Number.isFinite(r.hi));
  const charted = new Set(points.map((p) => `${p.theorem}|${p.series}`));
  const trends = report.entries.flatMap((e) => {
    // Reports written before the intercept was recorded have no line to draw.
    if (!e.trend || !Number.isFinite(e.trend.intercept) || e.ladder.length < 2 || !charted.has(`${e.theorem}|${label(e)}`)) return [];
    const { slope, intercept } = e.trend;
    return [e.ladder[0].n, e.ladder[e.ladder.length - 1].n].map((n) => ({ part: 'trend', theorem: e.theorem, series: label(e), n, fit: intercept + slope * Math.log(n) }));
  });
  // One dataset, so that the facet splits the trend lines by theorem too; each layer filters its part.
  const only = (part: string) => [{ filter: `datum.part === '${part}'` }];
  const x = { field: 'n', type: 'quantitative', scale: { type: 'log', nice: false }, title: 'n' } as const;
  const y = (field: string) => ({ field, type: 'quantitative', scale: { type: 'symlog', constant: 0.01 }, title: 'relative gap (E_s − E_nn)/E_nn' }) as const;
  const color = { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 420, orient: 'right' } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Paired relative gap of the generalisation error against n, per theorem', subtitle: 'points: mean; bars: 95% interval; dashed: fitted trend in log n; grey band: ±tol(n)' },
    data: { values: [...points, ...trends] },
    facet: { row: { field: 'theorem', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontWeight: 'bold' } } },
    spec: {
      width: 420,
      height: 160,
      layer: [
        { transform: only('point'), mark: { type: 'area', opacity: 0.15, color: 'grey' }, encoding: { x, y: y('negTol'), y2: { field: 'tol' } } },
        { transform: only('point'), mark: 'rule', encoding: { x, y: y('lo'), y2: { field: 'hi' }, color } },
        { transform: only('point'), mark: { type: 'point', filled: true }, encoding: { x, y: y('gap'), color } },
        { transform: only('trend'), mark: { type: 'line', strokeDash: [4, 3] }, encoding: { x, y: y('fit'), color } },
      ],
    },
    resolve: { scale: { y: 'independent', color: 'independent' } },
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
  const claims = r.entries.filter((e) => e.kind === 'claim');
  const count = (list: ReportEntry[], v: string) => list.filter((e) => e.verdict === v).length;
  return {
    tally: tallyLine(t),
    detail: `Negative controls: ${count(controls, 'disagree')}/${controls.length} rejected, ${count(controls, 'inconclusive')} undecided, ${count(controls, 'agree')} accepted. True claims: ${count(claims, 'agree')}/${claims.length} confirmed, ${count(claims, 'inconclusive')} undecided, ${count(claims, 'disagree')} rejected (false alarms).`,
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
    '| theorem | example | kind | surrogate | expected → got | largest n: gap [95% interval] | tol |',
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
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;font-size:0.9em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}tr.met td.mark{color:#1a7f37}tr.missed td.mark{color:#cf222e}tr.missed{background:#ffebe9}tr.undecided td.mark{color:#9a6700}.tally{font-size:1.2em;padding:0.5em 0.8em;border-radius:6px;display:inline-block}.tally.met{background:#dafbe1}.tally.missed{background:#ffebe9}.tally.undecided{background:#fff8c5}figure{margin:1em 0}img{max-width:100%}</style></head>
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
