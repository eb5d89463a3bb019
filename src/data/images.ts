// Fashion-MNIST as a data source, pre-processed as the paper did (docs/model.md §10), and its
// Gaussian-mixture twin.
//
// For the two classes c = 1, 2 (labels +1, −1), with images scaled to [0, 1]:
//   μ_c = class mean, S_c = class covariance (around μ_c, over all images of the class),
//   e_1 = 1, e_2 = √(Tr S_1 / Tr S_2) (equal class traces), a = √(θ/Tr S_1),
//   x = a·e_c·(image − centre_c) + s·ζ,  ζ ~ N(0, I_784),
// with centre_c = μ_c (the paper's, 'class') or (μ_1 + μ_2)/2 ('common'), θ = n^{β(1−α)} and s
// the pixel noise (1: the paper's). So Cov(x | c) = a²e_c²S_c + s²I and Tr Cov(x | c) = θ + s²n
// for both classes. The twin draws x = a·e_c·(μ_c − centre_c) + a·e_c·R_c g + s·ζ with
// R_c R_cᵀ = S_c (R_c = V_c Λ_c^{1/2} from the eigendecomposition of S_c), g, ζ ~ N(0, I): the
// same class means and covariances, Gaussian.
//
// Images are drawn without replacement within a trial: each class is permuted once from the
// trial's structure stream, and the step, ridge and test sets take consecutive, disjoint runs of
// that permutation. The added noise (and the twin's Gaussians) come from each set's own stream,
// so a trial replays from its seed.
import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { contentKey, readCachedArray, writeCachedArray } from '../io/array-cache.ts';
import { DataInputError, fashionMnistDir, IMAGE_PIXELS, type ImageClass, loadFashionClass } from '../io/fashion-mnist.ts';
import { linalg } from '../linalg/index.ts';
import { fromData, type Matrix, zeros } from '../linalg/matrix.ts';
import type { Stream } from '../random/stream.ts';
import type { ExperimentConfig, Sizes } from './config.ts';
import { componentCounts, type Component, type MixtureStructure, scalings } from './mixture.ts';
import type { LabelSpec, RowSampler, SampleBlock } from './sampler.ts';

/** What one class's images give the pre-processing: mean, covariance, and (on demand) its eigendecomposition. */
export interface ClassStatistics {
  images: ImageClass;
  /** μ_c (784, pixels in [0, 1]). */
  mean: Float64Array;
  /** S_c (784 × 784), population covariance around μ_c. */
  covariance: Matrix;
  /** Tr S_c. */
  trace: number;
}

export interface ClassSpectrum {
  /** Eigenvalues of S_c, largest first (negative rounding clipped to 0). */
  values: Float64Array;
  /** Eigenvectors as the rows of a 784 × 784 matrix, in the same order. */
  vectors: Matrix;
  /** R_c = V_c Λ_c^{1/2} as rows: R_c[i, :] is row i of the square-root factor (S_c = R_c R_cᵀ). */
  root: Matrix;
}

const statsMemo = new Map<string, ClassStatistics>();
const spectrumMemo = new Map<string, ClassSpectrum>();

/** Mean and covariance of one class (computed once per process: a 7000 × 784 Gram product). */
export function classStatistics(label: number, dir: string = fashionMnistDir()): ClassStatistics {
  const images = loadFashionClass(label, dir);
  const hit = statsMemo.get(images.file);
  if (hit) return hit;
  const n = IMAGE_PIXELS;
  const N = images.count;
  const mean = new Float64Array(n);
  for (let r = 0; r < N; r++) for (let j = 0; j < n; j++) mean[j] += images.pixels[r * n + j];
  for (let j = 0; j < n; j++) mean[j] /= 255 * N;
  const centred = new Float64Array(N * n);
  for (let r = 0; r < N; r++) for (let j = 0; j < n; j++) centred[r * n + j] = images.pixels[r * n + j] / 255 - mean[j];
  const covariance = linalg().gramAtA(fromData(N, n, centred));
  let trace = 0;
  for (let i = 0; i < covariance.data.length; i++) covariance.data[i] /= N;
  for (let j = 0; j < n; j++) trace += covariance.data[j * n + j];
  const stats = { images, mean, covariance, trace };
  statsMemo.set(images.file, stats);
  return stats;
}

/** S_c's eigendecomposition and square-root factor (~5 s at 784; kept per process and on disk). */
export function classSpectrum(stats: ClassStatistics): ClassSpectrum {
  const hit = spectrumMemo.get(stats.images.file);
  if (hit) return hit;
  const n = stats.covariance.rows;
  // On disk (.onestep-cache/, named by the class's pixels): ~5 s saved per class and process.
  const cacheName = `fashion-spectrum-${contentKey(stats.images.pixels)}`;
  const cached = readCachedArray(cacheName, n + n * n);
  let values: Float64Array;
  let vectors: Matrix;
  if (cached) {
    values = cached.slice(0, n);
    vectors = fromData(n, n, cached.slice(n));
  } else {
    const ml = new MlMatrix(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ml.set(i, j, stats.covariance.data[i * n + j]);
    const eig = new EigenvalueDecomposition(ml, { assumeSymmetric: true });
    const raw = eig.realEigenvalues;
    const V = eig.eigenvectorMatrix;
    const order = raw.map((_, i) => i).sort((p, q) => raw[q] - raw[p]);
    values = Float64Array.from(order, (i) => Math.max(0, raw[i]));
    vectors = zeros(n, n);
    for (let a = 0; a < n; a++) for (let t = 0; t < n; t++) vectors.data[a * n + t] = V.get(t, order[a]);
    const keep = new Float64Array(n + n * n);
    keep.set(values, 0);
    keep.set(vectors.data, n);
    writeCachedArray(cacheName, keep);
  }
  // R[i, a] = V[i, a]·√λ_a, so that R Rᵀ = V Λ Vᵀ = S_c.
  const root = zeros(n, n);
  for (let i = 0; i < n; i++) for (let a = 0; a < n; a++) root.data[i * n + a] = vectors.data[a * n + i] * Math.sqrt(values[a]);
  const spectrum = { values, vectors, root };
  spectrumMemo.set(stats.images.file, spectrum);
  return spectrum;
}

/** The pre-processing constants of a configuration (docs/model.md §10). */
export interface ImagePreprocessing {
  stats: [ClassStatistics, ClassStatistics];
  /** a·e_c: the factor applied to (image − centre_c). */
  factor: [number, number];
  /** centre_c (pixels in [0, 1]). */
  centre: [Float64Array, Float64Array];
  /** θ and the pixel noise s. */
  theta: number;
  noise: number;
  /** Tr Cov(x | c) = θ + s²n (the same for both classes). */
  trace: number;
}

export function imagePreprocessing(c: ExperimentConfig, dir: string = fashionMnistDir()): ImagePreprocessing {
  const stats: [ClassStatistics, ClassStatistics] = [classStatistics(c.classes[0], dir), classStatistics(c.classes[1], dir)];
  const { theta } = scalings(c);
  for (const s of stats) if (!(s.trace > 0)) throw new DataInputError(`${s.images.file}: every image of class ${s.images.label} is the same: the class covariance has trace 0 and cannot be scaled`);
  const a = Math.sqrt(theta / stats[0].trace);
  const factor: [number, number] = [a, a * Math.sqrt(stats[0].trace / stats[1].trace)];
  let centre: [Float64Array, Float64Array] = [stats[0].mean, stats[1].mean];
  if (c.centring === 'common') {
    const common = stats[0].mean.map((v, j) => (v + stats[1].mean[j]) / 2);
    centre = [common, common];
  }
  return { stats, factor, centre, theta, noise: c.pixelNoise, trace: theta + c.pixelNoise ** 2 * IMAGE_PIXELS };
}

/** Each class's images in a seeded order, and where each set's run of it starts. */
interface ImagePlan {
  order: [Uint32Array, Uint32Array];
  /** Per set and class: first position in the order, and count. */
  runs: Record<'step' | 'ridge' | 'test', [number, number][]>;
}

function permutation(count: number, stream: Stream): Uint32Array {
  const p = Uint32Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(stream.uniform() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

function planImages(pre: ImagePreprocessing, weights: number[], sizes: Sizes, stream: Stream, twin: boolean): ImagePlan {
  const counts = { step: componentCounts(weights, sizes.mStep), ridge: componentCounts(weights, sizes.m), test: componentCounts(weights, sizes.mTest) };
  const runs: ImagePlan['runs'] = { step: [], ridge: [], test: [] };
  for (let c = 0; c < 2; c++) {
    const available = pre.stats[c].images.count;
    const needed = counts.step[c] + counts.ridge[c] + counts.test[c];
    // The twin is Gaussian and draws as many rows as asked; the images are finite.
    if (!twin && needed > available) {
      throw new DataInputError(
        `class ${pre.stats[c].images.label} has ${available} images, and a trial draws ${needed} of them without replacement (step ${counts.step[c]} + ridge ${counts.ridge[c]} + test ${counts.test[c]}): lower --m-ratio, --step-ratio or --test-ratio`,
      );
    }
    let at = 0;
    for (const set of ['step', 'ridge', 'test'] as const) {
      runs[set].push([at, counts[set][c]]);
      at += counts[set][c];
    }
  }
  const order: [Uint32Array, Uint32Array] = [permutation(pre.stats[0].images.count, stream.child('class-0')), permutation(pre.stats[1].images.count, stream.child('class-1'))];
  return { order, runs };
}

/** Rows of one set, images or twin, in class order (all of class 1, then class 2), drawn block by block. */
class ImageRowSampler implements RowSampler {
  private position = 0;
  private readonly boundaries: number[];
  private readonly noise: Stream;
  private readonly twinStream: Stream;
  private readonly labelNoise: Stream;

  constructor(
    private readonly pre: ImagePreprocessing,
    private readonly plan: ImagePlan,
    private readonly set: 'step' | 'ridge' | 'test',
    private readonly twin: boolean,
    private readonly labels: LabelSpec,
    readonly total: number,
    stream: Stream,
  ) {
    const r = plan.runs[set];
    this.boundaries = [r[0][1], r[0][1] + r[1][1]];
    this.noise = stream.child('pixel-noise');
    this.twinStream = stream.child('twin');
    this.labelNoise = stream.child('label-noise');
  }

  get remaining(): number {
    return this.total - this.position;
  }

  next(rows: number): SampleBlock {
    const count = Math.min(rows, this.remaining);
    const n = IMAGE_PIXELS;
    const X = zeros(count, n);
    const y = new Float64Array(count);
    const component = new Int32Array(count);
    let r = 0;
    while (r < count) {
      const pos = this.position + r;
      const c = pos < this.boundaries[0] ? 0 : 1;
      const end = Math.min(count, (c === 0 ? this.boundaries[0] : this.boundaries[1]) - this.position);
      this.fillClass(X, r, end, c, pos - (c === 0 ? 0 : this.boundaries[0]));
      for (let i = r; i < end; i++) {
        component[i] = c;
        const clean = c === 0 ? 1 : -1;
        y[i] = this.labels.noise > 0 && this.labelNoise.uniform() < this.labels.noise ? -clean : clean;
      }
      r = end;
    }
    // The added noise last, in row order over the whole block (its stream does not see class runs).
    if (this.pre.noise > 0) {
      const extra = new Float64Array(count * n);
      this.noise.fillGaussian(extra, 0, extra.length, this.pre.noise);
      for (let i = 0; i < extra.length; i++) X.data[i] += extra[i];
    }
    this.position += count;
    return { X, y, component };
  }

  /** Rows [from, to) of X from class c, starting at its `first`-th image of this set. */
  private fillClass(X: Matrix, from: number, to: number, c: number, first: number): void {
    const n = IMAGE_PIXELS;
    const f = this.pre.factor[c];
    const centre = this.pre.centre[c];
    const stats = this.pre.stats[c];
    if (this.twin) {
      // x = f·(μ_c − centre_c) + f·R_c g: Gaussian with the class's mean and covariance.
      const rows = to - from;
      const g = zeros(rows, n);
      this.twinStream.fillGaussian(g.data);
      const z = linalg().mulABt(g, classSpectrum(stats).root);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < n; j++) X.data[(from + i) * n + j] = f * (stats.mean[j] - centre[j] + z.data[i * n + j]);
      }
      return;
    }
    const [start] = this.plan.runs[this.set][c];
    const order = this.plan.order[c];
    const pixels = stats.images.pixels;
    for (let i = from; i < to; i++) {
      const img = order[start + first + (i - from)];
      for (let j = 0; j < n; j++) X.data[i * n + j] = f * (pixels[img * n + j] / 255 - centre[j]);
    }
  }

  all(): SampleBlock {
    return this.next(this.remaining);
  }
}

/**
 * The structure surrogates see for image data: the trace tr = θ + s²n (F ~ N(0, 1/tr)), the
 * Hermite scale b = 1 (the paper's: √(Tr Cov(x|c)/tr), the whole preactivation at
 * initialisation), and per class the `rank` leading eigenvectors of the class covariance as
 * "spikes" with their variances above the noise as strengths (computed on first use).
 */
function imageStructure(c: ExperimentConfig, pre: ImagePreprocessing): MixtureStructure {
  const n = IMAGE_PIXELS;
  const { theta, eta } = scalings(c);
  const components: Component[] = [0, 1].map((k) => {
    const f = pre.factor[k];
    const mean = c.centring === 'common' ? pre.stats[k].mean.map((v, j) => f * (v - pre.centre[k][j])) : null;
    let cached: { spikes: Matrix; thetas: Float64Array; sampleFactors: Float64Array } | null = null;
    const spectral = () => {
      if (!cached) {
        const s = classSpectrum(pre.stats[k]);
        const d = c.rank;
        const spikes = fromData(d, n, s.vectors.data.slice(0, d * n));
        const thetas = Float64Array.from(s.values.subarray(0, d), (v) => (f * f * v) / Math.max(pre.noise ** 2, 1e-300));
        cached = { spikes, thetas, sampleFactors: thetas.map((t) => Math.sqrt(1 + t) - 1) };
      }
      return cached;
    };
    let covariance: Matrix | null = null;
    return {
      weight: c.rho[k],
      mean,
      // Σ_c = f_c²·S_c + s²·I, made on first use (only the Gaussian surrogates ask for it).
      get covariance() {
        if (!covariance) {
          const S = pre.stats[k].covariance;
          covariance = fromData(n, n, S.data.map((v) => f * f * v));
          for (let j = 0; j < n; j++) covariance.data[j * n + j] += pre.noise ** 2;
        }
        return covariance;
      },
      get spikes() {
        return spectral().spikes;
      },
      get thetas() {
        return spectral().thetas;
      },
      get sampleFactors() {
        return spectral().sampleFactors;
      },
    };
  });
  return {
    n,
    components,
    trace: pre.trace,
    bulkScale: 1,
    // Not used for classification (labels are the classes); the noise floor is a lower bound.
    covarianceNorm: pre.noise ** 2,
    targetDirection: new Float64Array(n),
    thetaScale: theta,
    eta,
  };
}

/** Where a trial's inputs come from: its structure, and a sampler per set. */
export interface DataSource {
  structure: MixtureStructure;
  sampler(set: 'step' | 'ridge' | 'test', total: number, stream: Stream): RowSampler;
}

/** The image source of a configuration (images or their twin). */
export function imageSource(c: ExperimentConfig, sizes: Sizes, labels: LabelSpec, structureStream: Stream): DataSource {
  const pre = imagePreprocessing(c);
  const twin = c.data === 'fashion-mnist-twin';
  const plan = planImages(pre, c.rho, sizes, structureStream.child('images'), twin);
  return {
    structure: imageStructure(c, pre),
    sampler: (set, total, stream) => new ImageRowSampler(pre, plan, set, twin, labels, total, stream),
  };
}
