// `onestep figure <id>`: reproduce one of the paper's experiments (docs/model.md §8) with a checkpoint,
// then write DIR/<id>.json (source of truth), DIR/<id>.svg and DIR/<id>.md.
// `onestep render DIR`: re-make SVG and Markdown from the JSON files alone.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, DEFAULT_CONFIG, isImageData, sizesOf, trialBytes, validateConfig } from '../data/config.ts';
import { FIGURES, figureById } from '../report/figures.ts';
import { figureProblem, writeFigureFiles } from '../report/render.ts';
import { type Report, reportProblem } from '../report/report.ts';
import { REPORT_FILES, writeReportFiles } from '../report/report-render.ts';
import { JOBS_FLAG, jobsFlag, parallel } from './parallel.ts';
import { CheckpointError, type FigureResult, planPoints, runSweep } from '../report/sweep.ts';
import { SRF_FIGURE_ALPHAS, SRF_FIGURE_DEFAULT_D, SRF_FIGURE_ID, SRF_FIGURE_TITLE, srfAlphaFigure, srfFigureLargestConfig } from '../report/srf-figure.ts';
import { type CuiTrialBatch, runCuiTrialTask } from '../experiment/cui-protocol.ts';
import { ensureOutputDir, type FlagTable, helpText, numberFlag, parseFlags, progress, readJsonFile, refusePositionals } from './args.ts';
import { UsageError } from './errors.ts';
import { prepareImages } from './images.ts';

const FLAGS: FlagTable = {
  n: { type: 'string', value: 'N', help: 'input dimension (the figure’s default otherwise)' },
  trials: { type: 'string', value: 'T', help: 'trials per point', default: '3' },
  ...JOBS_FLAG,
  seed: { type: 'string', value: 'S', help: 'seed of the first trial at every point', default: '1' },
  out: { type: 'string', value: 'DIR', help: 'output directory', default: 'out/figures' },
  resume: { type: 'boolean', help: 'continue an interrupted run from DIR/<id>.checkpoint.jsonl' },
  list: { type: 'boolean', help: 'list the figures and their settings' },
  help: { type: 'boolean', help: 'show this help' },
};

export const FIGURE_HELP = helpText(
  'onestep figure <id> [--n N] [--trials T] [--seed S] [--out DIR] [--resume] | onestep figure --list',
  [
    'Re-make one of the paper’s figures (docs/model.md §8): the network as markers (±2 standard errors), the',
    'surrogates as lines. Every finished point is appended to DIR/<id>.checkpoint.jsonl, so a run',
    'that is killed resumes with --resume and loses nothing. Writes DIR/<id>.json, .svg and .md.',
  ].join('\n'),
  FLAGS,
  ['onestep figure --list', 'onestep figure fig1a --n 400 --trials 3 --out reports/paper', 'onestep figure fig1a --out reports/paper --resume', 'onestep figure srf-alpha --n 300 --trials 3   # Cui et al.’s learning curve, --n is d = p'],
);

function progressBar(done: number, total: number, secondsPerPoint: number): void {
  const width = 30;
  const filled = Math.round((width * done) / total);
  const left = Math.round((total - done) * secondsPerPoint);
  const eta = left >= 60 ? `${Math.floor(left / 60)}m${String(left % 60).padStart(2, '0')}s` : `${left}s`;
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} points, ~${eta} left`;
  progress(line, done === total);
}

export async function figureCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(FIGURE_HELP);
    return 0;
  }
  if (flags.list) {
    for (const f of FIGURES) {
      const points = planPoints(f, f.n).length;
      process.stdout.write(`${f.id.padEnd(6)} ${f.title}\n       ${f.x.label} ∈ {${f.x.values.join(', ')}}${f.y ? `, ${f.y.label} ∈ {${f.y.values.join(', ')}}` : ''}; panels ${f.panels.map((p) => p.name).join(', ')}; surrogates ${f.surrogates.join(', ')}; ${points} points; default n = ${f.n}\n`);
    }
    process.stdout.write(`${SRF_FIGURE_ID} ${SRF_FIGURE_TITLE}\n       α ∈ {${SRF_FIGURE_ALPHAS.join(', ')}}; panels tanh/tanh and relu/tanh; Cui et al.’s protocol (docs/model.md §11); default d = p = ${SRF_FIGURE_DEFAULT_D}\n`);
    return 0;
  }
  const [id, ...extra] = positionals;
  if (id === SRF_FIGURE_ID) return srfFigureCommand(flags, extra);
  const spec = id === undefined ? undefined : figureById(id);
  if (!spec) throw new UsageError(`figure id '${id ?? ''}' is not allowed (one of ${FIGURES.map((f) => f.id).join(', ')}; see onestep figure --list)`);
  refusePositionals(extra, 'figure');
  const n = numberFlag(flags, 'n', spec.n, { min: 10, max: 20000, integer: true });
  try {
    planPoints(spec, n);
  } catch (e) {
    // A figure's own settings that do not fit at this n (e.g. rank 10 needs n ≥ 20).
    if (e instanceof ConfigError) throw new UsageError(`--n: '${n}' is not allowed for ${spec.id} (at n = ${n} its ${e.field} = ${String(e.value)} must be ${e.allowed})`);
    throw e;
  }
  const trials = numberFlag(flags, 'trials', 3, { min: 1, max: 1000, integer: true });
  const seed = numberFlag(flags, 'seed', 1, { min: 0, max: 2 ** 52, integer: true });
  const outDir = ensureOutputDir('--out', flags.out === undefined ? 'out/figures' : String(flags.out), ['json', 'svg', 'md', 'checkpoint.jsonl'].map((e) => `${spec.id}.${e}`));
  const resume = flags.resume === true;
  const checkpoint = join(outDir, `${spec.id}.checkpoint.jsonl`);
  if (resume && !existsSync(checkpoint)) process.stderr.write(`onestep figure: --resume: no checkpoint at ${checkpoint}, starting from the first point\n`);
  // A figure on images fetches them first (on first use), before any point is run.
  const onImages = [spec.base, ...spec.panels.map((p) => p.config)].some((c) => isImageData(c));
  if (onImages) await prepareImages(spec.base.classes ?? DEFAULT_CONFIG.classes, true);
  const command = `onestep figure ${spec.id} --n ${n} --trials ${trials} --seed ${seed} --out ${outDir}`;
  let fig: FigureResult;
  try {
    // Memory bounds the workers by the figure's largest trial.
    const largest = planPoints(spec, n).map((p) => p.config).reduce((a, b) => (trialBytes(sizesOf(b)) > trialBytes(sizesOf(a)) ? b : a));
    const workers = parallel(jobsFlag(flags, largest));
    try {
      fig = runSweep({ spec, n, trials, seed, outDir, resume, command, runTrials: workers.trials, onProgress: progressBar, onWarning: (m) => process.stderr.write(`onestep figure: --resume: ${m}\n`) });
    } finally {
      workers.close();
    }
  } catch (e) {
    if (e instanceof CheckpointError) throw new UsageError(`--resume: ${e.message}`);
    throw e;
  }
  await writeFigureFiles(fig, outDir);
  process.stdout.write(`wrote ${join(outDir, `${spec.id}.json`)}, .svg and .md (${fig.points.length} points)\n`);
  return 0;
}

/** `onestep figure srf-alpha`: Cui et al.'s protocol, a sweep of its own on --jobs workers (no checkpoint: 3 s at d = 300, 12 s at d = 600 on 2 cores). */
async function srfFigureCommand(flags: ReturnType<typeof parseFlags>['flags'], extra: string[]): Promise<number> {
  refusePositionals(extra, 'figure');
  if (flags.resume) throw new UsageError(`--resume is not allowed for ${SRF_FIGURE_ID} (it has no checkpoint; it takes seconds: 3 s at d = 300 on 2 cores)`);
  const d = numberFlag(flags, 'n', SRF_FIGURE_DEFAULT_D, { min: 20, max: 2000, integer: true });
  const trials = numberFlag(flags, 'trials', 3, { min: 1, max: 1000, integer: true });
  const seed = numberFlag(flags, 'seed', 1, { min: 0, max: 2 ** 52, integer: true });
  const outDir = ensureOutputDir('--out', flags.out === undefined ? 'out/figures' : String(flags.out), ['json', 'svg', 'md'].map((e) => `${SRF_FIGURE_ID}.${e}`));
  const command = `onestep figure ${SRF_FIGURE_ID} --n ${d} --trials ${trials} --seed ${seed} --out ${outDir}`;
  // Memory bounds the workers as for a mixture trial of the same sizes at the largest α (the
  // protocol holds the same arrays: inputs, step samples, features, test set).
  const workers = parallel(jobsFlag(flags, validateConfig({ ...DEFAULT_CONFIG, ...srfFigureLargestConfig(d) })));
  let fig: FigureResult;
  try {
    const onWorkers: CuiTrialBatch = (tasks, onResult) => workers.run('cui-trial', tasks, runCuiTrialTask, onResult);
    fig = srfAlphaFigure(d, trials, seed, command, (done, total) => progress(`[${done}/${total} trials]`, done === total), onWorkers);
  } finally {
    workers.close();
  }
  writeFileSync(join(outDir, `${SRF_FIGURE_ID}.json`), `${JSON.stringify(fig, null, 2)}\n`);
  await writeFigureFiles(fig, outDir);
  process.stdout.write(`wrote ${join(outDir, `${SRF_FIGURE_ID}.json`)}, .svg and .md (${fig.points.length} points)\n`);
  return 0;
}

export async function renderCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseFlags(argv, { help: { type: 'boolean', help: 'show this help' } });
  if (flags.help) {
    process.stdout.write('Usage: onestep render DIR\n\nRe-make SVG and Markdown from the figure JSON files in DIR (and report.md, index.html from report.json), without re-running anything.\n');
    return 0;
  }
  const [dir, ...extra] = positionals;
  if (dir === undefined) throw new UsageError('a directory is needed: onestep render DIR (re-makes <id>.svg and <id>.md from every <id>.json in DIR)');
  refusePositionals(extra, 'render');
  if (!existsSync(dir)) throw new UsageError(`directory '${dir}' does not exist`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`'${dir}' is not a directory (usage: onestep render DIR)`);
  // Read and check every file first, so a bad one leaves nothing half re-made.
  const figures: FigureResult[] = [];
  const reports: Report[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const path = join(dir, file);
    const data = readJsonFile(null, path);
    const schema = (data as { schema?: unknown } | null)?.schema;
    const problem = schema === 'onestep.figure/1' ? figureProblem(data) : schema === 'onestep.report/1' ? reportProblem(data) : undefined;
    if (problem) throw new UsageError(`${path}: ${problem} (${String(schema)} JSON)`);
    // A figure is re-made beside its JSON under its own name: an id such as '../x' must not
    // write outside the directory given.
    const id = (data as { id?: unknown }).id;
    if (schema === 'onestep.figure/1' && (typeof id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(id) || `${id}.json` !== file)) {
      throw new UsageError(`${path}: id ${JSON.stringify(id).slice(0, 60)} is not allowed (the file's own name, ${file.slice(0, -5)})`);
    }
    if (schema === 'onestep.figure/1') figures.push(data as FigureResult);
    else if (schema === 'onestep.report/1') reports.push(data as Report);
  }
  if (figures.length + reports.length === 0) throw new UsageError(`no figure or report JSON in ${dir}`);
  ensureOutputDir('render', dir, [...figures.flatMap((f) => [`${f.id}.svg`, `${f.id}.md`]), ...(reports.length > 0 ? REPORT_FILES : [])]);
  for (const fig of figures) await writeFigureFiles(fig, dir);
  const svgs = readdirSync(dir).filter((f) => f.endsWith('.svg') && f !== 'gaps.svg');
  for (const report of reports) await writeReportFiles(report, dir, svgs);
  process.stdout.write(`rendered ${figures.length + reports.length} file(s) in ${dir}\n`);
  return 0;
}
