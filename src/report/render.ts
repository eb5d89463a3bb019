// Figure JSON → SVG (Vega-Lite compiled and rendered by Vega in Node, no browser, no native
// dependency) and Markdown. Rendering reads the JSON alone, so a figure re-renders without
// re-running anything.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as vl from 'vega-lite';
import { estimate, list, nullable, num, obj, oneOf, optional, record, shapeProblem, str } from './shape.ts';
import type { FigureResult, PointSummary } from './sweep.ts';

type Row = Record<string, number | string | null>;

/** The trivial baseline's series name: the error of predicting the mean, ½·Var(y). */
export const BASELINE = '½·Var(y) (trivial baseline)';

/** A surrogate series drawn only up to a panel's cap (its values above it are flagged, not hidden). */
export interface Clipped {
  panel: string;
  model: string;
  cap: number;
  /** The x values where the series is above the cap, and its largest value. */
  xs: number[];
  max: number;
}

/**
 * The network's points and error bars, each surrogate's line and the ½·Var(y) baseline, per panel.
 * A surrogate that explodes (docs/findings.md §5) would flatten every other series to the bottom
 * of the panel, so each panel is drawn up to a cap of one full span of the network's points and
 * baseline above their top; a series above it is drawn along the cap with a ▲ and listed in
 * `clipped`, which the subtitle and the Markdown name.
 */
export function lineRows(fig: FigureResult): { rows: Row[]; clipped: Clipped[] } {
  const metric = fig.spec.metric;
  const rows: Row[] = [];
  const clipped: Clipped[] = [];
  const panels = [...new Set(fig.points.map((p) => p.panel))];
  for (const panel of panels) {
    const points = fig.points.filter((p) => p.panel === panel);
    const core = points.flatMap((p) => {
      const nn = p.nn[metric];
      return [nn.mean - 2 * (nn.se ?? 0), nn.mean + 2 * (nn.se ?? 0), p.halfVarY.mean];
    }).filter(Number.isFinite);
    const top = Math.max(...core);
    const cap = top + Math.max(top - Math.min(...core), 1e-12 * Math.abs(top));
    for (const p of points) {
      const nn = p.nn[metric];
      rows.push({ panel, x: p.x, model: 'network', value: nn.mean, lo: nn.mean - 2 * (nn.se ?? 0), hi: nn.mean + 2 * (nn.se ?? 0) });
      rows.push({ panel, x: p.x, model: BASELINE, value: p.halfVarY.mean, above: null });
      for (const [name, s] of Object.entries(p.surrogates)) {
        const v = s[metric].mean;
        const over = Number.isFinite(v) && v > cap;
        rows.push({ panel, x: p.x, model: name, value: over ? cap : v, above: over ? v : null });
        if (over) {
          let c = clipped.find((k) => k.panel === panel && k.model === name);
          if (!c) clipped.push((c = { panel, model: name, cap, xs: [], max: v }));
          c.xs.push(p.x);
          c.max = Math.max(c.max, v);
        }
      }
    }
  }
  return { rows, clipped };
}

/** One line per clipped series: "hermite:auto in α = 0 above the panel at β = 0.9, 0.95 (up to 2.31)". */
export function clippedNotes(fig: FigureResult, clipped: readonly Clipped[]): string[] {
  return clipped.map((c) => `${c.model} in ${c.panel} is above the drawn range at ${fig.spec.x.label} = ${c.xs.join(', ')} (up to ${c.max.toPrecision(3)}; drawn along the top edge with ▲; values in the table)`);
}

/** The classification note: square-loss errors above the trivial baseline are the task, not a bug. */
export function aboveBaselineNote(fig: FigureResult): string | undefined {
  // The finding is about the classification task; a figure JSON read back may lack spec.base.
  if ((fig.spec as { base?: { task?: string } }).base?.task !== 'classification') return undefined;
  const above = fig.points.filter((p) => p.nn[fig.spec.metric].mean - 2 * (p.nn[fig.spec.metric].se ?? 0) > p.halfVarY.mean);
  if (above.length === 0) return undefined;
  return `the network's error is above ½·Var(y) at ${above.length} of ${fig.points.length} points: expected here, the label is not linearly readable after one step and the readout's variance adds to the square loss (docs/findings.md §6)`;
}

/** What a reader of the figure must be told: clipped series, and errors alarming by design. */
export function figureNotes(fig: FigureResult): string[] {
  if (fig.spec.y) return [];
  return [...clippedNotes(fig, lineRows(fig).clipped), ...[aboveBaselineNote(fig)].filter((n): n is string => n !== undefined)];
}

function lineSpec(fig: FigureResult): vl.TopLevelSpec {
  const yTitle = fig.spec.metric === 'gen' ? 'generalisation error E' : 'training error T';
  const { rows } = lineRows(fig);
  const names = Object.keys(fig.points[0]?.surrogates ?? {});
  const lines = [...names, BASELINE];
  const palette = ['#4c78a8', '#f58518', '#54a24b', '#b279a2', '#9d755d', '#e45756'];
  // One legend for the lines (drawn as strokes, the baseline dashed) and one for the network's points.
  const lineLegend = { title: 'lines', symbolType: 'stroke', symbolStrokeWidth: 2, labelLimit: 0 };
  const color = { field: 'model', type: 'nominal' as const, scale: { domain: lines, range: [...names.map((_, i) => palette[i % palette.length]), '#6e7781'] }, legend: lineLegend };
  const strokeDash = { field: 'model', type: 'nominal' as const, scale: { domain: lines, range: [...names.map(() => [1, 0]), [5, 3]] }, legend: lineLegend };
  const x = { field: 'x', type: 'quantitative' as const, title: fig.spec.x.label };
  const y = { field: 'value', type: 'quantitative' as const, title: yTitle, scale: { zero: false } };
  const network = { datum: 'network (mean ± 2 se)', type: 'nominal' as const, scale: { range: ['circle'] }, legend: { title: 'points', symbolFillColor: '#24292f', symbolStrokeColor: '#24292f', labelLimit: 0 } };
  const notes = figureNotes(fig);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: fig.title,
      subtitle: [`n = ${fig.n}, ${fig.trialsPerPoint} trials per point; points: the network (±2 se); lines: surrogates; dashed: ½·Var(y), the error of predicting the mean`, ...notes.map((n) => `Note: ${n}`)],
      anchor: 'start',
    },
    data: { values: rows },
    facet: { column: { field: 'panel', type: 'nominal', title: null } },
    spec: {
      width: 260,
      height: 200,
      layer: [
        { transform: [{ filter: "datum.model != 'network'" }], mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color, strokeDash } },
        { transform: [{ filter: 'datum.above != null' }], mark: { type: 'text', text: '▲', dy: -2, fontSize: 10, color: '#cf222e' }, encoding: { x, y } },
        { transform: [{ filter: "datum.model == 'network'" }], mark: { type: 'rule', color: '#24292f' }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
        { transform: [{ filter: "datum.model == 'network'" }], mark: { type: 'point', filled: true, size: 40, color: '#24292f' }, encoding: { x, y, shape: network } },
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
    ...figureNotes(fig).map((n) => `Note: ${n}.\n`),
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
