// `onestep check`: run theorems' checks and print verdicts with their reasons, then one tally
// line. A theorem's pinned examples carry an expected verdict; a configuration given by hand
// (--config) or a surrogate named by hand (--surrogate) has none. Exit codes: exitCodeOf in
// src/report/ci.ts (1 a missed expectation or a disagree without one, 3 inconclusive without
// one, 2 bad input, else 0).
import { ConfigError, type ExperimentConfig, validateConfig, DEFAULT_CONFIG } from '../data/config.ts';
import { parseSurrogate } from '../surrogates/index.ts';
import { formatGap } from '../experiment/verdict.ts';
import { isObject } from '../report/shape.ts';
import { type Theorem, THEOREMS, theoremById } from '../../theorems/index.ts';
import type { PinnedExample } from '../../theorems/types.ts';
import { type CheckReport, runCheck, type Tier, TIERS } from '../../theorems/run.ts';
import { choiceFlag, type FlagTable, helpText, numberFlag, numberListFlag, progress, parseFlags, readJsonFile, refusePositionals } from './args.ts';
import { fieldsOfFile, UsageError } from './errors.ts';
import { type CheckedCase, exitCodeOf, expectationMark, tallyLine, tallyOf } from '../report/ci.ts';
import { CI_FLAGS, ciTargets, EXIT_CODES_HELP, writeCiOutputs } from './ci-output.ts';
import { TRIAL_JSON_CONFIG_EXTRAS } from './trial-command.ts';

const FLAGS: FlagTable = {
  theorem: { type: 'string', value: 'ID', help: `theorem id or all (${THEOREMS.map((t) => t.id).join(', ')})`, default: 'all' },
  tier: { type: 'string', value: 'T', help: 'quick (ladder 100,200,400) | standard (200,400,800) | stress (…,1600)', default: 'standard' },
  seed: { type: 'string', value: 'S', help: 'seed of the first trial', default: '1' },
  runs: { type: 'string', value: 'N', help: 'configurations per theorem: its pinned examples first, in order', default: '1' },
  config: { type: 'string', value: 'FILE', help: 'check this configuration (the config object of `onestep trial --json`)' },
  ladder: { type: 'string', value: 'N,N,…', help: 'override the tier’s ladder of n' },
  surrogate: { type: 'string', value: 'S', help: 'override the theorem’s surrogate, or name a variant of a custom check (how negative controls are run by hand)' },
  json: { type: 'boolean', help: 'print JSON: {schema, tier, seed, results: [...], tally, exitCode}, whatever is checked' },
  ...CI_FLAGS,
  help: { type: 'boolean', help: 'show this help' },
};

export const CHECK_HELP = helpText(
  'onestep check [--theorem ID|all] [--tier quick|standard|stress] [options]',
  [
    'Judge each theorem along a ladder of n: paired trials of the network and the surrogate, the',
    'relative gap of both errors with a 95% interval, a tolerance derived from a numerical floor and',
    'an O(n^-1/2) finite-size allowance, a trend in n, and trials added until the verdict is decided',
    'or the budget spent. Verdicts: agree | disagree | inconclusive, always with reasons.',
    'A theorem’s pinned examples (the default) each expect a verdict; --config or --surrogate',
    'checks a configuration by hand, which expects none. The last line is the tally.',
    EXIT_CODES_HELP,
  ].join('\n'),
  FLAGS,
  [
    'onestep check --theorem hermite-equivalence --tier quick',
    'onestep check --theorem hermite-equivalence --surrogate hermite:1 --config cfg.json',
    'onestep check --tier standard --json > verdicts.json',
    'onestep check --tier quick --junit checks.xml --summary "$GITHUB_STEP_SUMMARY"',
  ],
);


/**
 * A configuration file: an object of configuration keys (missing ones take the defaults), or
 * the `config` of `onestep trial --json` (which also holds the keys that output adds: sizes,
 * seed, …), or that whole output. Any other key is refused: a misspelt key must not quietly
 * run the default.
 */
function loadConfig(path: string): Partial<ExperimentConfig> {
  const label = `--config ${path}`;
  const raw = readJsonFile('--config', path);
  if (!isObject(raw)) throw new UsageError(`${label}: ${JSON.stringify(raw)} is not allowed (a JSON object of configuration keys, or the output of onestep trial --json)`);
  const trialOutput = 'config' in raw;
  const obj = trialOutput ? raw.config : raw;
  if (!isObject(obj)) throw new UsageError(`${label}: config: ${JSON.stringify(obj)} is not allowed (a JSON object of configuration keys)`);
  const known = Object.keys(DEFAULT_CONFIG);
  // The `config` object of trial --json (alone or in the whole output) also records sizes, seed,
  // trials, …: its provenance, which check does not use. In a configuration file of its own such
  // a key would be silently ignored (check chooses its own seeds and trial counts), so it is
  // refused unless the object is a trial's recorded config (it then holds every one of them).
  const unknownKey = trialOutput ? Object.keys(raw).find((k) => !['config', 'trials', 'summary'].includes(k)) : undefined;
  const extras: readonly string[] = TRIAL_JSON_CONFIG_EXTRAS;
  const recorded = trialOutput || extras.every((k) => k in obj);
  const ignored = recorded ? undefined : Object.keys(obj).find((k) => extras.includes(k));
  if (ignored !== undefined) throw new UsageError(`${label}: '${ignored}' is not allowed (check chooses its own seeds, trials and sizes: --seed, --tier, --ladder)`);
  const strange = unknownKey ?? Object.keys(obj).find((k) => !known.includes(k) && !extras.includes(k));
  if (strange !== undefined) throw new UsageError(`${label}: unknown key '${strange}' (configuration keys: ${known.join(', ')})`);
  const picked: Record<string, unknown> = {};
  for (const key of known) if (key in obj) picked[key] = obj[key];
  if ('rho' in picked && !Array.isArray(picked.rho)) throw new UsageError(`${label}: rho: ${JSON.stringify(picked.rho)} is not allowed (a list of mixture weights summing to 1)`);
  fieldsOfFile(label, () => validateConfig({ ...DEFAULT_CONFIG, ...(picked as Partial<ExperimentConfig>) }));
  return picked as Partial<ExperimentConfig>;
}

/** --surrogate: a surrogate for theorems that compare one, or a named variant of a custom check. */
function checkSurrogateFlag(surrogate: string, theorems: readonly Theorem[]): void {
  const takes = THEOREMS.filter((t) => t.surrogate !== undefined).map((t) => t.id);
  for (const t of theorems) {
    if (t.variants && Object.hasOwn(t.variants, surrogate)) continue;
    if (t.surrogate === undefined) {
      const own = t.variants ? `one of its variants ${Object.keys(t.variants).join(', ')}` : 'it compares no surrogate';
      throw new UsageError(`--surrogate: '${surrogate}' is not allowed for ${t.id} (${own}; surrogates apply to ${takes.join(', ')})`);
    }
    try {
      parseSurrogate(surrogate);
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(`--surrogate${e.message.slice(e.field.length)}`);
      throw e;
    }
  }
}

function formatReport(r: CheckedCase & CheckReport): string {
  const head = `${r.theorem}${r.example ? ` · ${r.example}` : ''}${r.surrogate ? ` (${r.surrogate})` : ''}: ${r.verdict.toUpperCase()}`;
  const lines = [r.expected === undefined ? head : `${head}   expected ${expectationMark(r)}`];
  for (const rung of r.ladder) {
    const g = rung.relGap;
    lines.push(`  n = ${String(rung.n).padEnd(5)} trials ${String(rung.trials).padEnd(3)} gap ${formatGap(g)}  tol ±${(100 * rung.tolerance).toFixed(2)}%`);
  }
  for (const reason of r.reasons) lines.push(`  - ${reason}`);
  if (r.knownUndecided && r.verdict === 'inconclusive') lines.push(`  - known: ${r.knownUndecided}`);
  lines.push(`  tolerance: ${r.tolerance}`);
  return lines.join('\n');
}

export function checkCommand(argv: string[]): number {
  const { flags, positionals } = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(CHECK_HELP);
    return 0;
  }
  refusePositionals(positionals, 'check');
  const id = flags.theorem === undefined ? 'all' : String(flags.theorem);
  const theorems = id === 'all' ? THEOREMS : [theoremById(id)];
  if (theorems.some((t) => t === undefined)) throw new UsageError(`--theorem: '${id}' is not allowed (one of all, ${THEOREMS.map((t) => t.id).join(', ')})`);
  const tier = choiceFlag(flags, 'tier', 'standard', Object.keys(TIERS) as Tier[]);
  const seed = numberFlag(flags, 'seed', 1, { min: 0, max: 2 ** 52, integer: true });
  const runs = numberFlag(flags, 'runs', 1, { min: 1, max: 1000, integer: true });
  const ladder = numberListFlag(flags, 'ladder');
  if (ladder && ladder.some((n) => !Number.isInteger(n) || n < 10 || n > 100_000)) throw new UsageError(`--ladder: '${String(flags.ladder)}' is not allowed (integers in [10, 100000], comma-separated)`);
  const surrogate = flags.surrogate === undefined ? undefined : String(flags.surrogate);
  if (surrogate !== undefined) checkSurrogateFlag(surrogate, theorems as Theorem[]);
  const configPath = flags.config === undefined ? undefined : String(flags.config);
  const given = configPath === undefined ? undefined : loadConfig(configPath);
  const ci = ciTargets(flags);

  const reports: (CheckReport & CheckedCase)[] = [];
  for (const theorem of theorems as NonNullable<(typeof theorems)[number]>[]) {
    // A pinned example run as pinned carries its expectation; altered by hand, it has none.
    const configs: { config: Partial<ExperimentConfig>; pinned?: PinnedExample }[] = given ? [{ config: given }] : theorem.pinned.slice(0, runs).map((p) => ({ config: p.config, pinned: surrogate === undefined ? p : undefined }));
    for (const { config, pinned } of configs) {
      // A theorem refusing the given file's configuration names the file, not a flag.
      const run = () => runCheck({ theorem, config, tier, seed, ladder, surrogate, onProgress: (m) => progress(`${theorem.id}: ${m}`) });
      const report = configPath === undefined ? run() : fieldsOfFile(`--config ${configPath}`, run);
      progress('');
      const expectation = pinned
        ? { example: pinned.name, kind: 'claim' as const, expected: pinned.expect, ...(pinned.undecidedAtStandard ? { knownUndecided: pinned.undecidedAtStandard } : {}) }
        : {};
      const checked = { ...report, ...expectation };
      reports.push(checked);
      if (!flags.json) process.stdout.write(`${formatReport(checked)}\n\n`);
    }
  }
  const tally = tallyOf(reports);
  const exitCode = exitCodeOf(tally, ci.strict);
  writeCiOutputs(ci, `onestep check (${tier} tier, seed ${seed})`, reports);
  if (flags.json) {
    // One shape whatever is checked: scripts never branch on one theorem versus several.
    process.stdout.write(`${JSON.stringify({ schema: 'onestep.check/1', tier, seed, strict: ci.strict, results: reports, tally, exitCode }, null, 2)}\n`);
    process.stderr.write(`${tallyLine(tally, ci.strict)}\n`);
  } else process.stdout.write(`${tallyLine(tally, ci.strict)}\n`);
  return exitCode;
}
