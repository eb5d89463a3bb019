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
import { exitCodeOf, tallyLine, tallyOf } from '../report/ci.ts';
import { JOBS_FLAG, jobsFlag, parallel } from './parallel.ts';
import { CI_FLAGS, ciTargets, EXIT_CODES_HELP, writeCiOutputs } from './ci-output.ts';
import { prepareImages } from './images.ts';
import { choiceFlag, ensureOutputDir, type FlagTable, helpText, numberFlag, parseFlags, progress, refusePositionals } from './args.ts';

const FLAGS: FlagTable = {
  tier: { type: 'string', value: 'T', help: 'quick | standard | stress', default: 'quick' },
  seed: { type: 'string', value: 'S', help: 'seed of the first trial', default: '1' },
  out: { type: 'string', value: 'DIR', help: 'output directory', default: 'out/report' },
  ...JOBS_FLAG,
  ...CI_FLAGS,
  help: { type: 'boolean', help: 'show this help' },
};

export const REPORT_HELP = helpText(
  'onestep report [--tier quick|standard|stress] [--seed S] [--out DIR] [--junit FILE] [--summary FILE] [--strict]',
  [
    'Check every theorem on its pinned examples and negative controls (each expects a verdict);',
    'write report.json, report.md and index.html (expected → got per case, charts of the gap',
    'against n). The last line is the tally: expectations met / missed / undecided.',
    EXIT_CODES_HELP,
  ].join('\n'),
  FLAGS,
  ['onestep report --tier quick --out out/report', 'onestep report --tier quick --junit report.xml --summary "$GITHUB_STEP_SUMMARY"'],
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
  const ci = ciTargets(flags);
  const jobs = jobsFlag(flags);
  // Claims pinned on images fetch them on first use; with ONESTEP_OFFLINE=1 they are skipped.
  await prepareImages(imageClassesOfTheorems(), false);
  const workers = parallel(jobs);
  let report;
  try {
    report = buildReport(tier, seed, progress, workers);
  } finally {
    workers.close();
  }
  progress('');
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  // Figures already in DIR (onestep figure … --out DIR) are shown in the HTML too.
  await writeReportFiles(report, dir, readdirSync(dir).filter((f) => f.endsWith('.svg') && f !== 'gaps.svg'));
  writeCiOutputs(ci, `onestep report (${tier} tier, seed ${seed})`, report.entries);
  const tally = tallyOf(report.entries);
  process.stdout.write(`wrote ${join(dir, 'report.json')}, report.md, index.html${ci.junit ? `, ${ci.junit}` : ''}${ci.summary ? `, ${ci.summary}` : ''}\n${tallyLine(tally, ci.strict)}\n`);
  return exitCodeOf(tally, ci.strict);
}
