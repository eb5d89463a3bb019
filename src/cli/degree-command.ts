// `onestep degree --beta B`: the Hermite degree the theorem prescribes at strength β.
import { degreeRule } from '../math/hermite/index.ts';
import { type FlagTable, helpText, numberFlag, parseFlags, refusePositionals } from './args.ts';
import { UsageError } from './errors.ts';

const FLAGS: FlagTable = {
  beta: { type: 'string', value: 'B', help: 'strength β ∈ [0, 1]' },
  json: { type: 'boolean', help: 'print JSON' },
  help: { type: 'boolean', help: 'show this help' },
};

export const DEGREE_HELP = helpText(
  'onestep degree --beta B [--json]',
  [
    'The degree rule of the Hermite theorem (docs/model.md §4): the polynomial degree D = l − 1 with',
    '(D−1)/D < β < D/(D+1) (D = 1 on [0, ½)). Boundaries β = D/(D+1) and β = 1 are not covered.',
  ].join('\n'),
  FLAGS,
  ['onestep degree --beta 0.74', 'onestep degree --beta 0.75 --json'],
);

export function degreeCommand(argv: string[]): number {
  const { flags, positionals } = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(DEGREE_HELP);
    return 0;
  }
  refusePositionals(positionals, 'degree');
  if (flags.beta === undefined) throw new UsageError('--beta is required (a number in [0, 1])');
  const beta = numberFlag(flags, 'beta', 0, { min: 0, max: 1 });
  const r = degreeRule(beta);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ beta, ...r, degree: Number.isFinite(r.degree) ? r.degree : null })}\n`);
  } else if (!Number.isFinite(r.degree)) {
    process.stdout.write(`β = ${beta}: no finite degree covers β = ${beta} (the rule needs l → ∞ terms as β → 1), ${r.status}\n`);
  } else {
    const iv = r.interval;
    const interval = `${iv.loClosed ? '[' : '('}${iv.lo}, ${iv.hi}${iv.hiClosed ? ']' : ')'}`;
    process.stdout.write(`β = ${beta}: degree ${r.degree} (l = ${r.degree + 1} terms), interval ${interval}, ${r.status}\n`);
  }
  return 0;
}
