// Human-readable tables for the terminal. JSON output is the source of truth; this only
// formats it.
import type { Estimate, Summary, SurrogateSummary } from '../experiment/stats.ts';

function fmt(e: Estimate, digits = 4): string {
  if (!Number.isFinite(e.mean)) return '—';
  const m = e.mean.toPrecision(digits);
  return e.se === null ? m : `${m} ± ${e.se.toPrecision(2)}`;
}

function pct(e: Estimate): string {
  if (!Number.isFinite(e.mean)) return '—';
  const m = `${(100 * e.mean).toFixed(2)}%`;
  return e.se === null ? m : `${m} ± ${(100 * e.se).toFixed(2)}%`;
}

export function formatTrialTable(out: { config: Record<string, unknown>; trials: { seed: number; seconds: number }[]; summary: Summary }): string {
  const c = out.config;
  const lines: string[] = [];
  const keys = ['n', 'act', 'beta', 'alpha', 'lambda', 'components', 'rank', 'target', 'task', 'thetaValue', 'etaValue', 'source'];
  lines.push(
    `onestep trial  ${keys
      .filter((k) => c[k] !== undefined)
      .map((k) => `${k}=${typeof c[k] === 'number' ? Number((c[k] as number).toPrecision(4)) : String(c[k])}`)
      .join('  ')}`,
  );
  const sizes = c.sizes as Record<string, number> | undefined;
  if (sizes) lines.push(`sizes  n=${sizes.n} m=${sizes.m} k=${sizes.k} m̃=${sizes.mStep} test=${sizes.mTest}`);
  const t = out.trials;
  lines.push(`trials ${t.length} (seeds ${t.map((x) => x.seed).join(', ')}), ${t.reduce((s, x) => s + x.seconds, 0).toFixed(2)} s in all`);
  lines.push('');
  const classification = out.summary.nn.genZeroOne !== undefined;
  const header = ['model', 'train', 'gen', 'gap (gen)', 'gap (train)', ...(classification ? ['0-1 gen'] : [])];
  const rows: string[][] = [header];
  const failures: string[] = [];
  const nn = out.summary.nn;
  rows.push(['nn', fmt(nn.train), fmt(nn.gen), '', '', ...(classification && nn.genZeroOne ? [fmt(nn.genZeroOne, 3)] : [])]);
  for (const [name, s] of Object.entries(out.summary)) {
    if (name === 'nn' || name === 'baseline' || name === 'lemma') continue;
    const ss = s as SurrogateSummary;
    if (ss.failures) failures.push(`${name} failed in ${ss.failures.trials} of ${t.length} trials: ${ss.failures.first}`);
    rows.push([ss.failures ? `${name} (failed)` : name, fmt(ss.train), fmt(ss.gen), pct(ss.relGap), pct(ss.relGapTrain), ...(classification && ss.genZeroOne ? [fmt(ss.genZeroOne, 3)] : [])]);
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) lines.push(r.map((cell, i) => (cell ?? '').padEnd(widths[i])).join('  ').trimEnd());
  lines.push(...failures);
  lines.push('');
  const lemma = out.summary.lemma;
  if (lemma) lines.push(`gradient spike (docs/model.md §7): ‖uvᵀ‖ = ${fmt(lemma.spike)}, ‖Δ‖ = ${fmt(lemma.residual)}, ratio ‖Δ‖/‖uvᵀ‖ = ${fmt(lemma.ratio)}`);
  lines.push(`baseline ½·Var(y) = ${fmt(out.summary.baseline.halfVarY)}   (gap = (E_surrogate − E_nn)/E_nn, paired per trial; ± one standard error)`);
  if (c.task === 'classification' && nn.gen.mean > out.summary.baseline.halfVarY.mean) {
    lines.push('the network is above ½·Var(y) by design of the task: the label is not linearly readable after one step and the readout’s variance adds to the square loss (docs/findings.md §6)');
  }
  return `${lines.join('\n')}\n`;
}
