// Running a figure's sweep with a checkpoint: every finished point is appended as one JSON
// line to DIR/<id>.checkpoint.jsonl, so an interrupted run resumes where it stopped and loses
// nothing. The figure's JSON (the source of truth for SVG and Markdown) is written at the end.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG, type ExperimentConfig, validateConfig } from '../data/config.ts';
import { estimate, type Estimate } from '../experiment/stats.ts';
import { runTrial } from '../experiment/trial.ts';
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

/** A checkpoint that cannot be resumed (another run's, or a damaged line): bad input, not a bug. */
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

// Errors of a model in one trial (null: a NaN or overflow, written by JSON as null).
const ERRORS: Shape = obj({ train: nullable(num), gen: nullable(num), genZeroOne: optional(nullable(num)) });
const POINT_RECORD: Shape = obj({
  key: str,
  panel: str,
  x: num,
  y: nullable(num),
  trials: list(obj({ seed: num, seconds: num, nn: ERRORS, surrogates: record(ERRORS), halfVarY: nullable(num) })),
});

function readCheckpoint(path: string, expected: CheckpointHeader['header'], planKeys: ReadonlySet<string>): Map<string, PointRecord> {
  const done = new Map<string, PointRecord>();
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const refuse = (i: number, why: string): CheckpointError => new CheckpointError(`${path}: line ${i + 1} ${why}; use another --out or drop --resume`);
  lines.forEach((line, i) => {
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      // A run killed mid-write leaves at most a partial last line: drop it and redo that point.
      if (i === lines.length - 1) return;
      throw refuse(i, 'is not JSON');
    }
    if (i === 0) {
      const h = (obj as Partial<CheckpointHeader> | null)?.header;
      if (h === null || typeof h !== 'object') throw refuse(i, 'is not a checkpoint header ({"header": {id, n, trials, seed, surrogates}})');
      if (h.id !== expected.id || h.n !== expected.n || h.trials !== expected.trials || h.seed !== expected.seed || h.surrogates !== expected.surrogates) {
        throw new CheckpointError(`${path} belongs to another run (${JSON.stringify(h)}, this run is ${JSON.stringify(expected)}); use another --out or drop --resume`);
      }
      return;
    }
    const problem = shapeProblem(POINT_RECORD, obj);
    if (problem) throw refuse(i, `is not a finished point: ${problem}`);
    const p = obj as PointRecord;
    if (!planKeys.has(p.key)) throw refuse(i, `is a point this figure does not have (key ${JSON.stringify(p.key)})`);
    if (p.trials.length !== expected.trials) throw refuse(i, `has ${p.trials.length} trials, the run ${expected.trials}`);
    done.set(p.key, p);
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
  let done = new Map<string, PointRecord>();
  if (opts.resume && existsSync(checkpoint)) done = readCheckpoint(checkpoint, header, new Set(plan.map((p) => p.key)));
  else writeFileSync(checkpoint, `${JSON.stringify({ header })}\n`);
  // Rewrite a clean checkpoint (drops a partial last line) before appending.
  if (opts.resume && existsSync(checkpoint)) {
    writeFileSync(checkpoint, [JSON.stringify({ header }), ...[...done.values()].map((p) => JSON.stringify(p))].join('\n') + '\n');
  }
  const surrogates = parseSurrogateList(spec.surrogates.join(','));
  const started = performance.now();
  let ran = 0;
  for (const point of plan) {
    if (done.has(point.key)) continue;
    const trials: TrialRecord[] = [];
    for (let t = 0; t < opts.trials; t++) {
      const r = runTrial({ config: point.config, seed: opts.seed + t, surrogates, degreeCap: spec.degreeCap });
      trials.push({
        seed: r.seed,
        seconds: r.seconds,
        nn: r.nn,
        surrogates: Object.fromEntries(Object.entries(r.surrogates).map(([k, v]) => [k, { train: v.train, gen: v.gen, genZeroOne: v.genZeroOne }])),
        halfVarY: r.baseline.halfVarY,
      });
    }
    const record: PointRecord = { key: point.key, panel: point.panel, x: point.x, y: point.y, trials };
    appendFileSync(checkpoint, `${JSON.stringify(record)}\n`);
    done.set(point.key, record);
    ran++;
    opts.onProgress?.(done.size, plan.length, (performance.now() - started) / 1000 / ran);
  }
  const points = plan.map((p) => summarisePoint(done.get(p.key) as PointRecord));
  const result: FigureResult = { schema: 'onestep.figure/1', id: spec.id, title: spec.title, spec, n: opts.n, trialsPerPoint: opts.trials, seed: opts.seed, command: opts.command, points };
  writeFileSync(join(opts.outDir, `${spec.id}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
