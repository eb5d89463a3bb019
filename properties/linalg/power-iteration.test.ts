// Operator norms by power iteration (docs/model.md §7) against ml-matrix's full SVD on small matrices.
import fc from 'fast-check';
import { Matrix as MlMatrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { fromData, type Matrix } from '../../src/linalg/matrix.ts';
import {
  matrixOperatorNorm,
  operatorNorm,
  rankOneDeviationNorm,
  rankOneNorm,
} from '../../src/linalg/power-iteration.ts';
import { rootStream, type Stream } from '../../src/random/stream.ts';

function gaussianMatrix(stream: Stream, rows: number, cols: number): Matrix {
  return fromData(rows, cols, stream.gaussians(rows * cols));
}

function toMl(m: Matrix): MlMatrix {
  return new MlMatrix(Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols))));
}

function fromMl(m: MlMatrix): Matrix {
  return fromData(m.rows, m.columns, Float64Array.from(m.to1DArray()));
}

function largestSingularValue(m: Matrix): number {
  return Math.max(...new SingularValueDecomposition(toMl(m), { autoTranspose: true }).diagonal);
}

/** A random orthogonal n×n matrix: Q of the QR factorisation of a Gaussian matrix. */
function orthogonal(stream: Stream, n: number): MlMatrix {
  return new QrDecomposition(toMl(gaussianMatrix(stream, n, n))).orthogonalMatrix;
}

/** U diag(σ) Vᵀ with random orthogonal U, V: a matrix with a prescribed spectrum. */
function withSpectrum(stream: Stream, sigma: readonly number[]): Matrix {
  const n = sigma.length;
  const u = orthogonal(stream.child('u'), n);
  const v = orthogonal(stream.child('v'), n);
  return fromMl(u.mmul(MlMatrix.diag([...sigma])).mmul(v.transpose()));
}

const seed = fc.noShrink(fc.integer({ min: 0, max: 2 ** 31 }));
const dims = fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }));

describe('power iteration', () => {
  it('matches the exact SVD on random matrices to 1e-6 relative', () => {
    fc.assert(
      fc.property(seed, dims, (sd, [rows, cols]) => {
        const root = rootStream(sd);
        const m = gaussianMatrix(root.child('matrix'), rows, cols);
        // Generous iteration bound: small random matrices can have close top singular values,
        // and the test is about accuracy at convergence, not speed.
        const r = matrixOperatorNorm(m, { stream: root.child('start'), maxIterations: 100_000 });
        const exact = largestSingularValue(m);
        expect(r.converged).toBe(true);
        // Converged ⇒ |σ̂² − σ²| ≤ 1e-6·σ̂² (symmetric residual bound) ⇒ |σ̂ − σ| ≲ 5e-7·σ.
        expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(1e-6 * exact);
        // ‖Ax‖ with ‖x‖ = 1 never exceeds ‖A‖ (rounding: a few ulps).
        expect(r.value).toBeLessThanOrEqual(exact * (1 + 1e-12));
        // The vector is a unit right singular vector estimate: ‖Ax‖ = value.
        const ax = toMl(m).mmul(MlMatrix.columnVector([...r.vector]));
        expect(Math.abs(ax.norm() - r.value)).toBeLessThanOrEqual(1e-12 * exact);
      }),
    );
  });

  it('rank-one matrices: exact after one step, and rankOneNorm = ‖u‖‖v‖ = SVD', () => {
    fc.assert(
      fc.property(seed, dims, (sd, [rows, cols]) => {
        const root = rootStream(sd);
        const u = root.child('u').gaussians(rows);
        const v = root.child('v').gaussians(cols);
        const m = fromData(rows, cols, new Float64Array(rows * cols).map((_, e) => u[Math.floor(e / cols)] * v[e % cols]));
        const r = matrixOperatorNorm(m, { stream: root.child('start') });
        const exact = rankOneNorm(u, v);
        // One product AᵀA x ∝ v exactly; what remains is rounding in dot products of length
        // ≤ 12 (≤ 12·2⁻⁵³ ≈ 1.3e-15 each, a handful of them): 1e-14 relative.
        expect(r.converged).toBe(true);
        expect(r.iterations).toBeLessThanOrEqual(2);
        expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(1e-14 * exact);
        expect(Math.abs(largestSingularValue(m) - exact)).toBeLessThanOrEqual(1e-12 * exact);
      }),
    );
  });

  it('does not claim convergence on a near-degenerate spectrum when stopped early', () => {
    // σ = 1, 1 − 2e-4, 1 − 4e-4, …: the estimate creeps up by ~1e-8 per step, so "relative change
    // below 1e-6" would stop at once — while the value is still ~1e-4 off. The residual rule must
    // report converged = false, and the value must stay a lower bound.
    const sigma = Array.from({ length: 8 }, (_, j) => 1 - 2e-4 * j);
    const m = withSpectrum(rootStream(11).child('spectrum'), sigma);
    const early = matrixOperatorNorm(m, { stream: rootStream(12), maxIterations: 50 });
    expect(early.iterations).toBe(50);
    expect(early.converged).toBe(false);
    expect(early.value).toBeLessThanOrEqual(1 + 1e-12);
    // The situation the flag guards against: the value really is outside the tolerance.
    expect(1 - early.value).toBeGreaterThan(1e-6);
    // Given enough steps it gets there (rate (1 − 2e-4)² per step ⇒ ~10⁴ steps), and says so.
    const late = matrixOperatorNorm(m, { stream: rootStream(12), maxIterations: 200_000 });
    expect(late.converged).toBe(true);
    expect(Math.abs(late.value - 1)).toBeLessThanOrEqual(1e-6);
  });

  it('‖M − uvᵀ‖ applied implicitly equals the SVD of the formed difference', () => {
    fc.assert(
      fc.property(seed, dims, (sd, [rows, cols]) => {
        const root = rootStream(sd);
        const m = gaussianMatrix(root.child('matrix'), rows, cols);
        const u = root.child('u').gaussians(rows);
        const v = root.child('v').gaussians(cols);
        const formed = fromData(rows, cols, m.data.map((x, e) => x - u[Math.floor(e / cols)] * v[e % cols]));
        const r = rankOneDeviationNorm(m, u, v, { stream: root.child('start'), maxIterations: 100_000 });
        const exact = largestSingularValue(formed);
        expect(r.converged).toBe(true);
        // Same bound as above; 1e-12·(‖M‖ + ‖u‖‖v‖) covers rounding in forming the difference.
        expect(Math.abs(r.value - exact)).toBeLessThanOrEqual(1e-6 * exact + 1e-12 * (exact + rankOneNorm(u, v)));
      }),
    );
  });

  it('the zero map has norm 0 (converged); bad options throw', () => {
    const zero = fromData(3, 4, new Float64Array(12));
    const r = matrixOperatorNorm(zero, { stream: rootStream(1) });
    expect([r.value, r.converged]).toEqual([0, true]);
    const id = (x: Float64Array) => x;
    expect(() => operatorNorm(id, id, 3, { stream: rootStream(1), maxIterations: 0 })).toThrow(RangeError);
    expect(() => operatorNorm(id, id, 3, { stream: rootStream(1), tolerance: 0 })).toThrow(RangeError);
    expect(() => rankOneDeviationNorm(zero, new Float64Array(2), new Float64Array(4), { stream: rootStream(1) })).toThrow(
      RangeError,
    );
  });

  it('replays exactly from the stream', () => {
    const m = gaussianMatrix(rootStream(5), 6, 9);
    const a = matrixOperatorNorm(m, { stream: rootStream(6), tolerance: 1e-3 });
    const b = matrixOperatorNorm(m, { stream: rootStream(6), tolerance: 1e-3 });
    expect(a).toEqual(b);
  });
});
