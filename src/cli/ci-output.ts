// The CI outputs shared by `check` and `report`: --junit FILE (JUnit XML, overwritten),
// --summary FILE (a Markdown job summary, appended: GitHub's $GITHUB_STEP_SUMMARY is a file each
// step appends to) and --strict. Paths are checked before any work.
import { appendFileSync, writeFileSync } from 'node:fs';
import { type CheckedCase, junitXml, summaryMarkdown } from '../report/ci.ts';
import { ensureOutputFile, type FlagTable, type ParsedFlags } from './args.ts';

export const CI_FLAGS: FlagTable = {
  junit: { type: 'string', value: 'FILE', help: 'write JUnit XML: one test case per claim and control (expected vs actual verdict, the numbers in the message)' },
  summary: { type: 'string', value: 'FILE', help: 'append a Markdown summary (tally, expected → got ✓/✗, numbers); works with $GITHUB_STEP_SUMMARY' },
  strict: { type: 'boolean', help: 'also exit 3 when an expected verdict is left undecided and no finding explains why' },
};

/** What the command's exit codes mean, for its --help. */
export const EXIT_CODES_HELP = [
  'Exit code: 1 when a claim or control misses its expected verdict (or, for a configuration',
  'given by hand, which has none, the verdict is disagree); 3 when a configuration given by hand',
  'is inconclusive, or with --strict an expected verdict is left undecided that no finding',
  'explains; 2 bad input; else 0. An undecided claim alone does not fail: it is counted in the',
  'final tally line (met / missed / undecided).',
].join('\n');

export interface CiTargets {
  junit?: string;
  summary?: string;
  strict: boolean;
}

export function ciTargets(flags: ParsedFlags): CiTargets {
  return {
    junit: flags.junit === undefined ? undefined : ensureOutputFile('--junit', String(flags.junit)),
    summary: flags.summary === undefined ? undefined : ensureOutputFile('--summary', String(flags.summary)),
    strict: flags.strict === true,
  };
}

export function writeCiOutputs(targets: CiTargets, title: string, cases: readonly CheckedCase[]): void {
  if (targets.junit) writeFileSync(targets.junit, junitXml(title, cases, targets.strict));
  if (targets.summary) appendFileSync(targets.summary, summaryMarkdown(title, cases, targets.strict));
}
