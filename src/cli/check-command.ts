// `onestep check`: run theorems' checks and print verdicts with their reasons.
// Exit 0 when every verdict is agree, 1 when any is disagree, 3 when only inconclusive
// remains, 2 for bad input.
import { readFileSync } from 'node:fs';
import { type ExperimentConfig, validateConfig, DEFAULT_CONFIG } from '../data/config.ts';
import { parseSurrogate } from '../surrogates/index.ts';
import { THEOREMS, theoremById } from '../../theorems/index.ts';
import { type CheckReport, runCheck, type Tier, TIERS } from '../../theorems/run.ts';
import { choiceFlag, type FlagTable, helpText, numberFlag, numberListFlag, progress, parseFlags } from './args.ts';
import { UsageError } from './errors.ts';

const FLAGS: FlagTable = {
  theorem: { type: 'string', value: 'ID', help: `theorem id or all (${THEOREMS.map((t) => t.id).join(', ')})`, default: 'all' },
  tier: { type: 'string', value: 'T', help: 'quick (ladder 100,200,400) | standard (200,400,800) | stress (…,1600)', default: 'standard' },
  seed: { type: 'string', value: 'S', help: 'seed of the first trial', default: '1' },
  runs: { type: 'string', value: 'N', help: 'configurations per theorem: its pinned examples first, in order', default: '1' },
  config: { type: 'string', value: 'FILE', help: 'check this configuration (the config object of `onestep trial --json`)' },
  ladder: { type: 'string', value: 'N,N,…', help: 'override the tier’s ladder of n' },
  surrogate: { type: 'string', value: 'S', help: 'override the theorem’s surrogate, or name a variant of a custom check (how negative controls are run by hand)' },
  json: { type: 'boolean', help: 'print JSON (a list when several theorems are checked)' },
  help: { type: 'boolean', help: 'show this help' },
};

export const CHECK_HELP = helpText(
  'onestep check [--theorem ID|all] [--tier quick|standard|stress] [options]',
  [
    'Judge each theorem along a ladder of n: paired trials of the network and the surrogate, the',
    'relative gap of both errors with a 95% interval, a tolerance derived from a numerical floor and',
    'an O(n^-1/2) finite-size allowance, a trend in n, and trials added until the verdict is decided',
    'or the budget spent. Verdicts: agree | disagree | inconclusive, always with reasons.',
    'Exit code: 0 all agree, 1 any disagree, 3 only inconclusive left, 2 bad input.',
  ].join('\n'),
  FLAGS,
  [
    'onestep check --theorem hermite-equivalence --tier quick',
    'onestep check --theorem hermite-equivalence --surrogate hermite:1 --config cfg.json',
    'onestep check --tier standard --json > verdicts.json',
  ],
);

function loadConfig(path: string): Partial<ExperimentConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--config: cannot read '${path}' as JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const obj = (raw && typeof raw === 'object' && 'config' in raw ? (raw as { config: unknown }).config : raw) as Record<string, unknown>;
  const known = Object.keys(DEFAULT_CONFIG);
  const picked: Record<string, unknown> = {};
  for (const key of known) if (key in obj) picked[key] = obj[key];
  validateConfig({ ...DEFAULT_CONFIG, ...(picked as Partial<ExperimentConfig>) });
  return picked as Partial<ExperimentConfig>;
}

function formatReport(r: CheckReport): string {
  const lines = [`${r.theorem}${r.surrogate ? ` (${r.surrogate})` : ''}: ${r.verdict.toUpperCase()}`];
  for (const rung of r.ladder) {
    const g = rung.relGap;
    lines.push(`  n = ${String(rung.n).padEnd(5)} trials ${String(rung.trials).padEnd(3)} gap ${(100 * g.mean).toFixed(2)}% [${(100 * g.lo).toFixed(2)}%, ${(100 * g.hi).toFixed(2)}%]  tol ±${(100 * rung.tolerance).toFixed(2)}%`);
  }
  for (const reason of r.reasons) lines.push(`  - ${reason}`);
  lines.push(`  tolerance: ${r.tolerance}`);
  return lines.join('\n');
}

export function checkCommand(argv: string[]): number {
  const { flags } = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(CHECK_HELP);
    return 0;
  }
  const id = flags.theorem === undefined ? 'all' : String(flags.theorem);
  const theorems = id === 'all' ? THEOREMS : [theoremById(id)];
  if (theorems.some((t) => t === undefined)) throw new UsageError(`--theorem: '${id}' is not allowed (one of all, ${THEOREMS.map((t) => t.id).join(', ')})`);
  const tier = choiceFlag(flags, 'tier', 'standard', Object.keys(TIERS) as Tier[]);
  const seed = numberFlag(flags, 'seed', 1, { min: 0, max: 2 ** 52, integer: true });
  const runs = numberFlag(flags, 'runs', 1, { min: 1, max: 1000, integer: true });
  const ladder = numberListFlag(flags, 'ladder');
  if (ladder && ladder.some((n) => !Number.isInteger(n) || n < 10)) throw new UsageError(`--ladder: '${String(flags.ladder)}' is not allowed (integers ≥ 10, comma-separated)`);
  const surrogate = flags.surrogate === undefined ? undefined : String(flags.surrogate);
  // A custom check's named variant (e.g. an oracle with a wrong λ map) is not a surrogate.
  const isVariant = (t: (typeof theorems)[number]): boolean => surrogate !== undefined && t?.variants !== undefined && Object.hasOwn(t.variants, surrogate);
  if (surrogate && !theorems.every(isVariant)) parseSurrogate(surrogate);
  const given = flags.config === undefined ? undefined : loadConfig(String(flags.config));

  const reports: CheckReport[] = [];
  for (const theorem of theorems as NonNullable<(typeof theorems)[number]>[]) {
    const configs = given ? [given] : theorem.pinned.slice(0, runs).map((p) => p.config);
    for (const config of configs) {
      const report = runCheck({ theorem, config, tier, seed, ladder, surrogate, onProgress: (m) => progress(`${theorem.id}: ${m}`) });
      progress('');
      reports.push(report);
      if (!flags.json) process.stdout.write(`${formatReport(report)}\n\n`);
    }
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
  if (reports.some((r) => r.verdict === 'disagree')) return 1;
  if (reports.some((r) => r.verdict === 'inconclusive')) return 3;
  return 0;
}
