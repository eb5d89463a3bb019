// The data model of docs/model.md §1–2: structure, sample covariances against Σ_c, counts, labels.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig, validateConfig } from '../../src/data/config.ts';
import { buildMixture, componentCounts } from '../../src/data/mixture.ts';
import { labelSpecOf, SetSampler } from '../../src/data/sampler.ts';
import { dot } from '../../src/linalg/matrix.ts';
import { rootStream } from '../../src/random/stream.ts';

function config(over: Partial<ExperimentConfig>): ExperimentConfig {
  return validateConfig({ ...DEFAULT_CONFIG, ...over });
}

function spike(comp: { spikes: { cols: number; data: Float64Array } }, i: number): Float64Array {
  const n = comp.spikes.cols;
  return comp.spikes.data.subarray(i * n, (i + 1) * n);
}

type Comp = ReturnType<typeof buildMixture>['components'][number];

/** uᵀΣ_c v for Σ_c = I + Σ θ_i γ_i γ_iᵀ (the covariance whose mixture norm scales ξ, docs/model.md §1). */
function quadForm(comp: Comp, u: Float64Array, v: Float64Array): number {
  let q = dot(u, v);
  for (let i = 0; i < comp.thetas.length; i++) q += comp.thetas[i] * dot(u, spike(comp, i)) * dot(v, spike(comp, i));
  return q;
}

/** A v for the sampler's A = I + Σ (√(1+θ_i) − 1) γ_i γ_iᵀ. */
function samplerMap(comp: Comp, v: Float64Array): Float64Array {
  const out = v.slice();
  for (let i = 0; i < comp.thetas.length; i++) {
    const g = spike(comp, i);
    const c = (Math.sqrt(1 + comp.thetas[i]) - 1) * dot(g, v);
    for (let t = 0; t < out.length; t++) out[t] += c * g[t];
  }
  return out;
}

/**
 * uᵀ Cov(x | c) v = (Au)ᵀ(Av): the covariance the sampler x = μ + Aζ produces. It is Σ_c when
 * the spikes are orthonormal, and the authors' slightly different matrix when they are not
 * (independent bases with 0 < |a| < 1).
 */
function samplerQuadForm(comp: Comp, u: Float64Array, v: Float64Array): number {
  return dot(samplerMap(comp, u), samplerMap(comp, v));
}

const arbStructure = fc.record({
  n: fc.integer({ min: 8, max: 40 }),
  components: fc.integer({ min: 1, max: 3 }),
  rank: fc.integer({ min: 1, max: 3 }),
  beta: fc.double({ min: 0, max: 1, noNaN: true }),
  alpha: fc.double({ min: 0, max: 1, noNaN: true }),
  theta: fc.constantFrom<'fixed' | 'random'>('fixed', 'random'),
  align: fc.double({ min: -1, max: 1, noNaN: true }),
  spikes: fc.constantFrom<'independent' | 'orthogonal'>('independent', 'orthogonal'),
  seed: fc.noShrink(fc.nat()),
});

describe('mixture structure', () => {
  it('spike bases orthonormal per component (before alignment), traces equal, orthogonal alignment exact, ξ normalised by ‖Σ‖', () => {
    fc.assert(
      fc.property(arbStructure, (s) => {
        const c = config({ ...s, rho: Array(s.components).fill(1 / s.components) });
        const mix = buildMixture(c, rootStream(s.seed));
        const traces = mix.components.map((comp) => s.n + comp.thetas.reduce((a, b) => a + b, 0));
        for (const t of traces) expect(Math.abs(t - mix.trace)).toBeLessThan(1e-9 * mix.trace);
        // γ_c = a·γ_1 + √(1−a²)·γ'_c: recover the fresh basis γ'_c and check it is orthonormal.
        const b = Math.sqrt(Math.max(0, 1 - s.align ** 2));
        // (Recovering it divides rounding by b: below b = 1e-3 the check says nothing, so skip it.)
        const fresh = (comp: Comp, i: number): Float64Array =>
          comp === mix.components[0] ? spike(comp, i) : spike(comp, i).map((v, t) => (v - s.align * spike(mix.components[0], i)[t]) / b);
        for (const comp of mix.components) {
          for (let i = 0; i < s.rank; i++) {
            for (let j = 0; j < s.rank && (comp === mix.components[0] || b >= 1e-3); j++) {
              expect(Math.abs(dot(fresh(comp, i), fresh(comp, j)) - (i === j ? 1 : 0))).toBeLessThan(1e-9);
            }
            // Orthogonal construction: γ_{1,i}ᵀγ_{c,j} = a·[i = j] exactly for c ≥ 2.
            if (s.spikes === 'orthogonal' && comp !== mix.components[0]) {
              for (let j = 0; j < s.rank; j++) {
                const expected = i === j ? s.align : 0;
                expect(Math.abs(dot(spike(mix.components[0], j), spike(comp, i)) - expected)).toBeLessThan(1e-12);
              }
            }
          }
        }
        // ‖ξ‖² = 1/‖Σ‖ and ‖Σ‖·‖u‖² ≥ every uᵀΣu on the spikes.
        expect(Math.abs(dot(mix.targetDirection, mix.targetDirection) * mix.covarianceNorm - 1)).toBeLessThan(1e-12);
        for (const comp of mix.components) {
          for (let i = 0; i < s.rank; i++) {
            const g = spike(comp, i);
            const q = mix.components.reduce((acc, cc) => acc + cc.weight * quadForm(cc, g, g), 0);
            expect(q).toBeLessThanOrEqual(mix.covarianceNorm * dot(g, g) * (1 + 1e-12));
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('independent spike bases overlap like N(0, 1/n), as the authors draw them; orthogonal ones do not', () => {
    // n·(γ_1ᵀγ_2)² is χ²₁ for independent uniform directions (mean 1, variance 2): over 60 seeds
    // its mean has standard error √(2/60) ≈ 0.18, and we allow 5 of them.
    const n = 500;
    const overlaps = (spikes: 'independent' | 'orthogonal'): number[] =>
      Array.from({ length: 60 }, (_, seed) => {
        const mix = buildMixture(config({ n, spikes }), rootStream(seed));
        return n * dot(spike(mix.components[0], 0), spike(mix.components[1], 0)) ** 2;
      });
    const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
    expect(Math.abs(mean(overlaps('independent')) - 1)).toBeLessThan(5 * Math.sqrt(2 / 60));
    expect(Math.max(...overlaps('orthogonal'))).toBeLessThan(1e-20);
  });

  it('θ and η follow n^{β(1−α)} and n^{βα}', () => {
    const c = config({ n: 1000, beta: 0.74, alpha: 0.5 });
    const mix = buildMixture(c, rootStream(1));
    expect(mix.thetaScale).toBeCloseTo(1000 ** 0.37, 10);
    expect(mix.eta).toBeCloseTo(1000 ** 0.37, 10);
    expect(mix.components[0].thetas[0]).toBeCloseTo(1000 ** 0.37, 10);
  });

  it('component counts are ⌊ρ_c m⌋ in order, the last taking the rest', () => {
    expect(componentCounts([0.5, 0.5], 7)).toEqual([3, 4]);
    expect(componentCounts([0.3, 0.3, 0.4], 10)).toEqual([3, 3, 4]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 5000 }), (w, m) => {
        const tot = w.reduce((a, b) => a + b, 0);
        fc.pre(tot > 0);
        const counts = componentCounts(w.map((x) => x / tot), m);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(m);
        expect(counts.every((x) => x >= 0)).toBe(true);
      }),
    );
  });
});

describe('sampling', () => {
  it('sample covariance of each component matches Σ_c within 5 standard errors', () => {
    // For Gaussian x ~ N(μ, Σ): the sample mean of (uᵀ(x−μ))(vᵀ(x−μ)) over N rows has
    // variance ((uᵀΣu)(vᵀΣv) + (uᵀΣv)²)/N, so |estimate − uᵀΣv| ≤ 5·se fails with
    // probability < 1e-6 per check. Directions: every spike (variance 1+θ), cross pairs
    // between components' spikes, and two random directions.
    fc.assert(
      fc.property(arbStructure, fc.double({ min: 0, max: 3, noNaN: true }), (s, meanNorm) => {
        const N = 4000;
        const c = config({ ...s, rho: Array(s.components).fill(1 / s.components), meanNorm });
        const mix = buildMixture(c, rootStream(s.seed));
        const sampler = new SetSampler(mix, labelSpecOf(c), N * s.components, rootStream(s.seed).child('set'));
        const set = sampler.all();
        const dirStream = rootStream(s.seed).child('dirs');
        const randomDir = (): Float64Array => {
          const g = dirStream.gaussians(s.n);
          const ng = Math.sqrt(dot(g, g));
          return g.map((x) => x / ng);
        };
        const dirs = [randomDir(), randomDir(), ...mix.components.flatMap((comp) => Array.from({ length: s.rank }, (_, i) => spike(comp, i)))];
        for (let cIdx = 0; cIdx < s.components; cIdx++) {
          const comp = mix.components[cIdx];
          const mu = comp.mean ?? new Float64Array(s.n);
          const rows: Float64Array[] = [];
          for (let r = 0; r < set.X.rows; r++) {
            if (set.component[r] === cIdx) rows.push(set.X.data.subarray(r * s.n, (r + 1) * s.n).map((x, t) => x - mu[t]));
          }
          expect(rows.length).toBe(N);
          for (let a = 0; a < dirs.length; a++) {
            for (let b = a; b < Math.min(dirs.length, a + 3); b++) {
              const u = dirs[a];
              const v = dirs[b];
              let est = 0;
              for (const x of rows) est += dot(u, x) * dot(v, x);
              est /= N;
              const suu = samplerQuadForm(comp, u, u);
              const svv = samplerQuadForm(comp, v, v);
              const suv = samplerQuadForm(comp, u, v);
              const se = Math.sqrt((suu * svv + suv * suv) / N);
              expect(Math.abs(est - suv)).toBeLessThan(5 * se + 1e-12);
            }
          }
          // Means: each coordinate of the sample mean within 5 se of μ_c along the spikes.
          const u = dirs[0];
          let mean = 0;
          for (const x of rows) mean += dot(u, x);
          expect(Math.abs(mean / N)).toBeLessThan(5 * Math.sqrt(samplerQuadForm(comp, u, u) / N));
        }
      }),
      { numRuns: 12 },
    );
  });

  it('drawing a set whole or in blocks gives the same rows', () => {
    const c = config({ n: 30, components: 3, rho: [0.2, 0.3, 0.5], rank: 2, noise: 0.3 });
    const mix = buildMixture(c, rootStream(4));
    const whole = new SetSampler(mix, labelSpecOf(c), 101, rootStream(9)).all();
    const blocked = new SetSampler(mix, labelSpecOf(c), 101, rootStream(9));
    const parts = [blocked.next(7), blocked.next(50), blocked.next(1000)];
    expect(parts.map((p) => p.X.rows)).toEqual([7, 50, 44]);
    const X = parts.flatMap((p) => Array.from(p.X.data));
    const y = parts.flatMap((p) => Array.from(p.y));
    expect(X).toEqual(Array.from(whole.X.data));
    expect(y).toEqual(Array.from(whole.y));
  });

  it('regression labels are σ_*(ξᵀx); classification labels are ±1 by component, flipped at the noise rate', () => {
    const c = config({ n: 20, targetAct: 'relu' });
    const mix = buildMixture(c, rootStream(2));
    const set = new SetSampler(mix, labelSpecOf(c), 200, rootStream(3)).all();
    for (let r = 0; r < 200; r++) {
      const t = dot(mix.targetDirection, set.X.data.subarray(r * 20, (r + 1) * 20));
      expect(set.y[r]).toBe(Math.max(0, t));
    }
    const flip = 0.2;
    const cc = config({ n: 20, task: 'classification', noise: flip });
    const mixc = buildMixture(cc, rootStream(2));
    const N = 20_000;
    const setc = new SetSampler(mixc, labelSpecOf(cc), N, rootStream(3)).all();
    let flipped = 0;
    for (let r = 0; r < N; r++) {
      const clean = setc.component[r] === 0 ? 1 : -1;
      expect(Math.abs(setc.y[r])).toBe(1);
      if (setc.y[r] !== clean) flipped++;
    }
    // Binomial: se = √(p(1−p)/N) ≈ 0.0028; 5 se.
    expect(Math.abs(flipped / N - flip)).toBeLessThan(5 * Math.sqrt((flip * (1 - flip)) / N));
  });

  it('the linear-plus-He₂ target is F1·t + F*·(t² − 1)/√2 + noise, with t = ξᵀx ~ N(0, 1) at rank 0', () => {
    const c = config({ n: 30, rank: 0, targetLinear: 0.7, targetNonlinear: 0.4 });
    const mix = buildMixture(c, rootStream(2));
    // Isotropic data: ‖Σ‖ = 1, so ‖ξ‖ = 1 and t is standard normal.
    expect(dot(mix.targetDirection, mix.targetDirection)).toBeCloseTo(1, 12);
    const set = new SetSampler(mix, labelSpecOf(c), 50, rootStream(3)).all();
    for (let r = 0; r < 50; r++) {
      const t = dot(mix.targetDirection, set.X.data.subarray(r * 30, (r + 1) * 30));
      expect(set.y[r]).toBeCloseTo(0.7 * t + (0.4 * (t * t - 1)) / Math.SQRT2, 12);
    }
  });

  it('spike-aligned target lies in the span of the leading spikes', () => {
    const c = config({ n: 50, target: 'spike', align: 0.3 });
    const mix = buildMixture(c, rootStream(8));
    const g1 = spike(mix.components[0], 0);
    const g2 = spike(mix.components[1], 0);
    const xi = mix.targetDirection;
    // Residual of ξ after projecting on span{γ11, γ21} vanishes.
    const a11 = dot(g1, g1);
    const a12 = dot(g1, g2);
    const a22 = dot(g2, g2);
    const b1 = dot(g1, xi);
    const b2 = dot(g2, xi);
    const det = a11 * a22 - a12 * a12;
    const c1 = (a22 * b1 - a12 * b2) / det;
    const c2 = (a11 * b2 - a12 * b1) / det;
    const res = xi.map((x, t) => x - c1 * g1[t] - c2 * g2[t]);
    expect(Math.sqrt(dot(res, res))).toBeLessThan(1e-12);
  });
});

describe('configuration validation', () => {
  it('names the field, the value and the allowed range', () => {
    expect(() => config({ beta: 1.5 })).toThrow(/beta: 1.5 is not allowed \(a number in \[0, 1\]\)/);
    expect(() => config({ n: Number.NaN })).toThrow(/^n: NaN/);
    expect(() => config({ rho: [0.7, 0.7] })).toThrow(/rho/);
    expect(() => config({ task: 'classification', components: 1, rho: [1] })).toThrow(/components ≥ 2/);
    expect(() => config({ target: 'spike', rank: 0 })).toThrow(/target/);
  });
});
