import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rootStream, trialStreams } from '../../src/random/stream.ts';

describe('seeded streams', () => {
  it('replay bit for bit from the same seed and label path', () => {
    fc.assert(
      fc.property(fc.nat(), fc.string({ maxLength: 12 }), (seed, label) => {
        const a = rootStream(seed).child(label).gaussians(64);
        const b = rootStream(seed).child(label).gaussians(64);
        expect(Array.from(a)).toEqual(Array.from(b));
      }),
    );
  });

  it('children do not depend on what the parent or siblings consumed', () => {
    const root = rootStream(7);
    const before = root.child('ridge').gaussians(16);
    root.gaussians(1000);
    root.child('step').gaussians(1000);
    expect(Array.from(root.child('ridge').gaussians(16))).toEqual(Array.from(before));
  });

  it('different seeds and roles give different numbers', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (s1, s2) => {
        fc.pre(s1 !== s2);
        expect(rootStream(s1).uniform()).not.toBe(rootStream(s2).uniform());
      }),
    );
    const s = trialStreams(3);
    expect(s.step.uniform()).not.toBe(s.ridge.uniform());
  });

  it('Gaussians have mean 0 and variance 1 within 5 standard errors', () => {
    // N = 200k draws: se(mean) = 1/√N ≈ 0.0022, se(second moment) = √(2/N) ≈ 0.0032;
    // 5 se bounds a false alarm below 1e-6 per seed.
    const N = 200_000;
    const g = rootStream(11).child('moments').gaussians(N);
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    for (const x of g) {
      m1 += x;
      m2 += x * x;
      m4 += x ** 4;
    }
    expect(Math.abs(m1 / N)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(m2 / N - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    // Fourth moment 3 (se √(96/N) ≈ 0.022): catches a Box–Muller slip such as a wrong radius.
    expect(Math.abs(m4 / N - 3)).toBeLessThan(5 * Math.sqrt(96 / N));
  });

  it('uniform draws cover [0, 1) evenly (chi-square over 20 bins)', () => {
    const N = 100_000;
    const bins = new Array(20).fill(0);
    const s = rootStream(5);
    for (let i = 0; i < N; i++) {
      const u = s.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      bins[Math.floor(u * 20)]++;
    }
    const e = N / 20;
    const chi2 = bins.reduce((acc, b) => acc + (b - e) ** 2 / e, 0);
    // 19 degrees of freedom: P(χ² > 45.3) ≈ 6e-4.
    expect(chi2).toBeLessThan(45.3);
  });

  it('rejects seeds that are not non-negative safe integers', () => {
    expect(() => rootStream(-1)).toThrow(/seed/);
    expect(() => rootStream(1.5)).toThrow(/seed/);
    expect(() => rootStream(Number.NaN)).toThrow(/seed/);
  });
});
