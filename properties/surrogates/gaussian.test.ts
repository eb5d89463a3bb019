// The conditional Gaussian model (docs/model.md §5): its decomposition of x, its reduction to the
// unconditional model without spikes, and the gradient-spike lemma's measurement.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimate } from '../../src/experiment/stats.ts';
import { DEFAULT_CONFIG, validateConfig } from '../../src/data/config.ts';
import { buildMixture } from '../../src/data/mixture.ts';
import { labelSpecOf, SetSampler } from '../../src/data/sampler.ts';
import { runTrial } from '../../src/experiment/trial.ts';
import { gaussianExpectation } from '../../src/math/hermite/index.ts';
import { dot } from '../../src/linalg/matrix.ts';
import { type ActivationName, activation } from '../../src/math/activations.ts';
import { gaussianMoments } from '../../src/math/gaussian-moments.ts';
import { rootStream } from '../../src/random/stream.ts';
import type { TrialContext } from '../../src/model/features.ts';
import { mixtureMeans, mixtureSecondMoments, orthonormalBasis } from '../../src/surrogates/gaussian.ts';
import { parseSurrogateList } from '../../src/surrogates/index.ts';

describe('conditional decomposition x = B_cκ_c + z^⊥', () => {
  it('z^⊥ is uncorrelated with κ_c in samples (within 5 standard errors)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.noShrink(fc.nat()), (rank, beta, seed) => {
        const n = 40;
        const c = validateConfig({ ...DEFAULT_CONFIG, n, rank, beta, alpha: 0 });
        const mix = buildMixture(c, rootStream(seed));
        const comp = mix.components[0];
        const v = rootStream(seed).child('v').gaussians(n);
        const vectors = [v, ...Array.from({ length: rank }, (_, i) => comp.spikes.data.subarray(i * n, (i + 1) * n))];
        const B = orthonormalBasis(vectors);
        const N = 3000;
        const set = new SetSampler(mix, labelSpecOf(c), 2 * N, rootStream(seed).child('x')).all();
        const u = rootStream(seed).child('u').gaussians(n);
        for (let a = 0; a < B.length; a++) {
          let sxy = 0;
          let sxx = 0;
          let syy = 0;
          let count = 0;
          for (let r = 0; r < set.X.rows; r++) {
            if (set.component[r] !== 0) continue;
            const x = set.X.data.subarray(r * n, (r + 1) * n);
            const kappa = B.map((q) => dot(q, x));
            const zPerp = x.map((t, j) => t - B.reduce((s, q, i) => s + q[j] * kappa[i], 0));
            const w = dot(u, zPerp);
            sxy += kappa[a] * w;
            sxx += kappa[a] ** 2;
            syy += w * w;
            count++;
          }
          // Population covariance is exactly 0 (Γ_c ⊂ span B_c); the sample mean of the product
          // of two independent centred Gaussians has se = √(E κ² E w²/N).
          const se = Math.sqrt((sxx / count) * (syy / count) / count);
          expect(Math.abs(sxy / count)).toBeLessThan(5 * se);
        }
      }),
      { numRuns: 8 },
    );
  });
});

describe('zero spike: the conditional model reduces to the unconditional one', () => {
  it('averaging ν, Ψ and the second moment over a Gaussian shift gives the unconditional moments', () => {
    // With no spike, the shift s = f̂ᵀB κ is N(0, c²) with c² = ‖Bᵀf̂‖² and b² + c² = ‖f̂‖²:
    // E_s ν(b, s) = ν(√(b²+c²), 0), E_s Ψ(b, s) = Ψ(√(b²+c²), 0), E_s M2(b, s) = M2(√(b²+c²), 0).
    fc.assert(
      fc.property(
        fc.constantFrom<ActivationName>('relu', 'tanh', 'sigmoid', 'erf'),
        fc.double({ min: 0.2, max: 2, noNaN: true }),
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        (name, b, c) => {
          const act = activation(name);
          const full = gaussianMoments(act, Math.hypot(b, c), 0);
          const avg = (f: (m: ReturnType<typeof gaussianMoments>) => number) => gaussianExpectation((z) => f(gaussianMoments(act, b, c * z)));
          // Each conditional moment is accurate to ~1e-10 and the outer quadrature adds ~1e-13.
          expect(Math.abs(avg((m) => m.nu) - full.nu)).toBeLessThan(1e-8);
          expect(Math.abs(avg((m) => m.psi) - full.psi)).toBeLessThan(1e-8);
          expect(Math.abs(avg((m) => m.m2) - full.m2)).toBeLessThan(1e-8);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('gradient-spike lemma (docs/model.md §7)', () => {
  it('the ratio ‖Δ‖/‖uvᵀ‖ is reported per trial and decreases from n = 100 to n = 400 at α = ½', () => {
    const ratiosAt = (n: number): number[] => {
      const config = validateConfig({ ...DEFAULT_CONFIG, n });
      return [1, 2, 3, 4].map((seed) => {
        const r = runTrial({ config, seed, surrogates: parseSurrogateList('none'), degreeCap: null, lemma: true });
        expect(r.lemma?.converged).toBe(true);
        expect(r.lemma!.spike).toBeGreaterThan(0);
        return r.lemma!.ratio;
      });
    };
    const small = estimate(ratiosAt(100));
    const large = estimate(ratiosAt(400));
    // Independent seeds at each n: the decrease must exceed 3 standard errors of the difference
    // of the two means (a fluke passes with probability ~0.1%).
    const seDiff = Math.hypot(small.se!, large.se!);
    expect(small.mean - large.mean, `ratio ${small.mean} ± ${small.se} at n = 100, ${large.mean} ± ${large.se} at n = 400`).toBeGreaterThan(3 * seDiff);
  });
});

describe('the unconditional Gaussian model (get)', () => {
  it('centres and scales neuron i by the actual mean and second moment of f_iᵀx over the mixture (spikes and means included)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(0, 2),
        fc.double({ min: 0.3, max: 0.9, noNaN: true }),
        fc.integer({ min: 1, max: 1e6 }),
        (components, rank, meanNorm, beta, seed) => {
          const rho = Array.from({ length: components }, () => 1 / components);
          const config = validateConfig({ ...DEFAULT_CONFIG, n: 60, components, rho, rank, meanNorm, beta, alpha: 0 });
          const streams = rootStream(seed);
          const mixture = buildMixture(config, streams.child('structure'));
          const n = config.n;
          // Rows: random directions plus each spike (where the spikes matter most).
          const rows: Float64Array[] = [streams.child('f').gaussians(n, 1 / Math.sqrt(n))];
          for (const c of mixture.components) rows.push(c.spikes.data.slice(0, n));
          const Fhat = { rows: rows.length, cols: n, data: Float64Array.from(rows.flatMap((r) => Array.from(r))) };
          const ctx = { mixture, Fhat } as unknown as TrialContext;
          const predicted = mixtureSecondMoments(ctx);
          const predictedMean = mixtureMeans(ctx);
          const samples = 20000;
          const block = new SetSampler(mixture, labelSpecOf(config), samples, streams.child('x')).all();
          for (let i = 0; i < rows.length; i++) {
            let s0 = 0;
            let s1 = 0;
            let s2 = 0;
            for (let j = 0; j < samples; j++) {
              const u = dot(rows[i], block.X.data.subarray(j * n, (j + 1) * n));
              s0 += u;
              s1 += u * u;
              s2 += u ** 4;
            }
            const mu = s0 / samples;
            const seMu = Math.sqrt((s1 / samples - mu * mu) / samples);
            // Same bound for the mean of f_iᵀx (zero unless the components have means).
            expect(Math.abs(mu - predictedMean[i])).toBeLessThanOrEqual(5 * seMu);
            const m = s1 / samples;
            const se = Math.sqrt((s2 / samples - m * m) / samples);
            // 5 standard errors of the sample mean of (f_iᵀx)²: a false alarm once in ~3.5e6 rows.
            expect(Math.abs(m - predicted[i])).toBeLessThanOrEqual(5 * se);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('the conditional model with a full covariance (image sources)', () => {
  it('reduces exactly to the spiked construction when Σ_c = I + Γ diag(θ) Γᵀ is given whole', async () => {
    const { simulateTrial } = await import('../../src/experiment/trial.ts');
    const { buildFeatureMap } = await import('../../src/surrogates/index.ts');
    const { preactivations } = await import('../../src/model/network.ts');
    for (const seed of [1, 2, 3]) {
      const config = validateConfig({ ...DEFAULT_CONFIG, n: 30, rank: 2, alpha: 0, beta: 0.8, meanNorm: seed === 3 ? 1.5 : 0 });
      const run = simulateTrial({ config, seed, surrogates: [], degreeCap: null });
      const ctx = run.stepped;
      const spec = parseSurrogateList('cget')[0];
      const plain = buildFeatureMap(spec, ctx, null);
      // The same components, each carrying its covariance explicitly.
      const n = config.n;
      const withCov = {
        ...ctx,
        mixture: {
          ...ctx.mixture,
          components: ctx.mixture.components.map((comp) => {
            const cov = new Float64Array(n * n);
            for (let j = 0; j < n; j++) cov[j * n + j] = 1;
            for (let l = 0; l < comp.spikes.rows; l++) {
              const g = comp.spikes.data.subarray(l * n, (l + 1) * n);
              for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) cov[a * n + b] += comp.thetas[l] * g[a] * g[b];
            }
            return { ...comp, covariance: { rows: n, cols: n, data: cov } };
          }),
        },
      };
      const general = buildFeatureMap(spec, withCov, null);
      const pre = preactivations(run.ridgeSet.X, ctx.Fhat);
      const a = plain.features(run.ridgeSet, pre, rootStream(9));
      const b = general.features(run.ridgeSet, pre, rootStream(9));
      // Exact in exact arithmetic (Σ maps span B_c into itself); rounding through a p×p Cholesky
      // solve of a matrix with eigenvalues up to 1 + θ ≈ 230 stays far below 1e-9 of O(1) features.
      let worst = 0;
      for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i] - b.data[i]));
      expect(worst, `seed ${seed}`).toBeLessThan(1e-9);
      // A wrong covariance (the bulk doubled) changes the features: the comparison can fail.
      const doubled = { ...withCov, mixture: { ...withCov.mixture, components: withCov.mixture.components.map((comp) => ({ ...comp, covariance: { ...comp.covariance, data: comp.covariance.data.map((v) => 2 * v) } })) } };
      const c = buildFeatureMap(spec, doubled, null).features(run.ridgeSet, pre, rootStream(9));
      let moved = 0;
      for (let i = 0; i < a.data.length; i++) moved = Math.max(moved, Math.abs(a.data[i] - c.data[i]));
      expect(moved).toBeGreaterThan(1e-3);
    }
  });
});
