// `onestep oracle` end to end: its JSON holds the library's numbers, and bad input is refused.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { DEFAULT_CONFIG, sizesOf, validateConfig } from '../../src/data/config.ts';
import { isotropic, mmConfig, simulateMM } from '../../src/experiment/oracle-simulation.ts';
import { firstLayerOfTrial } from '../../src/experiment/stages.ts';
import { activation } from '../../src/math/activations.ts';
import { deterministicEquivalent } from '../../src/oracles/get-deterministic-equivalent.ts';
import { gmRidge } from '../../src/oracles/gm-ridge.ts';
import { activationMoments, meiMontanariRisk, projectGenFromRisk } from '../../src/oracles/mei-montanari.ts';
import { gaussianInputOf, singleIndexTargetOf } from '../../src/oracles/project-map.ts';
import { srfOracle } from '../../src/oracles/srf.ts';
import { simulateCui, SRF_VARIANTS } from '../../src/experiment/cui-protocol.ts';
import { spikedGaussian } from '../../theorems/oracle-get-de.ts';

const CLI = join(import.meta.dirname, '..', '..', 'bin', 'onestep.mjs');
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

/** The command in this process (a spawn costs a second of tsx start-up): exit code and captured output. */
async function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    stdout += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
  try {
    return { status: await main(args), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('onestep oracle', () => {
  it('mm --json: {mm: {lambda, risk}, project: {lambda, n, gen}} with λ_MM = nλ and gen = ½(R + τ²)', () => {
    const r = cli(['oracle', 'mm', '--act', 'tanh', '--psi1', '1.5', '--psi2', '1', '--lambda', '2e-4', '--n', '500', '--f1', '1', '--fstar', '0.5', '--tau', '0.3', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.mm.lambda).toBeCloseTo(0.1, 14);
    expect(out.project).toMatchObject({ lambda: 2e-4, n: 500 });
    const lib = meiMontanariRisk({ psi1: 1.5, psi2: 1, lambdaMM: 0.1, moments: activationMoments(activation('tanh')), f1: 1, fStar: 0.5, tau: 0.3 });
    expect(out.mm.risk).toBe(lib.risk);
    expect(out.project.gen).toBe(projectGenFromRisk(lib.risk, 0.3));
  });

  it('mm --simulate runs the library’s map of (ψ1, ψ2, λ_MM, F1, F*, τ) to a configuration: k = ψ1·n, m = ψ2·n, the same numbers', async () => {
    const r = await run(['oracle', 'mm', '--act', 'relu', '--psi1', '2', '--psi2', '1', '--lambda', '1e-3', '--n', '40', '--f1', '1', '--fstar', '0.5', '--tau', '0.3', '--simulate', '2', '--seed', '3', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const setting = { act: 'relu', psi1: 2, psi2: 1, lambdaMM: 40 * 1e-3, n: 40, f1: 1, fStar: 0.5, tau: 0.3 } as const;
    expect(out.simulation).toMatchObject({ n: 40, m: 40, k: 80, seeds: '3–4' });
    expect(out.simulation).toEqual(JSON.parse(JSON.stringify(simulateMM({ ...setting, trials: 2, seed: 3 }, out.project.gen))));
    expect(mmConfig(setting)).toMatchObject({ ...isotropic(), act: 'relu', n: 40, mRatio: 1, kRatio: 2, targetLinear: 1, targetNonlinear: 0.5, noise: 0.3 });
  });

  it('gm-ridge --json and get-de --json return the library’s numbers', async () => {
    const gm = await run(['oracle', 'gm-ridge', '--alpha', '2', '--lambda', '0.4', '--rho', '0.3', '--delta', '0.5', '--json']);
    expect(gm.status, gm.stderr).toBe(0);
    const lib = gmRidge({ alpha: 2, lambda: 0.4, rho: 0.3, delta: 0.5 });
    expect(JSON.parse(gm.stdout)).toMatchObject({ error: lib.error, bias: lib.bias, overlap: lib.overlap, iterations: lib.iterations, status: 'converged' });
    const de = await run(['oracle', 'get-de', '--n', '80', '--rank', '1', '--theta', '5', '--k-ratio', '0.5', '--lambda', '1e-3', '--seed', '4', '--json']);
    expect(de.status, de.stderr).toBe(0);
    const out = JSON.parse(de.stdout);
    const config = validateConfig({ ...DEFAULT_CONFIG, ...spikedGaussian(), n: 80, rank: 1, theta: 5, kRatio: 0.5, lambda: 1e-3 });
    const { mixture, Fhat } = firstLayerOfTrial(config, 4);
    const want = deterministicEquivalent(Fhat, gaussianInputOf(mixture), activation('relu'), singleIndexTargetOf(config, mixture), sizesOf(config).m, 1e-3);
    expect(out.oracle.gen).toBe(want.gen);
    expect(out.oracle.train).toBe(want.train);
  });

  it('srf --json returns the library’s number with its diagnostics and conversions', async () => {
    const r = await run(['oracle', 'srf', '--act', 'tanh', '--target-act', 'sin', '--alpha0', '2', '--eta-tilde', '1', '--lambda', '0.1', '--alpha', '2', '--d', '300', '--spectrum', 'limit', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const lib = srfOracle({ act: 'tanh', target: 'sin', alpha0: 2, etaTilde: 1, lambda: 0.1, alpha: 2, d: 300, spectrum: 'limit' });
    expect(out).toMatchObject({ error: lib.error, status: 'converged', converged: true, iterations: lib.iterations });
    expect(out.lastChange).toBeLessThan(1e-10);
    expect(out.conventions).toMatchObject({ lambdaMM: 0.05, projectLambda: 0.1 / 600, projectEta: 300, samples: 600, stepSamples: 600 });
    const sim = await run(['oracle', 'srf', '--d', '40', '--alpha', '2', '--spectrum', 'limit', '--simulate', '2', '--seed', '7', '--json']);
    expect(sim.status, sim.stderr).toBe(0);
    const want = simulateCui({ act: 'tanh', target: 'tanh', alpha0: 2, etaTilde: 1, lambda: 0.1, alpha: 2, d: 40 }, 2, 7, Object.keys(SRF_VARIANTS));
    expect(JSON.parse(sim.stdout).simulation.errors).toEqual(JSON.parse(JSON.stringify(want.errors)));
    const bad = await run(['oracle', 'srf', '--target-act', 'cos']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--target-act: 'cos' is not allowed/);
  });

  it('bad input: one line naming the flag, the value and the allowed range; exit 2', async () => {
    for (const [args, pattern] of [
      [['mm', '--psi1=0', '--psi2', '1', '--lambda-mm', '1'], /--psi1: '0' is not allowed \(a number in \[0.000001, /],
      // A subnormal λ_MM has no fixed point in double precision: refused, never a negative risk.
      [['mm', '--psi1', '1', '--psi2', '2', '--lambda-mm', '5e-324'], /--lambda-mm: '5e-324' is not allowed \(a number in \[1e-12, /],
      [['mm', '--psi1', '1', '--psi2', '1', '--lambda-mm', '1', '--act', 'linear'], /--act: 'linear' is not allowed \(one of relu, tanh, sigmoid, erf\)/],
      [['mm', '--psi1', '1', '--psi2', '1', '--lambda', '1'], /--lambda needs --n/],
      [['gm-ridge', '--alpha', '1', '--lambda', '1', '--delta', '1', '--rho', '1.5'], /--rho: '1.5' is not allowed/],
      [['get-de', '--components', '2', '--n', '50'], /components: 2 is not allowed \(1, or identical components/],
      [['nope'], /unknown oracle 'nope'/],
    ] as const) {
      const r = await run(['oracle', ...args]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
    // The installed entry point too: exit code and a single line, no stack.
    const spawned = cli(['oracle', 'gm-ridge', '--alpha=-1', '--lambda', '1', '--delta', '1']);
    expect(spawned.status).toBe(2);
    expect(spawned.stderr.trim().split('\n')).toHaveLength(1);
    expect(spawned.stderr).toMatch(/^onestep oracle: --alpha: '-1' is not allowed \(a number in \[0.000001, /);
    const help = await run(['oracle', 'mm', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('λ_MM = n·λ');
  });
});
