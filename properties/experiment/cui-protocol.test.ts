// Cui et al.'s protocol in onestep's machinery (docs/model.md §11): the step and the readout, as
// computed through onestep's gradient and ridge with the converted η and λ, equal their formulas
// written out directly; dropping either conversion factor breaks the equality.
import { Matrix as MlMatrix, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { configOfCui, cuiApplicability, cuiSettingOf, cuiStep, cuiTrial, sumLossRidge } from '../../src/experiment/cui-protocol.ts';
import { DEFAULT_CONFIG, sizesOf, validateConfig } from '../../src/data/config.ts';
import { fromData, type Matrix } from '../../src/linalg/index.ts';
import { activation } from '../../src/math/activations.ts';
import { rootStream } from '../../src/random/stream.ts';
import { fitRidge } from '../../src/model/ridge.ts';

function gauss(rows: number, cols: number, label: string): Matrix {
  return fromData(rows, cols, rootStream(11).child(label).gaussians(rows * cols));
}

/** Their G (d×p) = (1/n₀) Zᵀ[(1/√p)(Y − f₀(Z)) a₀ᵀ ⊙ σ'(ZW₀ᵀ)], f₀(x) = σ(W₀x)ᵀa₀/√p, written out. */
function theirGradient(W0: Matrix, Z: Matrix, y: Float64Array, a0: Float64Array, act: ReturnType<typeof activation>): number[][] {
  const [p, d, n0] = [W0.rows, W0.cols, Z.rows];
  const G = Array.from({ length: d }, () => new Array<number>(p).fill(0));
  for (let mu = 0; mu < n0; mu++) {
    const pre = Array.from({ length: p }, (_, i) => {
      let s = 0;
      for (let t = 0; t < d; t++) s += W0.data[i * d + t] * Z.data[mu * d + t];
      return s;
    });
    const f0 = pre.reduce((s, u, i) => s + act.f(u) * a0[i], 0) / Math.sqrt(p);
    for (let i = 0; i < p; i++) {
      const m = ((y[mu] - f0) / Math.sqrt(p)) * a0[i] * act.df(pre[i]);
      for (let t = 0; t < d; t++) G[t][i] += (Z.data[mu * d + t] * m) / n0;
    }
  }
  return G;
}

describe('their step through onestep’s gradient: η = η̃·p', () => {
  it('W₁ = W₀ + η̃·p·Gᵀ entry by entry, and a missing factor p is caught', () => {
    const [d, p, n0, etaTilde] = [12, 9, 20, 0.7];
    const act = activation('tanh');
    const W0 = gauss(p, d, 'W0');
    const Z = gauss(n0, d, 'Z');
    const y = Float64Array.from({ length: n0 }, (_, j) => Math.tanh(Z.data[j * d]));
    const a0 = new Float64Array(p).fill(1 / Math.sqrt(p));
    const G = theirGradient(W0, Z, y, a0, act);
    const W1 = cuiStep(W0, Z, y, act, etaTilde);
    let worst = 0;
    let worstWithoutP = 0;
    for (let i = 0; i < p; i++) {
      for (let t = 0; t < d; t++) {
        const want = W0.data[i * d + t] + etaTilde * p * G[t][i];
        worst = Math.max(worst, Math.abs(W1.data[i * d + t] - want));
        worstWithoutP = Math.max(worstWithoutP, Math.abs(W0.data[i * d + t] + etaTilde * G[t][i] - want));
      }
    }
    // Both sides are the same sums in a different order: rounding ~1e-15 per entry.
    expect(worst).toBeLessThan(1e-12);
    expect(worstWithoutP).toBeGreaterThan(1e-3);
  });
});

describe('their sum-loss ridge through onestep’s ridge: λ_onestep = λ/n', () => {
  it('ŵ solves (ΦᵀΦ/p + λI)w = Φᵀy/√p, and λ_onestep = λ (no /n) does not', () => {
    const [n, p, lambda] = [30, 8, 0.3];
    const Phi = gauss(n, p, 'Phi');
    const y = rootStream(11).child('y').gaussians(n);
    const w = sumLossRidge(Phi, y, lambda);
    // Normal equations of ‖y − Φw/√p‖² + λ‖w‖².
    const P = new MlMatrix(Array.from({ length: n }, (_, j) => Array.from(Phi.data.slice(j * p, (j + 1) * p))));
    const A = P.transpose().mmul(P).div(p).add(MlMatrix.eye(p).mul(lambda));
    const b = P.transpose().mmul(MlMatrix.columnVector(Array.from(y))).div(Math.sqrt(p));
    const want = solve(A, b).getColumn(0);
    const err = Math.max(...want.map((v, i) => Math.abs(v - w[i])));
    expect(err).toBeLessThan(1e-12);
    const Z = fromData(n, p, Phi.data.map((x) => x / Math.sqrt(p)));
    const noDivide = fitRidge(Z, y, lambda).w;
    expect(Math.max(...want.map((v, i) => Math.abs(v - noDivide[i])))).toBeGreaterThan(1e-3);
  });
});

describe('one trial replays from its seed', () => {
  it('same seed, same numbers; no step means the sRF model is random features on W₀ (srf = srf-no-spike)', () => {
    const s = { act: 'tanh', target: 'tanh', alpha0: 0, etaTilde: 0, lambda: 0.1, alpha: 1, d: 40 } as const;
    const a = cuiTrial(s, 5);
    expect(cuiTrial(s, 5)).toEqual(a);
    expect(a.errors.srf).toBe(a.errors['srf-no-spike']);
    // At η̃ = 0 W₁ = W₀: the network is that same random features model.
    expect(a.errors.nn).toBeCloseTo(a.errors.srf, 12);
  });
});

describe('a configuration of onestep read as their protocol', () => {
  it('d = n, p = k, α = m/n, α₀ = m̃/n, λ = λ_onestep·m, η̃ = η/k — and back', () => {
    const theirs = { act: 'tanh', target: 'tanh', alpha0: 2, etaTilde: 1.5, lambda: 0.1, alpha: 0.5, d: 300 } as const;
    const config = validateConfig({ ...DEFAULT_CONFIG, ...configOfCui(theirs) });
    const { n, m, k, mStep } = sizesOf(config);
    expect([n, m, k, mStep]).toEqual([300, 150, 300, 600]);
    // onestep's λ is theirs over m (the 2m of the mean loss), its η theirs times p.
    expect(config.lambda).toBeCloseTo(0.1 / 150, 18);
    expect(config.eta).toBe(450);
    const back = cuiSettingOf(config);
    expect({ ...back, lambda: 0.1 }).toEqual({ ...theirs, p: 300 });
    expect(back.lambda).toBeCloseTo(0.1, 14);
    expect(cuiApplicability(config).applies).toBe(true);
    // A factor dropped on either side is visible: λ·n instead of λ·m, η without /k.
    expect(Math.abs(config.lambda * n - theirs.lambda)).toBeGreaterThan(0.05);
    expect(Math.abs((config.eta as number) - theirs.etaTilde)).toBeGreaterThan(100);
    // Not their protocol: a spiked covariance.
    expect(cuiApplicability({ ...config, rank: 1 }).applies).toBe(false);
  });
});
