// The native backend against the plain reference kernels: every product shape the pipeline uses,
// the Cholesky solve, the Gaussian fill, and a whole trial. Skipped (with the reason printed) when
// the addon is not built on this machine; `npm run build:native` builds it.
//
// Tolerance of a product entry: any two summation orders of Σ_p a_ip·b_pj differ by at most
// 2·p·u·Σ_p |a_ip||b_pj| (u = 2⁻⁵³; FMA only tightens it). For p ≤ 700 that is ≤ 1.6e-13 of
// Σ|a||b|; we require 1e-12 of it, the relative bound, which a wrong index, a dropped
// edge tile or a missed depth block (all O(1) of Σ|a||b|) cannot meet.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, validateConfig } from '../../src/data/config.ts';
import { runTrial } from '../../src/experiment/trial.ts';
import { linalg, nativeStatus, nativeThreads, useBackend } from '../../src/linalg/index.ts';
import { dot, fromData, type Matrix } from '../../src/linalg/matrix.ts';
import { nativeBackend, nativeCholeskyFactor } from '../../src/linalg/native.ts';
import { referenceBackend } from '../../src/linalg/reference.ts';
import { rootStream } from '../../src/random/stream.ts';
import { parseSurrogateList } from '../../src/surrogates/index.ts';
import * as hermiteModule from '../../src/math/hermite/polynomials.ts';
import { matVec, scaledMatVec } from '../../src/model/ridge.ts';
import { activate } from '../../src/model/network.ts';
import { activation } from '../../src/math/activations.ts';

if (!nativeStatus.available) console.log(`native backend not tested: ${nativeStatus.reason}`);

function randomMatrix(seed: number, rows: number, cols: number): Matrix {
  return fromData(rows, cols, rootStream(seed).gaussians(rows * cols));
}

/** max_ij |C_ij − R_ij| / Σ_p |a_ip||b_pj|, with the magnitudes computed from |A|·|B| by the reference. */
function worstRelative(c: Matrix, r: Matrix, absProduct: Matrix): number {
  let worst = 0;
  for (let i = 0; i < c.data.length; i++) {
    const scale = absProduct.data[i];
    const d = Math.abs(c.data[i] - r.data[i]);
    worst = Math.max(worst, scale === 0 ? d : d / scale);
  }
  return worst;
}

const abs = (m: Matrix): Matrix => fromData(m.rows, m.cols, m.data.map(Math.abs));

// Sizes around the kernel's blocking edges, as this build reports them (MR, NR, MC, KC; MC comes
// from this machine's caches), and tiny ones.
const b = nativeStatus.blocking ?? { mr: 6, nr: 32, mc: 126, kc: 512 };
const edges = [b.mr, b.nr, b.mc, b.kc].flatMap((e) => [e - 1, e, e + 1]);
const dim = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(...edges));

describe.skipIf(!nativeBackend)('native kernels match the reference', () => {
  const nat = nativeBackend!;
  const ref = referenceBackend;

  it('A·Bᵀ, A·B, Aᵀ·B, AᵀA and AAᵀ agree to 1e-12 of Σ|a||b| on random shapes', () => {
    fc.assert(
      fc.property(dim, dim, dim, fc.integer({ min: 1, max: 1e6 }), (r, c, p, seed) => {
        const a = randomMatrix(seed, r, p);
        const bt = randomMatrix(seed + 1, c, p); // c×p, for A·Bᵀ
        const b = randomMatrix(seed + 2, p, c); // p×c, for A·B
        const at = randomMatrix(seed + 3, p, r); // p×r, for Aᵀ·B with B p×c
        const checks: [Matrix, Matrix, Matrix][] = [
          [nat.mulABt(a, bt), ref.mulABt(a, bt), ref.mulABt(abs(a), abs(bt))],
          [nat.mulAB(a, b), ref.mulAB(a, b), ref.mulAB(abs(a), abs(b))],
          [nat.mulAtB(at, b), ref.mulAtB(at, b), ref.mulAtB(abs(at), abs(b))],
          [nat.gramAtA(a), ref.gramAtA(a), ref.gramAtA(abs(a))],
          [nat.gramAAt(a), ref.gramAAt(a), ref.gramAAt(abs(a))],
        ];
        for (const [got, want, scale] of checks) {
          expect([got.rows, got.cols]).toEqual([want.rows, want.cols]);
          expect(worstRelative(got, want, scale)).toBeLessThanOrEqual(1e-12);
        }
      }),
      { numRuns: 60 },
    );
  });

  // The threads split C's rows (a Gram's triangle by area), never a sum, so any thread count
  // gives the one-thread bits. They are kept between calls (kernels.cc, Team): a call may use
  // fewer of them than an earlier call started, and the next call must not begin before every
  // helper has finished, or its rows of C would still be missing (or a helper would read the
  // next call's job).
  it('products, a Gram matrix and a long Gaussian fill give the one-thread bits whatever the thread count, from call to call', () => {
    const a = randomMatrix(11, 240, 400);
    const b = randomMatrix(12, 230, 400);
    const before = nativeThreads()!;
    try {
      nativeThreads(1);
      const one = Buffer.from(nat.mulABt(a, b).data.buffer);
      const gramOne = Buffer.from(nat.gramAtA(b).data.buffer);
      const fill = (threads: number) => {
        nativeThreads(threads);
        const out = new Float64Array(2 * (2 * 65536 + 5));
        nat.gaussianPairs!(Uint32Array.of(1, 2, 3, 4), out, 0, out.length / 2, 1);
        return Buffer.from(out.buffer);
      };
      const fillOne = fill(1);
      for (const threads of [5, 2, 8, 3, 1, 7, 2, 64, 4]) {
        nativeThreads(threads);
        expect([threads, Buffer.compare(one, Buffer.from(nat.mulABt(a, b).data.buffer))]).toEqual([threads, 0]);
        expect([threads, Buffer.compare(gramOne, Buffer.from(nat.gramAtA(b).data.buffer))]).toEqual([threads, 0]);
        // A fill splits into at most pairs/2^16 = 2 parts: fewer than the helpers started above.
        expect([threads, Buffer.compare(fillOne, fill(threads))]).toEqual([threads, 0]);
      }
    } finally {
      nativeThreads(before);
    }
  });

  // Aᵀ·y (the ridge's Fᵀy) skips the GEMM for a streaming kernel that must keep its sums: the
  // first column of Aᵀ·[y z], which goes through the GEMM, is the same sum entry for entry.
  it('Aᵀ·y gives the bits of the GEMM’s first column of Aᵀ·[y z]', () => {
    const before = nativeThreads()!;
    try {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2100 }), fc.integer({ min: 1, max: 1300 }), fc.constantFrom(1, 2), fc.integer({ min: 1, max: 1e6 }), (m, k, threads, seed) => {
          nativeThreads(threads);
          const a = randomMatrix(seed, k, m);
          const yz = randomMatrix(seed + 1, k, 2);
          const y = fromData(k, 1, yz.data.filter((_, i) => i % 2 === 0));
          const alone = nat.mulAtB(a, y).data;
          const both = nat.mulAtB(a, yz).data;
          for (let i = 0; i < m; i++) if (!Object.is(alone[i], both[2 * i])) expect([m, k, i, alone[i]]).toEqual([m, k, i, both[2 * i]]);
        }),
        // Always among the runs: depth past two KC blocks, and C past one tile of 2048 with a tail.
        { numRuns: 25, examples: [[1000, 1000, 2, 3], [2053, 1030, 1, 4], [9, 513, 2, 5]] },
      );
    } finally {
      nativeThreads(before);
    }
  });

  it('the Gram kernels (lower triangle, mirrored) give the full product bit for bit, symmetric', () => {
    fc.assert(
      fc.property(dim, dim, fc.integer({ min: 1, max: 1e6 }), (r, p, seed) => {
        const a = randomMatrix(seed, r, p);
        const bits = (m: Matrix) => Array.from(m.data);
        expect(bits(nat.gramAtA(a))).toEqual(bits(nat.mulAtB(a, a)));
        const aat = nat.gramAAt(a);
        expect(bits(aat)).toEqual(bits(nat.mulABt(a, a)));
        for (let i = 0; i < r; i++) for (let j = 0; j < i; j++) expect(aat.data[i * r + j]).toBe(aat.data[j * r + i]);
      }),
      { numRuns: 25 },
    );
  });

  it('the Cholesky solve agrees to 1e-12 relative on well-conditioned SPD systems, several right-hand sides', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constantFrom(127, 128, 129, 255, 256, 257, 300, 520)), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 1e6 }), (p, q, seed) => {
        // S = GGᵀ/p + I has eigenvalues in [1, (1 + √(p/p))²+1] = [1, 5]: condition ≤ 5, so the
        // two solutions differ by O(5·p·u), far below 1e-12 of ‖x‖.
        const g = randomMatrix(seed, p, p);
        const s = ref.gramAAt(g);
        for (let i = 0; i < p * p; i++) s.data[i] /= p;
        for (let i = 0; i < p; i++) s.data[i * p + i] += 1;
        const rhs = randomMatrix(seed + 1, p, q);
        const want = ref.choleskySolve(s, rhs);
        const got = nat.choleskySolve(s, rhs);
        const norm = Math.max(...want.data.map(Math.abs));
        for (let i = 0; i < want.data.length; i++) expect(Math.abs(got.data[i] - want.data[i])).toBeLessThanOrEqual(1e-12 * norm);
      }),
      { numRuns: 40 },
    );
  });

  // The factor's first columns come straight out of the base case (kernels.cc: panels of 256
  // columns halved down to 16 or fewer), before any product has touched them, so they follow its
  // written rule exactly: L_rc = (S_rc − t)/L_cc, L_cc = √(S_cc − t), t = Σ_{p<c} L_rp·L_cp summed
  // in order, each product rounded, no fused multiply-add. The rows below the diagonal block go
  // eight at a time in vector lanes and the rest one by one; both must give the rule's bits.
  it('the first columns of the factor follow the base case rule bit for bit, in vector lanes and one by one', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constantFrom(255, 256, 257, 400)), fc.integer({ min: 1, max: 1e6 }), fc.constantFrom(1, 2), (p, seed, threads) => {
        const g = randomMatrix(seed, p, p);
        const s = ref.gramAAt(g);
        for (let i = 0; i < p * p; i++) s.data[i] /= p;
        for (let i = 0; i < p; i++) s.data[i * p + i] += 1;
        let base = Math.min(256, p);
        while (base > 16) base = Math.floor(base / 2);
        const want = new Float64Array(p * base);
        for (let c = 0; c < base; c++) {
          for (let r = c; r < p; r++) {
            let t = 0;
            for (let q = 0; q < c; q++) t += want[r * base + q] * want[c * base + q];
            want[r * base + c] = r === c ? Math.sqrt(s.data[r * p + r] - t) : (s.data[r * p + c] - t) / want[c * base + c];
          }
        }
        const before = nativeThreads();
        try {
          nativeThreads(threads);
          const l = nativeCholeskyFactor(s)!;
          for (let r = 0; r < p; r++) {
            for (let c = 0; c < Math.min(base, r + 1); c++) {
              if (!Object.is(l.data[r * p + c], want[r * base + c])) expect([r, c, l.data[r * p + c]]).toEqual([r, c, want[r * base + c]]);
            }
          }
        } finally {
          nativeThreads(before ?? undefined);
        }
      }),
      { numRuns: 40 },
    );
  });

  // One right-hand side (the ridge's) has its own loops, eight forward chains in flight and a
  // vectorised backward pass, which must take the general loop's steps: the first column of a
  // two-column solve goes through the general loop and must be the same numbers bit for bit.
  it('a solve with one right-hand side gives the bits of the first column of a two-column solve', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.boolean(), fc.integer({ min: 1, max: 1e6 }), (n, banded, seed) => {
        // Banded: zeros in L, which both loops skip; dense: a Gram matrix plus n on its diagonal.
        const a = randomMatrix(seed, n, n);
        const s = banded ? fromData(n, n, Float64Array.from({ length: n * n }, (_, idx) => (Math.floor(idx / n) === idx % n ? 4 : Math.abs(Math.floor(idx / n) - (idx % n)) === 1 ? a.data[Math.min(Math.floor(idx / n), idx % n)] : 0))) : nat.gramAAt(a);
        if (!banded) for (let i = 0; i < n; i++) s.data[i * n + i] += n;
        const two = randomMatrix(seed + 1, n, 2);
        const one = fromData(n, 1, two.data.filter((_, i) => i % 2 === 0));
        const x1 = nat.choleskySolve(s, one).data;
        const x2 = nat.choleskySolve(s, two).data;
        for (let i = 0; i < n; i++) if (!Object.is(x1[i], x2[2 * i])) expect([n, banded, i, x1[i]]).toEqual([n, banded, i, x2[2 * i]]);
      }),
      { numRuns: 40, examples: [[17, false, 3], [17, true, 4], [256, false, 5]] },
    );
  });

  it('refuses a matrix that is not positive definite, as the reference does, and leaves its input alone', () => {
    const s = fromData(2, 2, Float64Array.from([1, 2, 2, 1]));
    expect(() => nat.choleskySolve(s, fromData(2, 1, Float64Array.from([1, 1])))).toThrow(/not positive definite/);
    expect(() => ref.choleskySolve(s, fromData(2, 1, Float64Array.from([1, 1])))).toThrow(/not positive definite/);
    expect(Array.from(s.data)).toEqual([1, 2, 2, 1]);
  });

  it('the native Gaussian fill continues the JavaScript stream exactly and matches its values to the last bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 0.1, max: 10, noNaN: true }), (length, offset, seed, scale) => {
        const fill = (kernel: typeof nat.gaussianPairs | null) => {
          // The kernel travels with the stream to its children.
          const s = rootStream(seed, kernel ?? null).child('g');
          const out = new Float64Array(offset + length);
          s.fillGaussian(out, offset, length, scale);
          return { out, next: s.uniform() };
        };
        const js = fill(null);
        const native = fill(nat.gaussianPairs!);
        expect(native.next).toBe(js.next); // same number of bits drawn, same state after
        // libmvec's log/sin/cos are within 4 ulp: |Δ| ≤ ~10 ulp of max(scale, |value|).
        for (let i = 0; i < js.out.length; i++) {
          expect(Math.abs(native.out[i] - js.out[i])).toBeLessThanOrEqual(1e-14 * Math.max(scale, Math.abs(js.out[i])));
        }
      }),
      { numRuns: 40 },
    );
  });

  // A long fill runs on sixteen lanes, each jumped ahead to its own place in the stream, and is
  // split over the threads; a fill of eight pairs runs sequentially. So filling eight pairs at a
  // time (each row's vector part, then its scalar rest) is the sequential stream itself, and the
  // one long call must give its values bit for bit, and leave the same state.
  it('the native Gaussian fill gives the sequential bits on any lanes, rows and threads', () => {
    const kernel = nat.gaussianPairs!;
    const shape = fc.oneof(
      fc.record({ rows: fc.integer({ min: 1, max: 3 }), rowPairs: fc.integer({ min: 4096, max: 70000 }) }),
      fc.record({ rows: fc.integer({ min: 2, max: 400 }), rowPairs: fc.integer({ min: 1, max: 700 }) }),
      fc.constantFrom({ rows: 1, rowPairs: 2 * 65536 + 3 }, { rows: 4000, rowPairs: 17 }, { rows: 300, rowPairs: 503 }),
    );
    const before = nativeThreads();
    try {
      fc.assert(
        fc.property(shape, fc.constantFrom(1, 2), fc.integer({ min: 0, max: 2 ** 31 }), fc.double({ min: 0.1, max: 10, noNaN: true }), ({ rows, rowPairs }, threads, seed, scale) => {
          const pairs = rows * rowPairs;
          const start = Uint32Array.from([seed >>> 0, 0x9e3779b9, seed ^ 0x5bd1e995, 1]);
          nativeThreads(threads);
          const whole = new Float64Array(2 * pairs);
          const wholeState = start.slice();
          kernel(wholeState, whole, 0, pairs, scale, rowPairs);
          const pieces = new Float64Array(2 * pairs);
          const piecesState = start.slice();
          const vectorPart = rowPairs - (rowPairs % 8);
          for (let r = 0; r < rows; r++) {
            const base = r * rowPairs;
            for (let p = 0; p < vectorPart; p += 8) kernel(piecesState, pieces, 2 * (base + p), 8, scale);
            if (vectorPart < rowPairs) kernel(piecesState, pieces, 2 * (base + vectorPart), rowPairs - vectorPart, scale);
          }
          expect(Array.from(wholeState)).toEqual(Array.from(piecesState));
          for (let i = 0; i < whole.length; i++) if (!Object.is(whole[i], pieces[i])) expect([i, whole[i]]).toEqual([i, pieces[i]]);
        }),
        // Always among the runs: fills long enough to be split over two threads (2·2^16 pairs and more).
        { numRuns: 30, examples: [[{ rows: 1, rowPairs: 2 * 65536 + 3 }, 2, 12345, 1.5], [{ rows: 4000, rowPairs: 33 }, 2, 7, 0.5]] },
      );
    } finally {
      nativeThreads(before ?? undefined);
    }
  });

  it('a stream fills rows with the numbers of filling them one by one, with and without the kernel', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 500, max: 1200 })), fc.integer({ min: 0, max: 1e6 }), fc.boolean(), (rows, length, seed, native) => {
        const kernel = native ? nat.gaussianPairs! : null;
        const byRow = rootStream(seed, kernel).child('rows');
        const oneCall = rootStream(seed, kernel).child('rows');
        const a = new Float64Array(3 + rows * length);
        const b = new Float64Array(3 + rows * length);
        for (let r = 0; r < rows; r++) byRow.fillGaussian(a, 3 + r * length, length);
        oneCall.fillGaussianRows(b, 3, rows, length);
        expect(oneCall.uniform()).toBe(byRow.uniform());
        for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect([i, b[i]]).toEqual([i, a[i]]);
      }),
      { numRuns: 60 },
    );
  });

  it('a whole trial gives the same errors on both backends (same seed, 1e-8 relative)', () => {
    const config = validateConfig({ ...DEFAULT_CONFIG, n: 150 });
    const surrogates = parseSurrogateList('hermite:3,cget');
    const run = (name: string) => {
      useBackend(name);
      return runTrial({ config, seed: 4, surrogates, degreeCap: null });
    };
    const previous = linalg().name;
    try {
      const r = run('reference');
      const n = run('native');
      const rel = (x: number, y: number) => Math.abs(x - y) / Math.abs(y);
      expect(rel(n.nn.train, r.nn.train)).toBeLessThan(1e-8);
      expect(rel(n.nn.gen, r.nn.gen)).toBeLessThan(1e-8);
      for (const name of Object.keys(r.surrogates)) {
        expect(rel(n.surrogates[name].train, r.surrogates[name].train)).toBeLessThan(1e-8);
        expect(rel(n.surrogates[name].gen, r.surrogates[name].gen)).toBeLessThan(1e-8);
      }
    } finally {
      useBackend(previous);
    }
  });
});

// The per-entry passes are not sums in another order: they must give the JavaScript's bits exactly
// (signed zeros, NaN and infinities included), or a trial would change with the backend.
// An addon without one of these passes (built before it existed) fails here rather than skipping:
// the build is part of `npm install`, so a missing pass is a stale or broken build.
describe.skipIf(!nativeBackend)('native per-entry passes are the JavaScript, bit for bit', () => {
  const nat = nativeBackend!;
  const special = fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity, 1e-310, -1e-310, 1e300, -1e300);
  // size 'max': lengths up to 41, so the 8-wide vector loop runs several times and the tail too.
  const entries = fc.array(fc.oneof(fc.double({ noNaN: false }), special), { minLength: 0, maxLength: 41, size: 'max' });
  const same = (a: Float64Array, b: Float64Array): void => {
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) expect(Object.is(a[i], b[i]), `entry ${i}: ${a[i]} vs ${b[i]}`).toBe(true);
  };

  it('ReLU: x > 0 ? x : 0, and the network’s features take it (activate)', () => {
    fc.assert(
      fc.property(entries, (xs) => {
        const x = Float64Array.from(xs);
        const out = new Float64Array(x.length).fill(7);
        nat.relu!(x, out);
        same(out, x.map((v) => (v > 0 ? v : 0)));
      }),
      { numRuns: 200 },
    );
    // activate dispatches ReLU to the backend, anything else (and a look-alike named 'relu') to σ.
    const pre = fromData(3, 5, rootStream(3).gaussians(15));
    const previous = linalg().name;
    try {
      useBackend(nat.name);
      same(activate(pre, activation('relu')).data, pre.data.map((v) => (v > 0 ? v : 0)));
      const lookalike = { ...activation('relu'), f: (v: number) => 2 * v };
      same(activate(pre, lookalike).data, pre.data.map((v) => 2 * v));
    } finally {
      useBackend(previous);
    }
  });

  it('the Hermite series added into out (through the backend), at every degree the recurrence takes', () => {
    const { hermiteSeries } = hermiteModule;
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 12 }),
        // Arguments of order one (where a fused multiply-add would change bits), specials mixed in.
        fc.array(fc.option(special, { freq: 6 }), { minLength: 0, maxLength: 41, size: 'max' }),
        fc.double({ min: 0.125, max: 4, noNaN: true }),
        fc.boolean(),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (cs, sp, s0, negative, seed) => {
          const scale = negative ? -s0 : s0;
          const c = Float64Array.from(cs);
          const g = rootStream(seed + 7).gaussians(sp.length);
          const x = Float64Array.from(sp, (v, i) => (v === null ? 2 * g[i] : v));
          const start = rootStream(seed).gaussians(x.length);
          const out = Float64Array.from(start);
          const previous = linalg().name;
          try {
            useBackend(nat.name);
            hermiteModule.hermiteSeriesAddInto(c, x, scale, out);
          } finally {
            useBackend(previous);
          }
          same(out, start.map((o, i) => o + hermiteSeries(c, scale * x[i])));
        },
      ),
      { numRuns: 200 },
    );
    // Signed zeros: a zero constant term keeps its sign, as in JavaScript (−0 + −0 = −0).
    const out = Float64Array.of(-0, -0, -0, -0, -0, -0, -0, -0, -0);
    const previous = linalg().name;
    try {
      useBackend(nat.name);
      hermiteModule.hermiteSeriesAddInto(Float64Array.of(-0), new Float64Array(9), 1, out);
    } finally {
      useBackend(previous);
    }
    same(out, new Float64Array(9).fill(-0));
  });

  it('predictions of features scaled on the fly: scaling in place and then matVec, in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 37 }), fc.double({ min: -3, max: 3, noNaN: true }), fc.integer({ min: 0, max: 2 ** 31 }), (rows, cols, f, seed) => {
        const z = fromData(rows, cols, rootStream(seed).gaussians(rows * cols));
        const w = rootStream(seed + 1).gaussians(cols);
        const out = new Float64Array(rows);
        nat.scaledMatVec!(z, f, w, out);
        const twoPasses = matVec(fromData(rows, cols, z.data.map((v) => v * f)), w);
        same(out, twoPasses);
        // and the JavaScript's own one-pass fallback
        const previous = linalg().name;
        try {
          useBackend('reference');
          same(scaledMatVec(z, f, w), twoPasses);
        } finally {
          useBackend(previous);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the sampler’s covariance step and the rows’ projections: src/data/sampler.ts and dot, in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 23 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.integer({ min: 0, max: 2 ** 31 }), (n, rows, d, withMean, seed) => {
        const g = (k: number, off: number) => rootStream(seed + off).gaussians(k);
        const x = g(rows * n, 0);
        const spikes = g(d * n, 1);
        const factors = g(d, 2);
        const mean = withMean ? g(n, 3) : new Float64Array(0);
        const listed = Int32Array.from({ length: rows }, (_, r) => r).filter((r) => r % 2 === 0);
        const mine = Float64Array.from(x);
        nat.spikeShiftRows!(mine, n, listed, spikes, factors, mean);
        const theirs = Float64Array.from(x);
        for (const r of listed) {
          const xr = theirs.subarray(r * n, (r + 1) * n);
          const coef = Array.from({ length: d }, (_, i) => factors[i] * dot(spikes.subarray(i * n, (i + 1) * n), xr));
          for (let i = 0; i < d; i++) for (let t = 0; t < n; t++) xr[t] += coef[i] * spikes[i * n + t];
          if (withMean) for (let t = 0; t < n; t++) xr[t] += mean[t];
        }
        same(mine, theirs);
        const v = g(n, 4);
        const out = new Float64Array(rows);
        nat.rowDots!(mine, n, v, out);
        same(out, Float64Array.from({ length: rows }, (_, r) => dot(v, mine.subarray(r * n, (r + 1) * n))));
      }),
      { numRuns: 200 },
    );
  });

  // Above about 2^19 entries of work each pass is split over the kernel threads (kernels.cc,
  // in_parts): every row or entry is computed the same way whichever part holds it, so one
  // thread and two give the same bits, and both the JavaScript's.
  it('split over the kernel threads, each pass gives the bits it gives on one thread, and the JavaScript’s', () => {
    const g = (k: number, seed: number) => rootStream(seed).gaussians(k);
    const rows = 601;
    const n = 1000;
    const runAt = (threads: number) => {
      const before = nativeThreads();
      try {
        nativeThreads(threads);
        const x = g(rows * n, 1);
        const relu = new Float64Array(x.length);
        nat.relu!(x, relu);
        const herm = g(rows * n, 2);
        nat.hermiteSeriesAdd!(Float64Array.of(0.3, -1, 0.5, 0.25, -0.125), Float64Array.from([0, 1, Math.SQRT2, Math.sqrt(3), 2]), Float64Array.from([1, Math.SQRT1_2, 1 / Math.sqrt(3), 0.5, 1 / Math.sqrt(5)]), x, 0.7, herm);
        const pred = new Float64Array(rows);
        nat.scaledMatVec!(fromData(rows, n, x), 0.03, g(n, 3), pred);
        const shifted = Float64Array.from(x);
        nat.spikeShiftRows!(shifted, n, Int32Array.from({ length: rows }, (_, r) => r).filter((r) => r % 3 !== 1), g(2 * n, 4), Float64Array.of(0.4, -0.2), g(n, 5));
        const dots = new Float64Array(rows);
        nat.rowDots!(shifted, n, g(n, 6), dots);
        const sums = new Float64Array(rows);
        nat.reluRowSums!(x, n, g(n, 7), sums);
        const weights = Float64Array.from(x);
        nat.reluGradientWeights!(weights, n, g(rows, 8), g(n, 9));
        return [relu, herm, pred, shifted, dots, sums, weights];
      } finally {
        nativeThreads(before ?? undefined);
      }
    };
    // One expect per array (an expect per entry of 600,000 takes seconds).
    const firstDifference = (a: Float64Array, b: Float64Array): number => {
      if (a.length !== b.length) return -2;
      for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
      return -1;
    };
    const one = runAt(1);
    const two = runAt(2);
    expect(one.map((a, p) => firstDifference(two[p], a))).toEqual(one.map(() => -1));
    // and the JavaScript's, for two of them over the whole length
    const x = g(rows * n, 1);
    expect(firstDifference(two[0], x.map((v) => (v > 0 ? v : 0)))).toBe(-1);
    const v = g(n, 6);
    expect(firstDifference(two[4], Float64Array.from({ length: rows }, (_, r) => dot(v, two[3].subarray(r * n, (r + 1) * n))))).toBe(-1);
  });

  it('a ReLU network’s step: Σ w_i·relu(pre) in order, and (r_j·w_i)·σ′(pre) in place', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ min: -4, max: 4, noNaN: true }), special), { minLength: 0, maxLength: 41, size: 'max' }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 0, max: 2 ** 31 }), (xs, k, seed) => {
        const rows = Math.floor(xs.length / k);
        const pre = Float64Array.from(xs.slice(0, rows * k));
        const w = rootStream(seed).gaussians(k);
        const r = rootStream(seed + 1).gaussians(rows);
        const sums = new Float64Array(rows);
        nat.reluRowSums!(pre, k, w, sums);
        same(
          sums,
          Float64Array.from({ length: rows }, (_, j) => {
            let acc = 0;
            for (let i = 0; i < k; i++) acc += w[i] * (pre[j * k + i] > 0 ? pre[j * k + i] : 0);
            return acc;
          }),
        );
        const mine = Float64Array.from(pre);
        nat.reluGradientWeights!(mine, k, r, w);
        same(mine, pre.map((v, idx) => r[Math.floor(idx / k)] * w[idx % k] * (v > 0 ? 1 : 0)));
      }),
      { numRuns: 200 },
    );
  });
});
