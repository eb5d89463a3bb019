// The conditional Gaussian model of docs/model.md §5 and its unconditional baseline.
//
// Given the component c of x and its coordinates κ_c = B_cᵀx in the low-dimensional subspace
// spanned by the gradient-spike direction v, the spikes γ_{c,·} (and the mean μ_c when there
// is one), F̂x = s + u splits into a shift s = F̂B_cκ_c fixed by κ_c and a bulk u = F̂z^⊥ that
// is exactly Gaussian given (c, κ_c). Each neuron's feature is replaced by the Gaussian with
// the same conditional mean, cross-covariance with the bulk and remaining variance:
//   feature_i = ν_i + Ψ_i u_i + √Φ_i g_i,  g ~ N(0, I_k) fresh per entry,
// with ν, Ψ, Φ the Gaussian moments of σ at scale b_i (bulk std of neuron i) and shift s_i.
// The unconditional model is the same at s = 0 and u = F̂x, with b_i² the actual second moment
// of f̂_iᵀx over the mixture, Σ_c ρ_c (f̂_iᵀΣ_c f̂_i + (μ_cᵀf̂_i)²); when the components have
// means, s is their mixture mean m_i = Σ_c ρ_c μ_cᵀf̂_i, u = F̂x − m_i and b_i² the variance. (Taking b_i = ‖f̂_i‖, docs/model.md §5's
// formula with an empty subspace, ignores the spikes and made the baseline fail for the wrong
// reason: mis-scaled moments rather than the missing conditioning.)
import { linalg } from '../linalg/index.ts';
import { dot, type Matrix, transpose, zeros } from '../linalg/matrix.ts';
import { conditionalMoments } from '../math/moment-tables.ts';
import { stepSetCorrelation } from '../model/network.ts';
import type { FeatureMap, TrialContext } from '../model/features.ts';
import type { Stream } from '../random/stream.ts';
import { defineSurrogate } from './kind.ts';

/** v = X̃ᵀỹ/‖X̃ᵀỹ‖: the direction of the rank-one part of G (docs/model.md §7). */
export function gradientSpikeDirection(ctx: TrialContext): Float64Array {
  const v = stepSetCorrelation(ctx.stepSet);
  const n = v.length;
  const norm = Math.sqrt(dot(v, v));
  if (norm > 0) for (let t = 0; t < n; t++) v[t] /= norm;
  return v;
}

/** Orthonormal rows spanning the given vectors (Gram–Schmidt twice; near-dependent ones dropped). */
export function orthonormalBasis(vectors: Float64Array[]): Float64Array[] {
  const basis: Float64Array[] = [];
  for (const vec of vectors) {
    const r = Float64Array.from(vec);
    const original = Math.sqrt(dot(r, r));
    if (!(original > 0)) continue;
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        const p = dot(r, q);
        for (let t = 0; t < r.length; t++) r[t] -= p * q[t];
      }
    }
    const nr = Math.sqrt(dot(r, r));
    // A direction already (numerically) in the span adds nothing.
    if (nr > 1e-10 * original) basis.push(r.map((x) => x / nr));
  }
  return basis;
}

interface ComponentProjection {
  /** B_c as rows (p × n). */
  basis: Matrix;
  /** F̂B_c (k × p). */
  fhatBasis: Matrix;
  /** Bulk std b_i = √(‖f̂_i‖² − ‖B_cᵀf̂_i‖²). */
  bulkScale: Float64Array;
  /** A shift every sample shares (the unconditional model's mixture mean of f̂_iᵀx), or null. */
  offset: Float64Array | null;
}

function rowNormsSquared(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    const r = m.data.subarray(i * m.cols, (i + 1) * m.cols);
    out[i] = dot(r, r);
  }
  return out;
}

function projection(ctx: TrialContext, vectors: Float64Array[], fhatNorms2: Float64Array): ComponentProjection {
  const rows = orthonormalBasis(vectors);
  const n = ctx.Fhat.cols;
  const k = ctx.Fhat.rows;
  const basis = zeros(rows.length, n);
  rows.forEach((r, i) => basis.data.set(r, i * n));
  const fhatBasis = zeros(k, rows.length);
  for (let i = 0; i < k; i++) {
    const f = ctx.Fhat.data.subarray(i * n, (i + 1) * n);
    for (let a = 0; a < rows.length; a++) fhatBasis.data[i * rows.length + a] = dot(f, rows[a]);
  }
  const bulkScale = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let inside = 0;
    for (let a = 0; a < rows.length; a++) inside += fhatBasis.data[i * rows.length + a] ** 2;
    bulkScale[i] = Math.sqrt(Math.max(fhatNorms2[i] - inside, 0));
  }
  return { basis, fhatBasis, bulkScale, offset: null };
}

/**
 * Exact Gaussian conditioning for a component with a full covariance Σ and mean μ (image sources,
 * docs/model.md §10): given κ = Bᵀx, f̂_iᵀx is Gaussian with mean f̂_iᵀμ + W_i(κ − Bᵀμ) and variance
 * f̂_iᵀΣf̂_i − W_i BᵀΣf̂_i, W = F̂ΣB(BᵀΣB)⁻¹. With Σ = I this is `projection` above (W = F̂B,
 * b_i² = ‖f̂_i‖² − ‖Bᵀf̂_i‖²); for images the bulk is far from isotropic (the image covariance
 * beyond the kept directions), and taking it as I would mis-scale every moment.
 */
function covarianceProjection(ctx: TrialContext, vectors: Float64Array[], sigma: Matrix, mu: Float64Array | null): ComponentProjection {
  const rows = orthonormalBasis(vectors);
  const n = ctx.Fhat.cols;
  const k = ctx.Fhat.rows;
  const p = rows.length;
  const basis = zeros(p, n);
  rows.forEach((r, i) => basis.data.set(r, i * n));
  const la = linalg();
  const sigmaB = la.mulABt(sigma, basis); // n × p: ΣB (Σ symmetric)
  const bSigmaB = la.mulAB(basis, sigmaB); // p × p
  const fSigma = la.mulAB(ctx.Fhat, sigma); // k × n
  const fSigmaB = la.mulAB(ctx.Fhat, sigmaB); // k × p
  const W = transpose(la.choleskySolve(bSigmaB, transpose(fSigmaB))); // k × p
  const bulkScale = new Float64Array(k);
  const offset = mu ? new Float64Array(k) : null;
  const bMu = mu ? rows.map((r) => dot(r, mu)) : null;
  for (let i = 0; i < k; i++) {
    const f = ctx.Fhat.data.subarray(i * n, (i + 1) * n);
    let v = dot(fSigma.data.subarray(i * n, (i + 1) * n), f);
    for (let a = 0; a < p; a++) v -= W.data[i * p + a] * fSigmaB.data[i * p + a];
    bulkScale[i] = Math.sqrt(Math.max(v, 0));
    if (offset && mu && bMu) {
      let o = dot(f, mu);
      for (let a = 0; a < p; a++) o -= W.data[i * p + a] * bMu[a];
      offset[i] = o;
    }
  }
  return { basis, fhatBasis: W, bulkScale, offset };
}

/** Runs [start, end) of consecutive rows that share a component. */
function componentRuns(component: Int32Array): [number, number, number][] {
  const runs: [number, number, number][] = [];
  let start = 0;
  for (let r = 1; r <= component.length; r++) {
    if (r === component.length || component[r] !== component[start]) {
      runs.push([start, r, component[start]]);
      start = r;
    }
  }
  return runs;
}

function gaussianFeatures(
  ctx: TrialContext,
  pre: Matrix,
  X: Matrix,
  component: Int32Array,
  projections: ComponentProjection[],
  noise: Stream,
): Matrix {
  const k = pre.cols;
  const n = X.cols;
  const out = zeros(pre.rows, k);
  // Noise first, in row order, so that the stream consumption does not depend on runs.
  noise.fillGaussian(out.data);
  for (const [start, end, c] of componentRuns(component)) {
    const proj = projections[c];
    const rows = end - start;
    const p = proj.basis.rows;
    const shift = zeros(rows, k);
    const bulk = zeros(rows, k);
    for (let r = 0; r < rows; r++) {
      const x = X.data.subarray((start + r) * n, (start + r + 1) * n);
      const kappa = new Float64Array(p);
      for (let a = 0; a < p; a++) kappa[a] = dot(proj.basis.data.subarray(a * n, (a + 1) * n), x);
      const base = r * k;
      const preBase = (start + r) * k;
      for (let i = 0; i < k; i++) {
        let s = proj.offset ? proj.offset[i] : 0;
        for (let a = 0; a < p; a++) s += proj.fhatBasis.data[i * p + a] * kappa[a];
        shift.data[base + i] = s;
        bulk.data[base + i] = pre.data[preBase + i] - s;
      }
    }
    const moments = { nu: zeros(rows, k), psi: zeros(rows, k), phi: zeros(rows, k) };
    conditionalMoments(ctx.act, proj.bulkScale, shift, moments);
    const o = out.data;
    for (let r = 0; r < rows; r++) {
      const base = r * k;
      const outBase = (start + r) * k;
      for (let i = 0; i < k; i++) {
        const e = base + i;
        o[outBase + i] = moments.nu.data[e] + moments.psi.data[e] * bulk.data[e] + Math.sqrt(moments.phi.data[e]) * o[outBase + i];
      }
    }
  }
  return out;
}

export function conditionalGaussianFeatureMap(ctx: TrialContext, name: string): FeatureMap {
  const v = gradientSpikeDirection(ctx);
  const norms2 = rowNormsSquared(ctx.Fhat);
  const n = ctx.Fhat.cols;
  const projections = ctx.mixture.components.map((comp) => {
    const vectors = [v];
    for (let i = 0; i < comp.spikes.rows; i++) vectors.push(comp.spikes.data.subarray(i * n, (i + 1) * n));
    if (comp.mean) vectors.push(comp.mean);
    if (comp.covariance) return covarianceProjection(ctx, vectors, comp.covariance, comp.mean);
    return projection(ctx, vectors, norms2);
  });
  const dims = projections.map((p) => p.basis.rows);
  return {
    name,
    info: { subspaceDim: Math.max(...dims), meanBulkScale: mean(projections[0].bulkScale) },
    features: (block, pre, noise) => gaussianFeatures(ctx, pre, block.X, block.component, projections, noise),
  };
}

/** E f̂_iᵀx over the mixture: Σ_c ρ_c μ_cᵀf̂_i (zero when the components are centred). */
export function mixtureMeans(ctx: TrialContext): Float64Array {
  const { Fhat } = ctx;
  const n = Fhat.cols;
  const out = new Float64Array(Fhat.rows);
  for (const comp of ctx.mixture.components) {
    if (!comp.mean) continue;
    for (let i = 0; i < Fhat.rows; i++) out[i] += comp.weight * dot(comp.mean, Fhat.data.subarray(i * n, (i + 1) * n));
  }
  return out;
}

/**
 * E(f̂_iᵀx)² over the mixture, exactly for the sampler x = μ_c + A_cζ, A_c = I + Γ_c diag(s_c) Γ_cᵀ,
 * s = √(1+θ) − 1: Σ_c ρ_c (‖A_c f̂_i‖² + (μ_cᵀf̂_i)²). With p_l = γ_lᵀf̂_i,
 * ‖A_c f̂‖² = ‖f̂‖² + 2Σ_l s_l p_l² + Σ_{l,l'} s_l p_l s_l' p_l' γ_lᵀγ_l', which is the familiar
 * ‖f̂‖² + Σ_l θ_l p_l² when the spikes are orthonormal, and stays exact when they are not
 * (independent bases with 0 < |a| < 1, as the authors draw them).
 */
export function mixtureSecondMoments(ctx: TrialContext): Float64Array {
  const { Fhat } = ctx;
  const n = Fhat.cols;
  const out = rowNormsSquared(Fhat);
  const spikeRows = ctx.mixture.components.map((comp) =>
    comp.covariance ? [] : Array.from({ length: comp.spikes.rows }, (_, l) => comp.spikes.data.subarray(l * n, (l + 1) * n)),
  );
  const grams = spikeRows.map((rows) => rows.map((g) => rows.map((h) => dot(g, h))));
  // F̂Σ_c once per component given whole (image sources), by the backend's product.
  const fSigma = ctx.mixture.components.map((comp) => (comp.covariance ? linalg().mulAB(Fhat, comp.covariance) : null));
  for (let i = 0; i < Fhat.rows; i++) {
    const f = Fhat.data.subarray(i * n, (i + 1) * n);
    let extra = 0;
    ctx.mixture.components.forEach((comp, c) => {
      const fs = fSigma[c];
      if (fs) {
        // f̂ᵀΣ_c f̂ + (μ_cᵀf̂)², less the ‖f̂‖² already counted.
        extra += comp.weight * (dot(fs.data.subarray(i * n, (i + 1) * n), f) - dot(f, f) + (comp.mean ? dot(comp.mean, f) ** 2 : 0));
        return;
      }
      const p = spikeRows[c].map((g) => dot(g, f));
      const sp = p.map((pl, l) => comp.sampleFactors[l] * pl);
      let e = 0;
      for (let l = 0; l < sp.length; l++) {
        e += 2 * sp[l] * p[l];
        for (let q = 0; q < sp.length; q++) e += sp[l] * sp[q] * grams[c][l][q];
      }
      if (comp.mean) e += dot(comp.mean, f) ** 2;
      extra += comp.weight * e;
    });
    out[i] += extra;
  }
  return out;
}

export function unconditionalGaussianFeatureMap(ctx: TrialContext, name: string): FeatureMap {
  const k = ctx.Fhat.rows;
  // One Gaussian per neuron with the mixture's mean and variance of f̂_iᵀx: the shift is the
  // mean (zero for centred components, the paper's setting) and u = F̂x − mean.
  const means = mixtureMeans(ctx);
  const secondMoments = mixtureSecondMoments(ctx);
  const scale = secondMoments.map((m2, i) => Math.sqrt(Math.max(m2 - means[i] ** 2, 0)));
  const offset = means.some((m) => m !== 0) ? means : null;
  const empty = { basis: zeros(0, ctx.Fhat.cols), fhatBasis: zeros(k, 0), bulkScale: scale, offset };
  return {
    name,
    info: { meanScale: mean(scale) },
    features: (block, pre, noise) =>
      gaussianFeatures(ctx, pre, block.X, new Int32Array(block.X.rows), [empty], noise),
  };
}

function mean(a: Float64Array): number {
  return a.reduce((s, v) => s + v, 0) / a.length;
}


/** `cget`: the conditional Gaussian model (docs/model.md §5). */
export const conditionalGaussianSurrogate = defineSurrogate<Record<string, never>>({
  word: 'cget',
  syntax: 'cget',
  parse: (rest) => (rest.length === 0 ? {} : null),
  build: (ctx, name) => conditionalGaussianFeatureMap(ctx, name),
});

/** `get`: the unconditional Gaussian model, the baseline cget should beat where spikes are strong. */
export const unconditionalGaussianSurrogate = defineSurrogate<Record<string, never>>({
  word: 'get',
  syntax: 'get',
  parse: (rest) => (rest.length === 0 ? {} : null),
  build: (ctx, name) => unconditionalGaussianFeatureMap(ctx, name),
});
