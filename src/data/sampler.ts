// Sampling a data set from the mixture in O(rows·n·d), block by block, with no n×n matrix:
// x = μ_c + ζ + Γ_c diag(√(1+θ_c) − 1) Γ_cᵀ ζ has covariance exactly Σ_c (Γ_c orthonormal).
// Rows are drawn in order from one stream, so a set is the same whether it is drawn whole
// or in blocks of any size (the test set is streamed; --save-npy draws it whole).
import { linalg } from '../linalg/index.ts';
import { dot, type Matrix, matrixToOverwrite } from '../linalg/matrix.ts';
import type { Stream } from '../random/stream.ts';
import type { ExperimentConfig, TargetActivation, Task } from './config.ts';
import { componentCounts, type MixtureStructure } from './mixture.ts';

export interface SampleBlock {
  /** rows × n inputs. */
  X: Matrix;
  /** Labels. */
  y: Float64Array;
  /** Mixture component (0-based) of each row. */
  component: Int32Array;
}

/** Rows of one data set, drawn in order, block by block (the same rows whatever the block sizes). */
export interface RowSampler {
  readonly total: number;
  readonly remaining: number;
  next(rows: number): SampleBlock;
  all(): SampleBlock;
}

export interface LabelSpec {
  task: Task;
  targetAct: TargetActivation;
  noise: number;
  /** F1 and F* of the linear-plus-He₂ target, or null for σ_*. */
  linearPlusQuadratic: { f1: number; fStar: number } | null;
}

export function labelSpecOf(c: ExperimentConfig): LabelSpec {
  return {
    task: c.task,
    targetAct: c.targetAct,
    noise: c.noise,
    linearPlusQuadratic: c.targetLinear === null ? null : { f1: c.targetLinear, fStar: c.targetNonlinear },
  };
}

function targetFunction(name: TargetActivation, lpq: LabelSpec['linearPlusQuadratic']): (t: number) => number {
  if (lpq) {
    // F1·t + F*·He₂(t)/√2: E[He₂²] = 2, so the nonlinear part has second moment F*² when t ~ N(0,1).
    const { f1, fStar } = lpq;
    return (t) => f1 * t + (fStar * (t * t - 1)) / Math.SQRT2;
  }
  switch (name) {
    case 'relu':
      return (t) => (t > 0 ? t : 0);
    case 'tanh':
      return Math.tanh;
    case 'linear':
      return (t) => t;
  }
}

const EMPTY = new Float64Array(0);

/**
 * x ← ζ + Γ diag(√(1+θ) − 1) Γᵀ ζ (+ μ) for one row x = ζ of a component: every spike's
 * coefficient from ζ first, then the updates in order (the update must use ζ, not a partly
 * updated x). The backend's spikeShiftRows does the same operations in the same order.
 */
function spikeShift(x: Float64Array, comp: MixtureStructure['components'][number]): void {
  const n = x.length;
  const d = comp.spikes.rows;
  const coef = new Float64Array(d);
  for (let i = 0; i < d; i++) coef[i] = comp.sampleFactors[i] * dot(comp.spikes.data.subarray(i * n, (i + 1) * n), x);
  for (let i = 0; i < d; i++) {
    const g = comp.spikes.data.subarray(i * n, (i + 1) * n);
    const a = coef[i];
    for (let t = 0; t < n; t++) x[t] += a * g[t];
  }
  if (comp.mean) for (let t = 0; t < n; t++) x[t] += comp.mean[t];
}

export class SetSampler implements RowSampler {
  private readonly boundaries: number[];
  private readonly inputs: Stream;
  private readonly labelNoise: Stream;
  private readonly target: (t: number) => number;
  private position = 0;

  constructor(
    private readonly mixture: MixtureStructure,
    private readonly labels: LabelSpec,
    readonly total: number,
    stream: Stream,
  ) {
    const counts = componentCounts(
      mixture.components.map((c) => c.weight),
      total,
    );
    let acc = 0;
    this.boundaries = counts.map((k) => (acc += k));
    this.inputs = stream.child('inputs');
    this.labelNoise = stream.child('label-noise');
    this.target = targetFunction(labels.targetAct, labels.linearPlusQuadratic);
  }

  get remaining(): number {
    return this.total - this.position;
  }

  private componentOf(row: number): number {
    let c = 0;
    while (row >= this.boundaries[c]) c++;
    return c;
  }

  /** The next `rows` samples (fewer at the end of the set). */
  next(rows: number): SampleBlock {
    const count = Math.min(rows, this.remaining);
    const n = this.mixture.n;
    const X = matrixToOverwrite(count, n); // every entry a Gaussian below
    const y = new Float64Array(count);
    const component = new Int32Array(count);
    // ζ for every row, in row order from the one stream (as always: the same numbers).
    for (let r = 0; r < count; r++) component[r] = this.componentOf(this.position + r);
    this.inputs.fillGaussianRows(X.data, 0, count, n);
    // Each component's covariance step and mean on its rows (rows are independent).
    const la = linalg();
    const lists: number[][] = this.mixture.components.map(() => []);
    for (let r = 0; r < count; r++) lists[component[r]].push(r);
    this.mixture.components.forEach((comp, c) => {
      const rowsOf = Int32Array.from(lists[c]);
      if (rowsOf.length === 0) return;
      if (la.spikeShiftRows) la.spikeShiftRows(X.data, n, rowsOf, comp.spikes.data, comp.sampleFactors, comp.mean ?? EMPTY);
      else for (const r of rowsOf) spikeShift(X.data.subarray(r * n, (r + 1) * n), comp);
    });
    // Labels in row order (the label-noise stream is read in that order).
    const xi = this.mixture.targetDirection;
    const projections = new Float64Array(count);
    if (la.rowDots) la.rowDots(X.data, n, xi, projections);
    else for (let r = 0; r < count; r++) projections[r] = dot(xi, X.data.subarray(r * n, (r + 1) * n));
    for (let r = 0; r < count; r++) y[r] = this.label(component[r], projections[r]);
    this.position += count;
    return { X, y, component };
  }

  /** The label of a row of component c whose input projects to `t` on the target direction. */
  private label(c: number, t: number): number {
    const { task, noise } = this.labels;
    if (task === 'classification') {
      const clean = c === 0 ? 1 : -1;
      return noise > 0 && this.labelNoise.uniform() < noise ? -clean : clean;
    }
    const clean = this.target(t);
    return noise > 0 ? clean + noise * this.labelNoise.gaussian() : clean;
  }

  /** The whole remaining set at once. */
  all(): SampleBlock {
    return this.next(this.remaining);
  }
}
