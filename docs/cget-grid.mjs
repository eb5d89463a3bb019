// Re-makes the table of docs/cget-grid.md: one `onestep trial --json` per cell of the
// (target × σ × α × β) grid, printed as Markdown rows on stdout (progress on stderr).
//   node docs/cget-grid.mjs [n] [trials] > /tmp/grid.md
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const n = Number(process.argv[2] ?? 500);
const trials = Number(process.argv[3] ?? 3);
const cli = join(import.meta.dirname, '..', 'bin', 'onestep.mjs');
const surrogates = ['cget', 'get', 'hermite:1', 'hermite:auto'];
const pct = (g) => `${g.mean >= 0 ? '+' : ''}${(100 * g.mean).toFixed(1)} ± ${(100 * g.se).toFixed(1)}`;

console.log(`| target | σ | α | β | NN gen | ½Var y | ${surrogates.map((s) => `${s} gap %`).join(' | ')} |`);
console.log(`|${' --- |'.repeat(6 + surrogates.length)}`);
const cgetGaps = [];
/** The Hermite degree the rule gives β, capped at 6 as in the runs. */
const degree = (beta) => Math.min(6, JSON.parse(spawnSync(process.execPath, [cli, 'degree', '--beta', String(beta), '--json'], { encoding: 'utf8' }).stdout).degree);
for (const target of ['random', 'spike'])
  for (const act of ['relu', 'sigmoid', 'tanh'])
    for (const alpha of [0, 0.5, 1])
      for (const beta of [0.3, 0.6, 0.9]) {
        const args = ['trial', '--n', String(n), '--act', act, '--alpha', String(alpha), '--beta', String(beta), '--target', target,
          '--surrogates', surrogates.join(','), '--degree-cap', '6', '--trials', String(trials), '--seed', '1', '--json'];
        process.stderr.write(`onestep ${args.join(' ')}\n`);
        const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`cell failed: ${r.stderr}`);
        const { summary } = JSON.parse(r.stdout);
        cgetGaps.push(Math.abs(summary.cget.relGap.mean));
        const cells = surrogates.map((s) => pct(summary[s].relGap) + (s === 'hermite:auto' ? ` (D=${degree(beta)})` : ''));
        console.log(`| ${target} | ${act} | ${alpha.toFixed(1)} | ${beta} | ${summary.nn.gen.mean.toFixed(4)} | ${summary.baseline.halfVarY.mean.toFixed(4)} | ${cells.join(' | ')} |`);
      }
cgetGaps.sort((a, b) => a - b);
console.log(`\n${cgetGaps.length} configurations; |cget gap| median ${(100 * cgetGaps[cgetGaps.length >> 1]).toFixed(1)}%, max ${(100 * cgetGaps.at(-1)).toFixed(1)}%`);
