// `onestep report`: run the checker over every theorem (pinned examples and negative
// controls), then write DIR/report.json (the source of truth, versioned), DIR/report.md and
// DIR/index.html with gap-vs-n charts. `onestep render DIR` re-makes the Markdown, HTML and
// SVG from the JSON alone.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import { THEOREMS } from '../../theorems/index.ts';
import { type CheckReport, runCheck, type Tier, TIERS } from '../../theorems/run.ts';
import { formatGap } from '../experiment/verdict.ts';
import { linalg } from '../linalg/index.ts';
import { toSvg } from '../report/render.ts';
import { list, nullable, num, obj, oneOf, optional, shapeProblem, str } from '../report/shape.ts';
import type * as vl from 'vega-lite';
import { choiceFlag, ensureOutputDir, type FlagTable, helpText, numberFlag, parseFlags, progress, refusePositionals } from './args.ts';

const FLAGS: FlagTable = {
  tier: { type: 'string', value: 'T', help: 'quick | standard | stress', default: 'quick' },
  seed: { type: 'string', value: 'S', help: 'seed of the first trial', default: '1' },
  out: { type: 'string', value: 'DIR', help: 'output directory', default: 'out/report' },
  help: { type: 'boolean', help: 'show this help' },
};

export const REPORT_HELP = helpText(
  'onestep report [--tier quick|standard|stress] [--seed S] [--out DIR]',
  'Check every theorem on its pinned examples and negative controls; write report.json, report.md and index.html (charts of the gap against n).',
  FLAGS,
  ['onestep report --tier quick --out out/report'],
);

export interface ReportEntry extends CheckReport {
  example: string;
  expected: string;
  kind: 'claim' | 'negative-control';
  why: string;
  /** Why the standard tier is known not to decide this claim (a finding), when it is. */
  knownUndecided?: string;
}

export interface Report {
  schema: 'onestep.report/1';
  createdAt: string;
  tier: Tier;
  seed: number;
  machine: { platform: string; release: string; cpu: string; cores: number; node: string; backend: string };
  packages: Record<string, string>;
  entries: ReportEntry[];
  power: { rejected: number; controls: number };
  falseAlarms: { rejected: number; claims: number };
  findings: { theorem: string; example: string; reasons: string[]; replay: string }[];
}

/** What rendering a report reads from its JSON. */
const REPORT_JSON = obj({
  schema: oneOf('onestep.report/1'),
  createdAt: str,
  tier: str,
  seed: num,
  machine: obj({ platform: str, cpu: str, cores: num, node: str, backend: str }),
  power: obj({ rejected: num, controls: num }),
  falseAlarms: obj({ rejected: num, claims: num }),
  entries: list(
    obj({
      theorem: str,
      example: str,
      kind: oneOf('claim', 'negative-control'),
      surrogate: optional(nullable(str)),
      expected: str,
      verdict: str,
      reasons: list(str),
      tolerance: str,
      ladder: list(obj({ n: num, tolerance: num, relGap: obj({ mean: nullable(num), lo: nullable(num), hi: nullable(num) }) })),
    }),
  ),
  findings: list(obj({ theorem: str, example: str, reasons: list(str), replay: str })),
});

/** What is wrong with report JSON read back from disk (its first bad field), or undefined. */
export function reportProblem(data: unknown): string | undefined {
  return shapeProblem(REPORT_JSON, data);
}

function packageVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['fast-check', 'ml-matrix', 'vega', 'vega-lite', 'vitest', 'tsx', 'typescript']) {
    try {
      out[name] = (JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      out[name] = 'not installed';
    }
  }
  return out;
}

export function buildReport(tier: Tier, seed: number, onProgress?: (m: string) => void): Report {
  const entries: ReportEntry[] = [];
  for (const t of THEOREMS) {
    for (const [kind, list] of [['claim', t.pinned], ['negative-control', t.negativeControls]] as const) {
      for (const ex of list) {
        const r = runCheck({ theorem: t, config: ex.config, surrogate: ex.surrogate, tier, seed, onProgress: (m) => onProgress?.(`${t.id} / ${ex.name}: ${m}`) });
        entries.push({ ...r, example: ex.name, expected: ex.expect, kind, why: ex.why, ...(ex.undecidedAtStandard ? { knownUndecided: ex.undecidedAtStandard } : {}) });
      }
    }
  }
  const controls = entries.filter((e) => e.kind === 'negative-control');
  const claims = entries.filter((e) => e.kind === 'claim' && e.expected === 'agree');
  const findings = entries
    .filter((e) => e.kind === 'claim' && e.verdict === 'disagree')
    .map((e) => ({ theorem: e.theorem, example: e.example, reasons: e.reasons, replay: `onestep check --theorem ${e.theorem} --tier ${tier} --seed ${seed}` }));
  return {
    schema: 'onestep.report/1',
    createdAt: new Date().toISOString(),
    tier,
    seed,
    machine: { platform: platform(), release: release(), cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version, backend: linalg().name },
    packages: packageVersions(),
    entries,
    power: { rejected: controls.filter((e) => e.verdict === 'disagree').length, controls: controls.length },
    falseAlarms: { rejected: claims.filter((e) => e.verdict === 'disagree').length, claims: claims.length },
    findings,
  };
}

/**
 * One panel per theorem: each pinned claim and negative control as points (mean) with bars
 * (95% interval), its fitted trend in log n as a dashed line (the weighted fit the verdict
 * reports), and the grey band ±tol(n). Controls sit far outside the band, so the y axis is
 * symlog; each panel has its own.
 */
function gapChart(report: Report): vl.TopLevelSpec {
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
  return e.knownUndecided ? `${e.expected} (undecided at n ≤ 800, known)` : e.expected;
}

export function reportMarkdown(r: Report): string {
  const lines = [
    `# onestep report (${r.tier} tier)`,
    '',
    `Created ${r.createdAt} on ${r.machine.cpu} (${r.machine.cores} cores, ${r.machine.platform}, Node ${r.machine.node}, backend ${r.machine.backend}); seed ${r.seed}.`,
    '',
    `Power: ${r.power.rejected}/${r.power.controls} negative controls rejected. False alarms: ${r.falseAlarms.rejected}/${r.falseAlarms.claims} true claims rejected.`,
    '',
    '![gap against n](gaps.svg)',
    '',
    '| theorem | example | kind | surrogate | expected | verdict | largest n: gap [95% interval] | tol |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const e of r.entries) {
    const top = e.ladder[e.ladder.length - 1];
    const gap = top && top.tolerance > 0 ? formatGap(top.relGap) : '—';
    lines.push(`| ${e.theorem} | ${e.example} | ${e.kind} | ${e.surrogate ?? '—'} | ${expectedText(e)} | **${e.verdict}** | ${gap} | ${top && top.tolerance > 0 ? `±${(100 * top.tolerance).toFixed(2)}%` : '—'} |`);
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
  const rows = r.entries
    .map((e) => `<tr class="${e.verdict}"><td>${escapeHtml(e.theorem)}</td><td>${escapeHtml(e.example)}</td><td>${e.kind}</td><td>${escapeHtml(e.surrogate ?? '—')}</td><td>${escapeHtml(expectedText(e))}</td><td><b>${e.verdict}</b></td><td>${escapeHtml(e.reasons[0] ?? '')}</td></tr>`)
    .join('\n');
  const figs = figures.map((f) => `<figure><img src="${f}" alt="${f}"><figcaption>${f}</figcaption></figure>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>onestep report (${r.tier})</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;font-size:0.9em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}tr.agree td:nth-child(6){color:#1a7f37}tr.disagree td:nth-child(6){color:#cf222e}tr.inconclusive td:nth-child(6){color:#9a6700}figure{margin:1em 0}img{max-width:100%}</style></head>
<body><h1>onestep report — ${r.tier} tier</h1>
<p>${escapeHtml(r.createdAt)} · ${escapeHtml(r.machine.cpu)} · ${r.machine.cores} cores · Node ${r.machine.node} · backend ${r.machine.backend} · seed ${r.seed}</p>
<p><b>Power</b>: ${r.power.rejected}/${r.power.controls} negative controls rejected. <b>False alarms</b>: ${r.falseAlarms.rejected}/${r.falseAlarms.claims} true claims rejected.</p>
<h2>Verdicts</h2>
<table><tr><th>theorem</th><th>example</th><th>kind</th><th>surrogate</th><th>expected</th><th>verdict</th><th>reason</th></tr>
${rows}
</table>
<h2>Gap against n</h2>
${svg}
${figs ? `<h2>Figures</h2>\n${figs}` : ''}
</body></html>
`;
}

export async function writeReportFiles(r: Report, dir: string, figures: string[] = []): Promise<void> {
  const svg = await toSvg(gapChart(r));
  writeFileSync(join(dir, 'gaps.svg'), svg);
  writeFileSync(join(dir, 'report.md'), reportMarkdown(r));
  writeFileSync(join(dir, 'index.html'), reportHtml(r, svg, figures));
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(REPORT_HELP);
    return 0;
  }
  refusePositionals(positionals, 'report');
  const tier = choiceFlag(flags, 'tier', 'quick', Object.keys(TIERS) as Tier[]);
  const seed = numberFlag(flags, 'seed', 1, { min: 0, max: 2 ** 52, integer: true });
  const dir = ensureOutputDir('--out', flags.out === undefined ? 'out/report' : String(flags.out));
  const report = buildReport(tier, seed, progress);
  progress('');
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  // Figures already in DIR (onestep figure … --out DIR) are shown in the HTML too.
  await writeReportFiles(report, dir, readdirSync(dir).filter((f) => f.endsWith('.svg') && f !== 'gaps.svg'));
  process.stdout.write(`wrote ${join(dir, 'report.json')}, report.md, index.html; power ${report.power.rejected}/${report.power.controls}, false alarms ${report.falseAlarms.rejected}/${report.falseAlarms.claims}\n`);
  return 0;
}
