// The sRF surrogate in the mixture trial (src/surrogates/srf.ts): with no step it is the network;
// with a step its first layer is c·F₀ + step·u vᵀ, the rank-one part of docs/model.md §7.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, validateConfig } from '../../src/data/config.ts';
import { drawRidgeSet, drawTrial, takeStep } from '../../src/experiment/stages.ts';
import { linalg } from '../../src/linalg/index.ts';
import { applyActivation } from '../../src/model/network.ts';
import { rootStream } from '../../src/random/stream.ts';
import { parseSurrogate } from '../../src/surrogates/index.ts';
import { mixtureSrfFeatureMap } from '../../src/surrogates/srf.ts';

const noise = rootStream(1).child('unused');

describe('--surrogates srf', () => {
  it('parses srf, srf:c=1, srf:nospike and nothing else', () => {
    expect(parseSurrogate('srf').options).toEqual({ c: null, spike: true });
    expect(parseSurrogate('srf:c=1').options).toEqual({ c: 1, spike: true });
    expect(parseSurrogate('srf:nospike').options).toEqual({ c: null, spike: false });
    expect(() => parseSurrogate('srf:c=2')).toThrow(/surrogates/);
  });

  it('at η = 0 is the network itself (c = 1, no spike); with a step its layer is c·F₀ + step·u vᵀ', () => {
    const still = takeStep(drawTrial(validateConfig({ ...DEFAULT_CONFIG, n: 40, eta: 0 }), 3));
    const set = drawRidgeSet(drawTrial(validateConfig({ ...DEFAULT_CONFIG, n: 40, eta: 0 }), 3));
    const map = mixtureSrfFeatureMap(still, 'srf', { c: null, spike: true });
    expect(map.info.c).toBe(1);
    const pre = linalg().mulABt(set.X, still.Fhat);
    const net = applyActivation(pre, still.act.f);
    const srf = map.features(set, pre, noise);
    expect(Math.max(...srf.data.map((v, i) => Math.abs(v - net.data[i])))).toBeLessThan(1e-12);
    // A large step: the spike moves the features, so dropping it is visible.
    const moved = takeStep(drawTrial(validateConfig({ ...DEFAULT_CONFIG, n: 40, eta: 40 }), 3));
    const pre2 = linalg().mulABt(set.X, moved.Fhat);
    const withSpike = mixtureSrfFeatureMap(moved, 'srf', { c: null, spike: true }).features(set, pre2, noise);
    const without = mixtureSrfFeatureMap(moved, 'srf', { c: null, spike: false }).features(set, pre2, noise);
    expect(Math.max(...withSpike.data.map((v, i) => Math.abs(v - without.data[i])))).toBeGreaterThan(1e-2);
  });
});
