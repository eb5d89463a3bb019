// Figure JSON → SVG (Vega-Lite compiled and rendered by Vega in Node, no browser, no native
// dependency) and Markdown. Rendering reads the JSON alone, so a figure re-renders without
// re-running anything.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as vl from 'vega-lite';
import { estimate, list, nullable, num, obj, oneOf, optional, record, shapeProblem, str } from './shape.ts';
import type { FigureResult, PointSummary } from './sweep.ts';

type Row = Record<string, number | string | null>;

function lineRows(fig: FigureResult): Row[] {
  const metric = fig.spec.metric;
  const rows: Row[] = [];
  for (const p of fig.points) {
    const nn = p.nn[metric];
    rows.push({ panel: p.panel, x: p.x, model: 'network', value: nn.mean, lo: nn.mean - 2 * (nn.se ?? 0), hi: nn.mean + 2 * (nn.se ?? 0) });
    for (const [name, s] of Object.entries(p.surrogates)) {
      const e = s[metric];
      rows.push({ panel: p.panel, x: p.x, model: name, value: e.mean, lo: e.mean - 2 * (e.se ?? 0), hi: e.mean + 2 * (e.se ?? 0) });
    }
  }
  return rows;
}

function lineSpec(fig: FigureResult): vl.TopLevelSpec {
  const yTitle = fig.spec.metric === 'gen' ? 'generalisation error E' : 'training error T';
  const x = { field: 'x', type: 'quantitative' as const, title: fig.spec.x.label };
  const y = { field: 'value', type: 'quantitative' as const, title: yTitle, scale: { zero: false } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: fig.title, subtitle: `n = ${fig.n}, ${fig.trialsPerPoint} trials per point; markers: network (±2 se), lines: surrogates` },
    data: { values: lineRows(fig) },
    facet: { column: { field: 'panel', type: 'nominal', title: null } },
    spec: {
      width: 260,
      height: 200,
      layer: [
        { transform: [{ filter: "datum.model != 'network'" }], mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color: { field: 'model', type: 'nominal', title: 'model' } } },
        { transform: [{ filter: "datum.model == 'network'" }], mark: { type: 'rule' }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: { field: 'model', type: 'nominal' } } },
        { transform: [{ filter: "datum.model == 'network'" }], mark: { type: 'point', filled: true, size: 40 }, encoding: { x, y, color: { field: 'model', type: 'nominal' } } },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  } as vl.TopLevelSpec;
}

function heatRows(fig: FigureResult): Row[] {
  const rows: Row[] = [];
  for (const p of fig.points) {
    rows.push({ x: p.x, y: p.y, quantity: 'network error E', value: p.nn.gen.mean });
    for (const [name, s] of Object.entries(p.surrogates)) rows.push({ x: p.x, y: p.y, quantity: `|gap| ${name}`, value: Math.abs(gapOf(s, fig.spec.metric).mean) });
  }
  return rows;
}

function heatSpec(fig: FigureResult): vl.TopLevelSpec {
  const rows = heatRows(fig);
  const cell = (title: string, legend: string) => ({
    width: 180,
    height: 180,
    mark: 'rect' as const,
    encoding: {
      x: { field: 'x', type: 'ordinal' as const, title: fig.spec.x.label },
      y: { field: 'y', type: 'ordinal' as const, title: fig.spec.y?.label ?? '', sort: 'descending' as const },
      color: { field: 'value', type: 'quantitative' as const, scale: { type: 'log' as const, scheme: title === 'gap' ? 'inferno' : 'viridis' }, title: legend, legend: { format: '.2~g', tickCount: 5 } },
      tooltip: [{ field: 'quantity', type: 'nominal' as const }, { field: 'value', type: 'quantitative' as const, format: '.4f' }],
    },
  });
  // The network's error on its own scale; every surrogate's gap on one shared scale, so that a
  // colour means the same gap in every panel.
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: fig.title, subtitle: `n = ${fig.n}, ${fig.trialsPerPoint} trials per cell; gaps are |E_surrogate − E_nn|/E_nn (log colour scales)` },
    hconcat: [
      { data: { values: rows.filter((r) => r.quantity === 'network error E') }, title: 'network error E', ...cell('error', 'error E') },
      {
        data: { values: rows.filter((r) => r.quantity !== 'network error E') },
        facet: { column: { field: 'quantity', type: 'nominal', title: null } },
        spec: cell('gap', '|gap|'),
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as vl.TopLevelSpec;
}

export function vegaLiteSpec(fig: FigureResult): vl.TopLevelSpec {
  return fig.spec.y ? heatSpec(fig) : lineSpec(fig);
}

/** Vega-Lite → SVG. Vega is loaded here, on first use, so commands that draw nothing never pay for it. */
export async function toSvg(spec: vl.TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}

/** What rendering a figure reads from its JSON. */
const FIGURE_JSON = obj({
  schema: oneOf('onestep.figure/1'),
  id: str,
  title: str,
  n: num,
  trialsPerPoint: num,
  seed: num,
  command: str,
  spec: obj({ x: obj({ label: str }), y: optional(obj({ label: str })), metric: oneOf('gen', 'train') }),
  points: list(
    obj({
      panel: str,
      x: num,
      y: nullable(num),
      nn: obj({ train: estimate, gen: estimate }),
      surrogates: record(obj({ train: estimate, gen: estimate, relGap: estimate, relGapTrain: estimate })),
      halfVarY: estimate,
    }),
  ),
});

/** What is wrong with figure JSON read back from disk (its first bad field), or undefined. */
export function figureProblem(data: unknown): string | undefined {
  const problem = shapeProblem(FIGURE_JSON, data);
  if (problem) return problem;
  // Every point must have the surrogates of the first (the table's columns).
  const points = (data as FigureResult).points;
  const names = Object.keys(points[0]?.surrogates ?? {});
  for (let i = 0; i < points.length; i++) {
    const missing = names.find((name) => !Object.hasOwn(points[i].surrogates, name));
    if (missing) return `points[${i}].surrogates has no '${missing}' (points[0] has)`;
  }
  return undefined;
}

/** A number as text; '—' for a NaN or infinity (written to JSON as null). */
function numText(x: number | null, digits: number): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toPrecision(digits) : '—';
}

function fmt(e: { mean: number; se: number | null }, digits = 4): string {
  return e.se === null ? numText(e.mean, digits) : `${numText(e.mean, digits)} ± ${numText(e.se, 2)}`;
}

/** The paired relative gap of the figure's own metric (training error for fig6). */
function gapOf(s: PointSummary['surrogates'][string], metric: 'gen' | 'train'): { mean: number; se: number | null } {
  return metric === 'train' ? s.relGapTrain : s.relGap;
}

/** A gap in percent; its standard error is '—' with one trial (se: null), not a made-up 0. */
function pct(e: { mean: number; se: number | null }): string {
  const p = (x: number | null): string => (typeof x === 'number' && Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');
  return `${p(e.mean)} ± ${p(e.se)}`;
}

export function figureMarkdown(fig: FigureResult): string {
  const names = Object.keys(fig.points[0]?.surrogates ?? {});
  const metric = fig.spec.metric;
  const head = ['panel', fig.spec.x.label, ...(fig.spec.y ? [fig.spec.y.label] : []), `network ${metric}`, ...names.flatMap((n) => [`${n} ${metric}`, `${n} gap`]), '½Var(y)'];
  const row = (p: PointSummary): string[] => [
    p.panel,
    String(p.x),
    ...(fig.spec.y ? [String(p.y)] : []),
    fmt(p.nn[metric]),
    ...names.flatMap((n) => [fmt(p.surrogates[n][metric]), pct(gapOf(p.surrogates[n], metric))]),
    fmt(p.halfVarY),
  ];
  return [
    `# ${fig.id}: ${fig.title}`,
    '',
    `n = ${fig.n}, ${fig.trialsPerPoint} trials per point (seeds ${fig.seed}…${fig.seed + fig.trialsPerPoint - 1}), mean ± standard error; gap = paired relative gap of the ${metric === 'train' ? 'training' : 'generalisation'} error, (E_surrogate − E_nn)/E_nn.`,
    '',
    `Made by: \`${fig.command}\``,
    '',
    `![${fig.id}](${fig.id}.svg)`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...fig.points.map((p) => `| ${row(p).join(' | ')} |`),
    '',
  ].join('\n');
}

/** DIR/<id>.svg and DIR/<id>.md from a figure's JSON. */
export async function writeFigureFiles(fig: FigureResult, dir: string): Promise<void> {
  writeFileSync(join(dir, `${fig.id}.svg`), await toSvg(vegaLiteSpec(fig)));
  writeFileSync(join(dir, `${fig.id}.md`), figureMarkdown(fig));
}
