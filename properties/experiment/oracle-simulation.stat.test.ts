// The simulator meets each closed-form oracle (docs/oracles.md) over generated settings — the
// interpolation peak ψ1 ≈ ψ2 and the small-λ limit included — while a wrong λ scaling is caught.
// Tolerances are the theorems' (theorems/oracle-*.ts): numerical floor + the 95% interval (k·SE) +
// a finite-size term derived there. Heavier runs: ONESTEP_TIER=stress.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, validateConfig, type ExperimentConfig } from '../../src/data/config.ts';
import { buildMixture } from '../../src/data/mixture.ts';
import { labelSpecOf, SetSampler } from '../../src/data/sampler.ts';
import { summariseGaps, t95 } from '../../src/experiment/ladder.ts';
import { isotropic, mmConfig } from '../../src/experiment/oracle-simulation.ts';
import { trialWithPopulationGen } from '../../src/experiment/population-error.ts';
import { mixturePopulationGen } from '../../src/experiment/mixture-population.ts';
import { activationLaw } from '../../src/model/features.ts';
import { firstLayerOfTrial } from '../../src/experiment/stages.ts';
import { runTrial, simulateTrial } from '../../src/experiment/trial.ts';
import { dot } from '../../src/linalg/index.ts';
import { activation, type ActivationName } from '../../src/math/activations.ts';
import { ErrorAccumulator } from '../../src/model/errors.ts';
import { applyActivation, preactivations } from '../../src/model/network.ts';
import { matVec } from '../../src/model/ridge.ts';
import { targetFunctionOf } from '../../src/oracles/project-map.ts';
import { trialStreams } from '../../src/random/stream.ts';
import { deSampleFrom, deTrial, spikedGaussian } from '../../theorems/oracle-get-de.ts';
import { gmLadderSpec, gmSampleFrom, simulateGmRidge, twoMeans } from '../../theorems/oracle-gm-ridge.ts';
import { reportRung, type OracleLadderSpec, type OracleSample, type TolerancePart } from '../../theorems/oracle-ladder.ts';
import { finiteAllowance, FLOOR, meiMontanariGen } from '../../theorems/oracle-mei-montanari.ts';

const stress = process.env.ONESTEP_TIER === 'stress';

/** The target of the Mei–Montanari simulations: linear part, He₂ part and noise. */
const MM_TARGET = { f1: 1, fStar: 0.5, tau: 0.3 };
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const NONLINEAR: ActivationName[] = ['relu', 'tanh', 'sigmoid', 'erf'];

describe('the bridge to the simulator', () => {
  it('firstLayerOfTrial reproduces runTrial’s F̂ bit for bit, with and without a step', () => {
    for (const over of [{ eta: 0 }, { beta: 0.3 }] as Partial<ExperimentConfig>[]) {
      const config = validateConfig({ ...DEFAULT_CONFIG, n: 60, ...over });
      const trial = runTrial({ config, seed: 11, surrogates: [], degreeCap: null, keepArrays: true });
      expect(Array.from(firstLayerOfTrial(config, 11).Fhat.data)).toEqual(Array.from(trial.arrays!.Fhat.data));
    }
  });

  it('the oracle’s target function is the sampler’s label map (noise off)', () => {
    for (const over of [{ targetLinear: 0.7, targetNonlinear: -0.4 }, { targetAct: 'relu' }, { targetAct: 'tanh' }, { targetAct: 'linear' }] as Partial<ExperimentConfig>[]) {
      const config = validateConfig({ ...DEFAULT_CONFIG, n: 30, noise: 0, ...over });
      const streams = trialStreams(5);
      const mixture = buildMixture(config, streams.structure);
      const block = new SetSampler(mixture, labelSpecOf(config), 50, streams.ridge).all();
      const { g } = targetFunctionOf(config);
      for (let j = 0; j < 50; j++) {
        const t = dot(mixture.targetDirection, block.X.data.subarray(j * 30, (j + 1) * 30));
        expect(Math.abs(block.y[j] - g(t))).toBeLessThan(1e-12 * Math.max(1, Math.abs(g(t))));
      }
    }
  });

  it('the exact (population) gen and the simulator’s test-set gen estimate the same thing; a missing ½ is caught', () => {
    // Paired over trials: d_t = (test-set gen − exact gen)/exact gen has mean 0 (the test set is
    // independent of the fit). Judged at 4 standard errors (false alarm 6e-5 per activation);
    // the control — the exact gen without its ½ — is off by 50%, hundreds of standard errors.
    for (const act of ['relu', 'tanh', 'erf', 'sigmoid'] as const) {
      const config = validateConfig({ ...DEFAULT_CONFIG, ...spikedGaussian(), act, n: 120, rank: 1, theta: 5, kRatio: 0.8, testRatio: 10, lambda: 1e-3 });
      const d: number[] = [];
      const wrong: number[] = [];
      for (let seed = 1; seed <= 12; seed++) {
        const { trial, population } = trialWithPopulationGen(config, seed);
        d.push(trial.nn.gen / population!.gen - 1);
        wrong.push(trial.nn.gen / (2 * population!.gen) - 1);
      }
      const g = summariseGaps(d);
      expect(Math.abs(g.mean), `${act}: ${g.mean} ± ${g.se}`).toBeLessThan(4 * g.se);
      const w = summariseGaps(wrong);
      expect(Math.abs(w.mean)).toBeGreaterThan(10 * w.se);
    }
  });

  it('the exact gen is that of the simulator’s own readout (same training error to the last bit)', () => {
    const config = validateConfig({ ...DEFAULT_CONFIG, ...isotropic(), n: 50, act: 'tanh', targetLinear: 1 });
    const run = simulateTrial({ config, seed: 2, surrogates: [], degreeCap: null });
    const fit = run.networkFit;
    expect(fit.train).toBe(runTrial({ config, seed: 2, surrogates: [], degreeCap: null }).nn.train);
    // And the exact gen is an expectation of the same predictor: on a huge fresh sample it agrees.
    const { mixture } = run.draw;
    const { Fhat } = run.stepped;
    const pop = { gen: mixturePopulationGen(Fhat, [{ law: activationLaw(activation('tanh')), w: fit.w }], mixture, config)!.gen[0] };
    expect(trialWithPopulationGen(config, 2).population!.gen).toBe(pop.gen);
    const big = new SetSampler(mixture, labelSpecOf(config), 40_000, trialStreams(99).test).all();
    const Z = applyActivation(preactivations(big.X, Fhat), Math.tanh);
    for (let i = 0; i < Z.data.length; i++) Z.data[i] /= Math.sqrt(Fhat.rows);
    const acc = new ErrorAccumulator();
    acc.add(big.y, matVec(Z, fit.w));
    expect(rel(acc.halfMse, pop.gen)).toBeLessThan(0.03); // SE of the 40 000-sample mean ≈ 0.7%
  });
});

const N_SIM = stress ? 400 : 200;
const TRIALS = stress ? 12 : 5;
/** A mixture trial costs milliseconds: more of them, since near α = 1 at small λ ‖ŵ‖² is heavy-tailed
 * and a Student interval over a handful of trials is too optimistic on the low side. */
const GM_TRIALS = stress ? 40 : 20;
/** The stress tier runs for minutes; the quick tier keeps vitest's default. */
const LONG = stress ? 3_600_000 : undefined;

interface Judged {
  verdict: string;
  gap: number;
  se: number;
  tol: number;
}

function judgeSamples(quantity: string, samples: OracleSample[], n: number, tolerance: (s: OracleSample[]) => TolerancePart): Judged {
  const spec: OracleLadderSpec = {
    quantities: [quantity],
    sample: () => {
      throw new Error('unused');
    },
    tolerance: () => tolerance(samples),
    describe: '',
  };
  const [r] = reportRung(spec, n, samples);
  return { verdict: r.verdict, gap: r.gap.mean, se: r.gap.se, tol: r.tolerance.total };
}

/** floor + dof + finite(n), the dof part computed from the samples. */
const plain = (n: number, dof: (s: OracleSample[]) => number) => (s: OracleSample[]): TolerancePart => ({ floor: FLOOR, dof: dof(s), finite: finiteAllowance(n) });

describe(`the simulator meets the oracles over generated settings (n = ${N_SIM}, ${TRIALS} trials)`, () => {
  it('Mei–Montanari: never rejected, peak and small λ included; λ_MM = 2nλ and λ_MM = λ rejected when resolvable', () => {
    const rows: string[] = [];
    let resolvable = 0;
    let caught = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ act: fc.constantFrom(...NONLINEAR), psi1: fc.double({ min: 0.5, max: 1.5, noNaN: true }), logLambda: fc.double({ min: -3, max: 0, noNaN: true }) }).map((r) => ({ ...r, psi2: r.psi1 })),
          fc.record({ act: fc.constantFrom(...NONLINEAR), psi1: fc.double({ min: 0.3, max: 2, noNaN: true }), psi2: fc.double({ min: 0.5, max: 2, noNaN: true }), logLambda: fc.double({ min: -3, max: 0, noNaN: true }) }),
        ),
        fc.noShrink(fc.nat(1_000_000)),
        ({ act, psi1, psi2, logLambda }, seed) => {
          const config = mmConfig({ act, psi1, psi2, lambdaMM: 10 ** logLambda, n: N_SIM, ...MM_TARGET });
          const right = meiMontanariGen(config);
          const dof = Math.max(rel(meiMontanariGen(config, undefined, { k: 2 }).gen, right.gen), rel(meiMontanariGen(config, undefined, { m: 2 }).gen, right.gen));
          const sims = Array.from({ length: TRIALS }, (_, t) => trialWithPopulationGen(config, seed + t).population!.gen);
          const as = (oracle: number): OracleSample[] => sims.map((s) => ({ gen: { simulated: s, oracle } }));
          const truth = judgeSamples('gen', as(right.gen), N_SIM, plain(N_SIM, () => dof));
          rows.push(`${act} ψ1=${psi1.toFixed(2)} ψ2=${psi2.toFixed(2)} λ_MM=${(10 ** logLambda).toExponential(1)}: gap ${(100 * truth.gap).toFixed(2)}% ± ${(100 * truth.se).toFixed(2)}%, tol ${(100 * truth.tol).toFixed(2)}% → ${truth.verdict}`);
          expect(truth.verdict, rows[rows.length - 1]).not.toBe('disagree');
          for (const variant of ['lambda-mm=2n', 'lambda-mm=lambda'] as const) {
            const wrong = meiMontanariGen(config, variant).gen;
            const judged = judgeSamples('gen', as(wrong), N_SIM, plain(N_SIM, () => dof));
            // Resolvable: the oracle moves by more than twice (tolerance + the interval's half-width).
            const shift = rel(wrong, right.gen);
            const halfWidth = t95(TRIALS - 1) * judged.se;
            if (shift > 2 * (judged.tol + halfWidth)) {
              resolvable++;
              if (judged.verdict === 'disagree') caught++;
              expect(judged.verdict, `${variant} not rejected: ${rows[rows.length - 1]}, oracle shift ${(100 * shift).toFixed(1)}%`).toBe('disagree');
            }
          }
        },
      ),
      {
        numRuns: stress ? 30 : 6,
        examples: [
          [{ act: 'relu', psi1: 1, psi2: 1, logLambda: -3 }, 1], // the peak at small λ
          [{ act: 'tanh', psi1: 2, psi2: 1, logLambda: -3 }, 2], // over-parametrised, small λ
        ],
      },
    );
    console.log(`Mei–Montanari vs simulation (n = ${N_SIM}):\n  ${rows.join('\n  ')}\n  wrong λ scalings rejected: ${caught}/${resolvable} resolvable`);
    expect(resolvable, 'the negative control must have been exercised').toBeGreaterThan(0);
  }, LONG);

  it('deterministic equivalent (paired on F̂): never rejected; the factor-2 λ slip rejected when resolvable', () => {
    const rows: string[] = [];
    let resolvable = 0;
    let caught = 0;
    fc.assert(
      fc.property(
        fc.record({
          act: fc.constantFrom(...NONLINEAR),
          rank: fc.integer({ min: 1, max: 3 }),
          theta: fc.double({ min: 1, max: 30, noNaN: true }),
          kRatio: fc.double({ min: 0.3, max: 1, noNaN: true }),
          logLambda: fc.double({ min: -4, max: -1, noNaN: true }),
          target: fc.constantFrom('random' as const, 'spike' as const),
        }),
        fc.noShrink(fc.nat(1_000_000)),
        ({ logLambda, ...r }, seed) => {
          const config = validateConfig({ ...DEFAULT_CONFIG, ...spikedGaussian(), ...r, lambda: 10 ** logLambda, n: N_SIM, targetLinear: 1, targetNonlinear: 0.3, noise: 0.2 });
          const trials = Array.from({ length: TRIALS }, (_, t) => deTrial(config, N_SIM, seed + t));
          const samples = trials.map((t) => deSampleFrom(t));
          const dof = (ss: OracleSample[]) => Math.max(...ss.map((s) => rel(s['gen@dof'].oracle, s.gen.oracle)));
          const truth = judgeSamples('gen', samples, N_SIM, plain(N_SIM, dof));
          rows.push(`${r.act} rank ${r.rank} θ=${r.theta.toFixed(1)} k/m=${r.kRatio.toFixed(2)} λ=${(10 ** logLambda).toExponential(1)} ${r.target}: gap ${(100 * truth.gap).toFixed(2)}% ± ${(100 * truth.se).toFixed(2)}%, tol ${(100 * truth.tol).toFixed(2)}% → ${truth.verdict}`);
          expect(truth.verdict, rows[rows.length - 1]).not.toBe('disagree');
          // The same trials against the deterministic equivalent at 2λ.
          const wrong = trials.map((t) => deSampleFrom(t, 'lambda=2x'));
          const judged = judgeSamples('gen', wrong, N_SIM, plain(N_SIM, dof));
          const shift = Math.max(...wrong.map((w, i) => rel(w.gen.oracle, samples[i].gen.oracle)));
          if (shift > 2 * (judged.tol + t95(TRIALS - 1) * judged.se)) {
            resolvable++;
            if (judged.verdict === 'disagree') caught++;
            expect(judged.verdict, `2λ not rejected (gen shift ${(100 * shift).toFixed(1)}%)`).toBe('disagree');
          }
        },
      ),
      {
        numRuns: stress ? 12 : 2,
        // λ large enough that doubling it moves gen by ~35%: the control is exercised in every tier.
        examples: [[{ act: 'tanh', rank: 1, theta: 10, kRatio: 0.5, logLambda: -2, target: 'spike' }, 3]],
      },
    );
    console.log(`deterministic equivalent vs simulation (n = ${N_SIM}):\n  ${rows.join('\n  ')}\n  2λ rejected: ${caught}/${resolvable} resolvable`);
    expect(resolvable, 'the negative control must have been exercised').toBeGreaterThan(0);
  }, LONG);

  it('Gaussian-mixture ridge: never rejected; a factor 2 in λ_GM rejected when resolvable', () => {
    const rows: string[] = [];
    let resolvable = 0;
    let caught = 0;
    fc.assert(
      fc.property(
        fc.record({
          // Away from the degenerate corner where the penalty makes sign(score) the majority class
          // for every input (then error = min(ρ, 1 − ρ) exactly, on both sides: nothing tested).
          rho1: fc.double({ min: 0.25, max: 0.75, noNaN: true }),
          mRatio: fc.double({ min: 0.5, max: 3, noNaN: true }),
          meanNorm: fc.double({ min: 1, max: 3, noNaN: true }),
          logLambda: fc.double({ min: -5, max: -2, noNaN: true }),
        }),
        fc.noShrink(fc.nat(1_000_000)),
        ({ rho1, mRatio, meanNorm, logLambda }, seed) => {
          const config = validateConfig({ ...DEFAULT_CONFIG, ...twoMeans(), rho: [rho1, 1 - rho1], mRatio, meanNorm, lambda: 10 ** logLambda, n: N_SIM });
          const sims = Array.from({ length: GM_TRIALS }, (_, t) => simulateGmRidge(config, seed + t));
          const right = sims.map((sim) => gmSampleFrom(sim, N_SIM, config.lambda));
          const wrong = sims.map((sim) => gmSampleFrom(sim, N_SIM, config.lambda, 'lambda-gm=2x'));
          const verdicts: string[] = [];
          const spec = gmLadderSpec(config);
          for (const q of ['error', 'overlap', 'q']) {
            const truth = judgeSamples(q, right, N_SIM, (ss) => spec.tolerance(N_SIM, q, ss));
            verdicts.push(`${q} ${(100 * truth.gap).toFixed(2)}% ± ${(100 * truth.se).toFixed(2)}% (tol ${(100 * truth.tol).toFixed(2)}%) → ${truth.verdict}`);
            expect(truth.verdict, verdicts.join('; ')).not.toBe('disagree');
          }
          rows.push(`ρ=${rho1.toFixed(2)} α=${mRatio.toFixed(2)} ‖μ‖=${meanNorm.toFixed(2)} λ=${(10 ** logLambda).toExponential(1)}: ${verdicts.join('; ')}`);
          const judged = judgeSamples('q', wrong, N_SIM, (ss) => spec.tolerance(N_SIM, 'q', ss));
          const shift = rel(wrong[0].q.oracle, right[0].q.oracle);
          if (shift > 2 * (judged.tol + t95(GM_TRIALS - 1) * judged.se)) {
            resolvable++;
            if (judged.verdict === 'disagree') caught++;
            expect(judged.verdict, `λ_GM·2 not rejected (q shift ${(100 * shift).toFixed(1)}%)`).toBe('disagree');
          }
        },
      ),
      { numRuns: stress ? 30 : 8 },
    );
    console.log(`Gaussian-mixture ridge vs simulation (n = ${N_SIM}):\n  ${rows.join('\n  ')}\n  factor 2 in λ_GM rejected: ${caught}/${resolvable} resolvable`);
    expect(resolvable, 'the negative control must have been exercised').toBeGreaterThan(0);
  }, LONG);
});
