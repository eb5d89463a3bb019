// srf-asymptotics' tolerance is derived from a committed measurement (properties/fixtures/srf-finite-d/):
// the constants in the theorem must be that measurement's fit, and its trials are scored exactly.
import { describe, expect, it } from 'vitest';
import summary from '../fixtures/srf-finite-d/summary.json' with { type: 'json' };
import { cuiSettingAt, cuiTrial } from '../../src/experiment/cui-protocol.ts';
import { DEFAULT_CONFIG, validateConfig } from '../../src/data/config.ts';
import { SRF_FINITE_D, srfAsymptotics, srfAsymptoticsLadder, srfFiniteAllowance } from '../../theorems/srf-asymptotics.ts';

describe('srf-asymptotics: the finite-size term is the measured O(1/d) excess', () => {
  it('κ ± SE_κ are the fixture’s fit g∞ + κ/d at η̃ = 1 (gaps to the fixed point at γ̂)', () => {
    const fit = summary['1'].fits.own.find((f) => f.power === 1) as { c: number; c_se: number };
    expect(Math.abs(fit.c - SRF_FINITE_D.kappa)).toBeLessThan(0.005);
    expect(Math.abs(fit.c_se - SRF_FINITE_D.se)).toBeLessThan(0.005);
    expect(srfFiniteAllowance(800)).toBeCloseTo((fit.c + 2 * fit.c_se) / 800, 4);
  });

  it('a trial is the sRF model’s exact error against the fixed point at its own γ̂', () => {
    const config = validateConfig({ ...DEFAULT_CONFIG, ...srfAsymptotics.pinned[0].config });
    const spec = srfAsymptoticsLadder(config);
    const sample = spec.sample(60, 3);
    const trial = cuiTrial({ ...cuiSettingAt(config, 60), testSize: 0, exact: true, network: false }, 3, ['srf']);
    expect(sample.error.simulated).toBe(trial.errors.srf);
    expect(spec.tolerance(60, 'error', [sample]).finite).toBeCloseTo(srfFiniteAllowance(60), 15);
  });
});
