// The network of docs/model.md §3: the step G against a finite-difference gradient of the step loss,
// and the ridge readout against its normal equations (primal and dual forms).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Matrix, zeros } from '../../src/linalg/matrix.ts';
import { activation, type ActivationName } from '../../src/math/activations.ts';
import { gradientStep, initNetwork, networkOutputs, preactivations } from '../../src/model/network.ts';
import { fitRidge, matVec } from '../../src/model/ridge.ts';
import { rootStream } from '../../src/random/stream.ts';

function randomMatrix(rows: number, cols: number, seed: number, scale = 1): Matrix {
  const m = zeros(rows, cols);
  rootStream(seed).fillGaussian(m.data, 0, m.data.length, scale);
  return m;
}

/** The step loss (1/(2m̃)) Σ_j (ỹ_j − f(x̃_j))². */
function stepLoss(F: Matrix, w: Float64Array, X: Matrix, y: Float64Array, act: ActivationName): number {
  const out = networkOutputs(preactivations(X, F), w, activation(act));
  let s = 0;
  for (let j = 0; j < y.length; j++) s += (y[j] - out[j]) ** 2;
  return s / (2 * y.length);
}

describe('one gradient step', () => {
  it('G is minus the gradient of the step loss (central finite differences)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ActivationName>('tanh', 'sigmoid', 'erf', 'relu', 'linear'),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 15 }),
        fc.noShrink(fc.nat()),
        (act, n, k, mStep, seed) => {
          const net = initNetwork(n, k, n, rootStream(seed).child('init'));
          const X = randomMatrix(mStep, n, seed + 1);
          const y = randomMatrix(1, mStep, seed + 2).data;
          const G = gradientStep(net, X, y, activation(act));
          // Central differences have truncation error h²·L'''/6 and round-off ε·L/h; with
          // h = 1e-5, L = O(1) and bounded third derivatives both sit below 1e-9. ReLU's kink is
          // crossed only if a preactivation lies within h·|x| of 0 (probability ~1e-5 per
          // entry); such entries are skipped explicitly rather than tolerated.
          const h = 1e-5;
          const pre = preactivations(X, net.F);
          let maxG = 0;
          for (const g of G.data) maxG = Math.max(maxG, Math.abs(g));
          for (let i = 0; i < k; i++) {
            if (act === 'relu') {
              let nearKink = false;
              for (let j = 0; j < mStep; j++) if (Math.abs(pre.data[j * k + i]) < 1e-3) nearKink = true;
              if (nearKink) continue;
            }
            for (let t = 0; t < n; t++) {
              const idx = i * n + t;
              const orig = net.F.data[idx];
              net.F.data[idx] = orig + h;
              const lp = stepLoss(net.F, net.w, X, y, act);
              net.F.data[idx] = orig - h;
              const lm = stepLoss(net.F, net.w, X, y, act);
              net.F.data[idx] = orig;
              const fd = -(lp - lm) / (2 * h);
              expect(Math.abs(G.data[idx] - fd)).toBeLessThanOrEqual(1e-7 * Math.max(1, maxG));
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('ridge readout', () => {
  it('solves the normal equations Zᵀ(y − Zŵ)/m = λŵ, in primal (k ≤ m) and dual (k > m) form', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: -5, max: -1, noNaN: true }),
        fc.noShrink(fc.nat()),
        (m, k, logLambda, seed) => {
          const lambda = 10 ** logLambda;
          const Z = randomMatrix(m, k, seed, 1 / Math.sqrt(k));
          const y = randomMatrix(1, m, seed + 1).data;
          const fit = fitRidge(Z, y, lambda);
          const resid = y.map((v, j) => v - fit.fitted[j]);
          // Stationarity residual relative to the scale of its terms; the solve's backward
          // error is ~cond·ε with cond ≤ (‖Z‖² + λm)/(λm) ≤ 1e7 here, so 1e-7 relative is
          // the derived floor (ε·cond ≈ 2e-9) with a margin.
          let scale = 0;
          for (let i = 0; i < k; i++) {
            let g = 0;
            for (let j = 0; j < m; j++) g += Z.data[j * k + i] * resid[j];
            g /= m;
            scale = Math.max(scale, Math.abs(g), lambda * Math.abs(fit.w[i]));
            expect(Math.abs(g - lambda * fit.w[i])).toBeLessThanOrEqual(1e-7 * Math.max(scale, 1e-300) + 1e-14);
          }
          // Training error as defined, recomputed.
          const fitted = matVec(Z, fit.w);
          let sq = 0;
          for (let j = 0; j < m; j++) sq += (y[j] - fitted[j]) ** 2;
          const ww = fit.w.reduce((s, v) => s + v * v, 0);
          expect(fit.train).toBeCloseTo(sq / (2 * m) + (lambda / 2) * ww, 12);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('both branches (primal k < m, dual k > m) minimise the ridge objective', () => {
    // Both branches solve the same strictly convex problem; compare across the switch.
    const m = 30;
    for (const k of [29, 31]) {
      const Z = randomMatrix(m, k, 3, 1 / Math.sqrt(k));
      const y = randomMatrix(1, m, 4).data;
      const fit = fitRidge(Z, y, 1e-3);
      // ŵ minimises a strictly convex objective, so any perturbation increases it.
      const obj = (w: Float64Array): number => {
        const f = matVec(Z, w);
        let s = 0;
        for (let j = 0; j < m; j++) s += (y[j] - f[j]) ** 2;
        return s / (2 * m) + (1e-3 / 2) * w.reduce((a, v) => a + v * v, 0);
      };
      const base = obj(fit.w);
      const probe = rootStream(k).child('probe');
      for (let t = 0; t < 10; t++) {
        const d = probe.gaussians(k, 1e-3);
        expect(obj(fit.w.map((v, i) => v + d[i]))).toBeGreaterThan(base);
      }
    }
  });
});
