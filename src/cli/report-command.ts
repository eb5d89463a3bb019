// `onestep report`: run the checker over every theorem (pinned examples and negative
// controls), then write DIR/report.json (the source of truth, versioned), DIR/report.md and
// DIR/index.html with gap-vs-n charts. `onestep render DIR` re-makes the Markdown, HTML and
// SVG from the JSON alone. The report's shape and building: src/report/report.ts; its
// rendering: src/report/report-render.ts.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Tier, TIERS } from '../../theorems/run.ts';
import { buildReport, imageClassesOfTheorems } from '../report/report.ts';
import { REPORT_FILES, writeReportFiles } from '../report/report-render.ts';
import { prepareImages } from './images.ts';
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

export async function reportCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(REPORT_HELP);
    return 0;
  }
  refusePositionals(positionals, 'report');
  const tier = choiceFlag(flags, 'tier', 'quick', Object.keys(TIERS) as Tier[]);
  const seed = numberFlag(flags, 'seed', 1, { min: 0, max: 2 ** 52, integer: true });
  const dir = ensureOutputDir('--out', flags.out === undefined ? 'out/report' : String(flags.out), REPORT_FILES);
  // Claims pinned on images fetch them on first use; with ONESTEP_OFFLINE=1 they are skipped.
  await prepareImages(imageClassesOfTheorems(), false);
  const report = buildReport(tier, seed, progress);
  progress('');
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  // Figures already in DIR (onestep figure … --out DIR) are shown in the HTML too.
  await writeReportFiles(report, dir, readdirSync(dir).filter((f) => f.endsWith('.svg') && f !== 'gaps.svg'));
  process.stdout.write(`wrote ${join(dir, 'report.json')}, report.md, index.html; power ${report.power.rejected}/${report.power.controls}, false alarms ${report.falseAlarms.rejected}/${report.falseAlarms.claims}\n`);
  return 0;
}
