// Running a figure's sweep with a checkpoint: every finished point is appended as one JSON
// line to DIR/<id>.checkpoint.jsonl, so an interrupted run resumes where it stopped and loses
// nothing. The figure's JSON (the source of truth for SVG and Markdown) is written at the end.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG, type ExperimentConfig, validateConfig } from '../data/config.ts';
import { estimate, type Estimate } from '../experiment/stats.ts';
import { localTrials, type TrialBatch } from '../experiment/trial-task.ts';
import { parseSurrogateList } from '../surrogates/index.ts';
import type { FigureSpec } from './figures.ts';
import { list, nullable, num, obj, optional, record, type Shape, shapeProblem, str } from './shape.ts';

export interface TrialRecord {
  seed: number;
  seconds: number;
  nn: { train: number; gen: number; genZeroOne?: number };
  surrogates: Record<string, { train: number; gen: number; genZeroOne?: number }>;
  halfVarY: number;
}

export interface PointRecord {
  key: string;
  panel: string;
  x: number;
  y: number | null;
  trials: TrialRecord[];
}

export interface PointSummary extends PointRecord {
  nn: { train: Estimate; gen: Estimate };
  surrogates: Record<string, { train: Estimate; gen: Estimate; relGap: Estimate; relGapTrain: Estimate }>;
  halfVarY: Estimate;
}

export interface FigureResult {
  schema: 'onestep.figure/1';
  id: string;
  title: string;
  spec: FigureSpec;
  n: number;
  trialsPerPoint: number;
  seed: number;
  command: string;
  points: PointSummary[];
}

export interface SweepOptions {
  spec: FigureSpec;
  n: number;
  trials: number;
  seed: number;
  outDir: string;
  resume: boolean;
  command: string;
  onProgress?: (done: number, total: number, secondsPerPoint: number) => void;
  /** Told of each checkpoint line that --resume could not use (its point is recomputed). */
  onWarning?: (message: string) => void;
  /** Where the trials run (default: in turn, here); results are the same either way. */
  runTrials?: TrialBatch;
}

interface PlannedPoint {
  key: string;
  panel: string;
  x: number;
  y: number | null;
  config: ExperimentConfig;
}

function pointConfig(spec: FigureSpec, n: number, panel: Partial<ExperimentConfig>, x: number, y: number | null): ExperimentConfig {
  const c: ExperimentConfig = { ...DEFAULT_CONFIG, ...spec.base, ...panel, n };
  if (spec.x.field === 'rho1') c.rho = [x, 1 - x];
  else (c as unknown as Record<string, number>)[spec.x.field] = x;
  if (spec.y && y !== null) (c as unknown as Record<string, number>)[spec.y.field] = y;
  return validateConfig(c);
}

export function planPoints(spec: FigureSpec, n: number): PlannedPoint[] {
  const ys = spec.y ? spec.y.values : [null];
  const out: PlannedPoint[] = [];
  for (const panel of spec.panels) {
    for (const y of ys) {
      for (const x of spec.x.values) {
        out.push({ key: `${panel.name}|${y ?? ''}|${x}`, panel: panel.name, x, y, config: pointConfig(spec, n, panel.config, x, y) });
      }
    }
  }
  return out;
}

interface CheckpointHeader {
  // surrogates: a checkpoint made with another surrogate list must not fill this run's points.
  header: { id: string; n: number; trials: number; seed: number; surrogates?: string };
}

/** A checkpoint that cannot be resumed (another run's, or no header): bad input, not a bug. */
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What made a point: its configuration, seeds, surrogates and degree cap. */
function inputsOf(point: PlannedPoint, opts: SweepOptions): string {
  const seeds = Array.from({ length: opts.trials }, (_, t) => opts.seed + t);
  return sha256(JSON.stringify({ config: point.config, seeds, surrogates: opts.spec.surrogates, degreeCap: opts.spec.degreeCap }));
}

/**
 * A checkpoint line carries what it claims to be: its record, the digest of the inputs that made
 * it, and a checksum of both, so an edited, moved or re-seeded line is recognised on --resume.
 */
function checkpointLine(record: PointRecord, inputs: string): string {
  const body = { ...record, inputs };
  return JSON.stringify({ ...body, checksum: sha256(JSON.stringify(body)) });
}

// Errors of a model in one trial (null: a NaN or overflow, written by JSON as null).
const ERRORS: Shape = obj({ train: nullable(num), gen: nullable(num), genZeroOne: optional(nullable(num)) });
const POINT_LINE: Shape = obj({
  key: str,
  panel: str,
  x: num,
  y: nullable(num),
  trials: list(obj({ seed: num, seconds: num, nn: ERRORS, surrogates: record(ERRORS), halfVarY: nullable(num) })),
  inputs: str,
  checksum: str,
});

/** JSON wrote a surrogate's NaN as null: read it back as NaN, never as the 0 arithmetic would make of it. */
function nanFromNull(v: number | null): number {
  return v === null ? Number.NaN : v;
}

function restoreNaN(e: { train: number | null; gen: number | null; genZeroOne?: number | null }): { train: number; gen: number; genZeroOne?: number } {
  const out: { train: number; gen: number; genZeroOne?: number } = { train: nanFromNull(e.train), gen: nanFromNull(e.gen) };
  if (e.genZeroOne !== undefined) out.genZeroOne = nanFromNull(e.genZeroOne);
  return out;
}

/**
 * The finished points of a checkpoint. Its header must be this run's (else the resume is
 * refused); a point line is used only when it is intact and is what it claims to be (its
 * checksum, its key in this figure's plan with that key's panel and x, y, the inputs and seeds
 * of this run, finite network errors, one line per key). Any other line is reported through
 * `warn` and its point recomputed: a damaged checkpoint costs time, never correctness.
 */
function readCheckpoint(path: string, opts: SweepOptions, expected: CheckpointHeader['header'], plan: ReadonlyMap<string, PlannedPoint>, warn: (m: string) => void): Map<string, PointRecord> {
  const done = new Map<string, PointRecord>();
  const seen = new Map<string, number>();
  const lines = readFileSync(path, 'utf8').split('\n');
  const ignore = (i: number, why: string): void => warn(`${path}: line ${i + 1} ignored (${why}); its point is recomputed`);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // A run killed mid-write leaves a partial last line: that one is expected, and quiet.
      if (i < lines.length - 1) ignore(i, 'not JSON');
      return;
    }
    if (i === 0) {
      const h = (value as Partial<CheckpointHeader> | null)?.header;
      if (h === null || typeof h !== 'object') throw new CheckpointError(`${path}: line 1 is not a checkpoint header ({"header": {id, n, trials, seed, surrogates}}); use another --out or drop --resume`);
      if (h.id !== expected.id || h.n !== expected.n || h.trials !== expected.trials || h.seed !== expected.seed || h.surrogates !== expected.surrogates) {
        throw new CheckpointError(`${path} belongs to another run (${JSON.stringify(h).slice(0, 120)}, this run is ${JSON.stringify(expected)}); use another --out or drop --resume`);
      }
      return;
    }
    const problem = shapeProblem(POINT_LINE, value);
    if (problem) return ignore(i, `not a finished point: ${problem.slice(0, 120)}`);
    const { checksum, ...body } = value as PointRecord & { inputs: string; checksum: string };
    if (sha256(JSON.stringify(body)) !== checksum) return ignore(i, 'its checksum does not match its content');
    const planned = plan.get(body.key);
    if (!planned) return ignore(i, `a point this figure does not have (key ${JSON.stringify(body.key).slice(0, 60)})`);
    if (body.panel !== planned.panel || body.x !== planned.x || body.y !== planned.y) return ignore(i, `its panel, x or y is not its key's`);
    if (body.inputs !== inputsOf(planned, opts)) return ignore(i, 'made from other inputs (configuration, seeds or surrogates)');
    if (body.trials.length !== opts.trials || body.trials.some((t, k) => t.seed !== opts.seed + k)) return ignore(i, `its trials are not seeds ${opts.seed}…${opts.seed + opts.trials - 1}`);
    if (body.trials.some((t) => !Number.isFinite(t.nn.train) || !Number.isFinite(t.nn.gen) || !Number.isFinite(t.halfVarY))) return ignore(i, "a network error or ½·Var(y) is not a number");
    if (seen.has(body.key)) {
      ignore(i, `a second line for key ${JSON.stringify(body.key)}`);
      done.delete(body.key);
      return;
    }
    seen.set(body.key, i);
    const trials = body.trials.map((t) => ({
      ...t,
      nn: restoreNaN(t.nn),
      surrogates: Object.fromEntries(Object.entries(t.surrogates).map(([k, e]) => [k, restoreNaN(e)])),
    }));
    done.set(body.key, { key: body.key, panel: body.panel, x: body.x, y: body.y, trials });
  });
  return done;
}

function summarisePoint(p: PointRecord): PointSummary {
  const pick = (f: (t: TrialRecord) => number) => estimate(p.trials.map(f));
  const names = Object.keys(p.trials[0].surrogates);
  const surrogates: PointSummary['surrogates'] = {};
  for (const name of names) {
    surrogates[name] = {
      train: pick((t) => t.surrogates[name].train),
      gen: pick((t) => t.surrogates[name].gen),
      relGap: pick((t) => (t.surrogates[name].gen - t.nn.gen) / t.nn.gen),
      relGapTrain: pick((t) => (t.surrogates[name].train - t.nn.train) / t.nn.train),
    };
  }
  return { ...p, nn: { train: pick((t) => t.nn.train), gen: pick((t) => t.nn.gen) }, surrogates, halfVarY: pick((t) => t.halfVarY) };
}

export function runSweep(opts: SweepOptions): FigureResult {
  const { spec } = opts;
  const plan = planPoints(spec, opts.n);
  const checkpoint = join(opts.outDir, `${spec.id}.checkpoint.jsonl`);
  const header = { id: spec.id, n: opts.n, trials: opts.trials, seed: opts.seed, surrogates: spec.surrogates.join(',') };
  const planned = new Map(plan.map((p) => [p.key, p]));
  let done = new Map<string, PointRecord>();
  if (opts.resume && existsSync(checkpoint)) {
    done = readCheckpoint(checkpoint, opts, header, planned, opts.onWarning ?? (() => undefined));
    // Rewrite a clean checkpoint (only the lines kept) before appending.
    const kept = [...done.values()].map((p) => checkpointLine(p, inputsOf(planned.get(p.key)!, opts)));
    writeFileSync(checkpoint, [JSON.stringify({ header }), ...kept].join('\n') + '\n');
  } else writeFileSync(checkpoint, `${JSON.stringify({ header })}\n`);
  const surrogates = spec.surrogates.join(',');
  parseSurrogateList(surrogates); // bad names fail here, before any worker starts
  const started = performance.now();
  // Every trial of every unfinished point is one task; a point is checkpointed the moment its
  // last trial lands, so an interrupted run loses only the points in flight.
  const todo = plan.filter((p) => !done.has(p.key));
  const tasks = todo.flatMap((point) => Array.from({ length: opts.trials }, (_, t) => ({ config: point.config, seed: opts.seed + t, surrogates, degreeCap: spec.degreeCap })));
  const landed = todo.map(() => [] as TrialRecord[]);
  let ran = 0;
  (opts.runTrials ?? localTrials)(tasks, (index, r) => {
    const p = Math.floor(index / opts.trials);
    landed[p][index % opts.trials] = {
      seed: r.seed,
      seconds: r.seconds,
      nn: r.nn,
      surrogates: Object.fromEntries(Object.entries(r.surrogates).map(([k, v]) => [k, { train: v.train, gen: v.gen, genZeroOne: v.genZeroOne }])),
      halfVarY: r.baseline.halfVarY,
    };
    if (landed[p].filter(Boolean).length < opts.trials) return;
    const point = todo[p];
    const record: PointRecord = { key: point.key, panel: point.panel, x: point.x, y: point.y, trials: landed[p] };
    appendFileSync(checkpoint, `${checkpointLine(record, inputsOf(point, opts))}\n`);
    done.set(point.key, record);
    ran++;
    opts.onProgress?.(done.size, plan.length, (performance.now() - started) / 1000 / ran);
  });
  const points = plan.map((p) => summarisePoint(done.get(p.key) as PointRecord));
  const result: FigureResult = { schema: 'onestep.figure/1', id: spec.id, title: spec.title, spec, n: opts.n, trialsPerPoint: opts.trials, seed: opts.seed, command: opts.command, points };
  writeFileSync(join(opts.outDir, `${spec.id}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
