// srf-asymptotics' oracle carries the protocol's measured O(1/d) excess (properties/fixtures/srf-finite-d/):
// the constants in the theorem must be that measurement's fits, every tier must read the pinned
// example at a setting where it was measured, and the trial must be corrected by exactly κ/n.
import { describe, expect, it } from 'vitest';
import summary from '../fixtures/srf-finite-d/summary.json' with { type: 'json' };
import { cuiSettingAt, cuiTrial } from '../../src/experiment/cui-protocol.ts';
import { DEFAULT_CONFIG, validateConfig } from '../../src/data/config.ts';
import { srfOracle } from '../../src/oracles/srf.ts';
import { finiteAllowance } from '../../theorems/oracle-mei-montanari.ts';
import { TIERS } from '../../theorems/run.ts';
import { finiteSizeLawAt, SRF_FINITE_D, srfAsymptotics, srfAsymptoticsLadder, srfFiniteCorrection, UNMEASURED_EXCESS } from '../../theorems/srf-asymptotics.ts';

type Cell = { cells: { d: number }[]; fits: { own: { power: number; c: number; c_se: number }[] }; lambda?: number };
const fixture = summary as unknown as Record<string, Cell>;
const pinned = (n: number) => validateConfig({ ...DEFAULT_CONFIG, ...srfAsymptotics.pinned[0].config, n });

describe('srf-asymptotics: the oracle carries the measured O(1/d) excess', () => {
  it('each κ ± SE_κ is the fixture’s fit g∞ + κ/d at its (η̃, λ) (gaps to the fixed point at γ̂)', () => {
    expect(SRF_FINITE_D.length).toBeGreaterThan(0);
    for (const law of SRF_FINITE_D) {
      const cell = fixture[String(law.setting.etaTilde)];
      // Measured at this (η̃, λ), along d = 200–1600 at least (the range the fit is quoted for).
      expect(cell?.cells.map((c) => c.d), `fixture for η̃ = ${law.setting.etaTilde}`).toEqual(expect.arrayContaining([200, 400, 800, 1600]));
      expect(cell.lambda).toBeCloseTo(law.setting.lambda, 12);
      const fit = cell.fits.own.find((f) => f.power === 1) as { c: number; c_se: number };
      expect(Math.abs(fit.c - law.kappa)).toBeLessThan(0.005);
      expect(Math.abs(fit.c_se - law.se)).toBeLessThan(0.005);
    }
  });

  it('every tier reads the pinned example at a measured setting', () => {
    for (const [tier, { ladder }] of Object.entries(TIERS)) {
      const top = ladder[ladder.length - 1];
      expect(finiteSizeLawAt(cuiSettingAt(pinned(top), top)), tier).not.toBeNull();
    }
  });

  it('a trial is the sRF model’s exact error against the fixed point at its own γ̂ times (1 + κ/n)', () => {
    const config = pinned(800);
    const spec = srfAsymptoticsLadder(config);
    const setting = { ...cuiSettingAt(config, 60), testSize: 0, exact: true, network: false };
    const sample = spec.sample(60, 3);
    const trial = cuiTrial(setting, 3, ['srf']);
    const own = srfOracle({ ...setting, spectrum: 'limit', override: { gamma: trial.gammaHat } }).error;
    const law = finiteSizeLawAt(setting);
    expect(law).not.toBeNull();
    expect(sample.error.simulated).toBe(trial.errors.srf);
    expect(sample['error@fixed-point'].oracle).toBe(own);
    expect(sample.error.oracle).toBe(own * (1 + (law?.kappa ?? Number.NaN) / 60));
    expect(spec.tolerance(60, 'error', [sample]).finite).toBe(finiteAllowance(60) + (2 * (law?.se ?? Number.NaN)) / 60);
  });

  it('where nothing was measured the oracle is not corrected and the largest measured excess is allowed', () => {
    const other = { ...cuiSettingAt(pinned(800), 800), lambda: 0.3 };
    expect(finiteSizeLawAt(other)).toBeNull();
    expect(UNMEASURED_EXCESS).toBeCloseTo(30.07 + 2 * 0.84, 12);
    expect(srfFiniteCorrection(other, 400)).toEqual({ shift: 0, allowance: UNMEASURED_EXCESS / 400 });
    expect(srfAsymptoticsLadder(validateConfig({ ...pinned(800), lambda: 0.3 / 800 })).describe).toMatch(/not corrected/);
    expect(finiteSizeLawAt({ ...other, lambda: cuiSettingAt(pinned(800), 800).lambda, p: 400 })).toBeNull();
  });
});
