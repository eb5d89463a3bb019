// The mixture's fixed structure (docs/model.md §1–2): spike directions and strengths per component,
// equal-trace rescaling, means, the mixture covariance's norm, and the target direction ξ.
// Everything here is drawn from the 'structure' stream and shared by all models of a trial.
import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { dot, type Matrix, zeros } from '../linalg/matrix.ts';
import type { Stream } from '../random/stream.ts';
import type { ExperimentConfig } from './config.ts';

export interface Component {
  /** Mixture weight ρ_c. */
  weight: number;
  /**
   * Spikes γ_{c,1..d} as the rows of a d×n matrix: orthonormal, except that with independent
   * bases and 0 < |a| < 1 the rows of components 2..C are a·γ_1 + √(1−a²)·γ', as the authors draw them.
   */
  spikes: Matrix;
  /** Spike strengths θ_{c,i}. */
  thetas: Float64Array;
  /** √(1+θ_{c,i}) − 1: the sampling factor x = ζ + Γ diag(√(1+θ)−1) Γᵀ ζ. */
  sampleFactors: Float64Array;
  /** μ_c, or null for a centred component. */
  mean: Float64Array | null;
  /**
   * The component's whole input covariance (n × n), for sources whose covariance is not
   * I + spikes (Fashion-MNIST: f_c²S_c + s²I, docs/model.md §10); absent for the mixture. The
   * Gaussian surrogates then condition on it exactly instead of assuming an isotropic bulk.
   */
  covariance?: Matrix;
}

export interface MixtureStructure {
  n: number;
  components: Component[];
  /** tr := Tr Σ_c (equal for every component). */
  trace: number;
  /** b = √(n/tr): the typical size of a bulk preactivation f_iᵀx at initialisation (the Hermite scale). */
  bulkScale: number;
  /** ‖Σ‖₂ of the mixture covariance Σ = Σ_c ρ_c Σ_c. */
  covarianceNorm: number;
  /** Target direction ξ (‖ξ‖ = 1/√‖Σ‖). */
  targetDirection: Float64Array;
  /** The strength θ = n^{β(1−α)} (or the explicit value) before randomisation. */
  thetaScale: number;
  /** The first-layer learning rate η (before the step scale). */
  eta: number;
}

/** θ and η from the (α, β) scalings of docs/model.md §2, unless given explicitly. */
export function scalings(c: ExperimentConfig): { theta: number; eta: number } {
  const theta = typeof c.theta === 'number' ? c.theta : c.n ** (c.beta * (1 - c.alpha));
  const eta = c.eta ?? c.n ** (c.beta * c.alpha);
  return { theta, eta };
}

/** Orthonormalise rows in place (modified Gram–Schmidt, twice for stability), against `against` rows first. */
function orthonormaliseRows(rows: Float64Array[], against: Float64Array[] = []): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const before = Math.sqrt(dot(r, r));
      for (const q of [...against, ...rows.slice(0, i)]) {
        const p = dot(r, q);
        for (let t = 0; t < r.length; t++) r[t] -= p * q[t];
      }
      const nr = Math.sqrt(dot(r, r));
      // Relative test: when the rows outnumber the free dimensions, what is left is round-off
      // (~1e-16 of the norm), which must not be normalised into a fake direction.
      if (!(nr > 1e-8 * before)) throw new RangeError('degenerate spike directions (n too small for the rank)');
      for (let t = 0; t < r.length; t++) r[t] /= nr;
    }
  }
}

function rowsToMatrix(rows: Float64Array[], n: number): Matrix {
  const m = zeros(rows.length, n);
  rows.forEach((r, i) => m.data.set(r, i * n));
  return m;
}

function matrixRows(m: Matrix): Float64Array[] {
  return Array.from({ length: m.rows }, (_, i) => m.data.subarray(i * m.cols, (i + 1) * m.cols));
}

/** λ_max of Σ_c ρ_c Γ_c diag(θ_c) Γ_cᵀ through the small Gram matrix of its square-root factor. */
function spikeNormOfMixture(components: Component[]): number {
  const cols: Float64Array[] = [];
  for (const comp of components) {
    matrixRows(comp.spikes).forEach((g, i) => {
      const s = Math.sqrt(comp.weight * comp.thetas[i]);
      cols.push(g.map((v) => v * s));
    });
  }
  if (cols.length === 0) return 0;
  const gram = MlMatrix.zeros(cols.length, cols.length);
  for (let i = 0; i < cols.length; i++) {
    for (let j = i; j < cols.length; j++) {
      const v = dot(cols[i], cols[j]);
      gram.set(i, j, v);
      gram.set(j, i, v);
    }
  }
  const eig = new EigenvalueDecomposition(gram, { assumeSymmetric: true });
  return Math.max(0, ...eig.realEigenvalues);
}

export function buildMixture(c: ExperimentConfig, stream: Stream): MixtureStructure {
  const { n, rank: d } = c;
  const { theta, eta } = scalings(c);
  const spikeStream = stream.child('spikes');
  const strengthStream = stream.child('strengths');

  // Component 1: orthonormalised Gaussian directions.
  const first = Array.from({ length: d }, () => spikeStream.gaussians(n));
  orthonormaliseRows(first);
  const spikeSets: Float64Array[][] = [first];
  // Components 2..C: γ_c = a γ_1 + √(1−a²) γ'_c with γ'_c orthonormal. 'independent' draws γ'_c
  // as its own Gaussian basis, as the authors do (QR of a fresh Gaussian matrix per component),
  // so γ_1ᵀγ'_c ≈ N(0, 1/n) and ‖Σ‖ carries that overlap (docs/model.md §1: ~2% on every error at
  // n = 1000). 'orthogonal' draws γ'_c in the complement of span Γ_1, so Γ_c is exactly
  // orthonormal and Γ_1ᵀΓ_c = a·I exactly. Either way x = ζ + Γ_c diag(√(1+θ)−1) Γ_cᵀ ζ, the
  // authors' sampler.
  const a = c.align;
  const b = Math.sqrt(Math.max(0, 1 - a * a));
  for (let comp = 1; comp < c.components; comp++) {
    const fresh = Array.from({ length: d }, () => spikeStream.gaussians(n));
    orthonormaliseRows(fresh, c.spikes === 'orthogonal' ? first : []);
    spikeSets.push(fresh.map((g, i) => g.map((v, t) => a * first[i][t] + b * v)));
  }

  // Strengths: fixed θ, or θ·U(0,1); then equal traces (Σ_i θ_{c,i} = Σ_i θ_{1,i}).
  const strengths = spikeSets.map(() =>
    Float64Array.from({ length: d }, () => (c.theta === 'random' ? theta * strengthStream.uniform() : theta)),
  );
  const total = (t: Float64Array): number => t.reduce((s, v) => s + v, 0);
  const target = total(strengths[0]);
  for (let comp = 1; comp < strengths.length; comp++) {
    const tot = total(strengths[comp]);
    if (tot > 0) strengths[comp] = strengths[comp].map((v) => (v * target) / tot);
  }

  const meanStream = stream.child('means');
  const components: Component[] = spikeSets.map((rows, comp) => {
    let mean: Float64Array | null = null;
    if (c.meanNorm > 0) {
      const g = meanStream.gaussians(n);
      const ng = Math.sqrt(dot(g, g));
      mean = g.map((v) => (v * c.meanNorm) / ng);
    }
    return {
      weight: c.rho[comp],
      spikes: rowsToMatrix(rows, n),
      thetas: strengths[comp],
      sampleFactors: strengths[comp].map((t) => Math.sqrt(1 + t) - 1),
      mean,
    };
  });

  const covarianceNorm = 1 + spikeNormOfMixture(components);
  const trace = n + target;

  // ξ = g/(‖g‖√‖Σ‖): g Gaussian, or the sum of the leading spikes of components 1 and 2.
  let g: Float64Array;
  if (c.target === 'spike') {
    g = new Float64Array(n);
    for (let comp = 0; comp < Math.min(2, components.length); comp++) {
      const s = components[comp].spikes.data.subarray(0, n);
      for (let t = 0; t < n; t++) g[t] += s[t];
    }
    if (!(dot(g, g) > 1e-12)) g = first[0].slice(); // alignment −1 cancels the sum: use γ_{1,1}
  } else {
    g = stream.child('target').gaussians(n);
  }
  const scale = 1 / (Math.sqrt(dot(g, g)) * Math.sqrt(covarianceNorm));
  const targetDirection = g.map((v) => v * scale);

  return { n, components, trace, bulkScale: Math.sqrt(n / trace), covarianceNorm, targetDirection, thetaScale: theta, eta };
}

/** Deterministic component counts: m_c = ⌊ρ_c m⌋ for c < C, the last takes the rest. */
export function componentCounts(weights: readonly number[], m: number): number[] {
  const counts = weights.map((w) => Math.floor(w * m + 1e-9));
  counts[counts.length - 1] = m - counts.slice(0, -1).reduce((s, v) => s + v, 0);
  return counts;
}
