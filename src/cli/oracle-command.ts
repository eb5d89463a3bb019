// `onestep oracle <mm|get-de|gm-ridge>`: closed-form asymptotics that owe nothing to the
// simulator, evaluated on their own or for a configuration of `onestep trial`. Conventions and
// derivations: docs/oracles.md. Bad input → one line naming the flag, the value and the allowed
// range, exit 2 (UsageError from the flag parsers, ConfigError from the formulas' domains).
import type { Estimate } from '../experiment/stats.ts';
import { ACTIVATION_NAMES, ANY_ACTIVATION_NAMES, activation } from '../math/activations.ts';
import { srfLambdaToMM, srfLambdaToProject, srfEtaToProject, srfOracle, type SrfSpectrumMode } from '../oracles/srf.ts';
import { gmRidge } from '../oracles/gm-ridge.ts';
import { activationMoments, lambdaMMFromProject, meiMontanariRisk, projectGenFromRisk, projectLambdaFromMM } from '../oracles/mei-montanari.ts';
import { deterministicEquivalentOfSeed, type MmSimulation, simulatedErrors, simulateMM } from '../experiment/oracle-simulation.ts';
import { type CuiSimulation, simulateCui, SRF_VARIANTS } from '../experiment/cui-protocol.ts';
import { deApplicability } from '../../theorems/oracle-get-de.ts';
import { choiceFlag, type FlagTable, helpText, numberFlag, type ParsedFlags, parseFlags, progress, refusePositionals } from './args.ts';
import { UsageError } from './errors.ts';
import { configFromFlags, TRIAL_FLAGS } from './trial-command.ts';

const ORACLES = ['mm', 'get-de', 'gm-ridge', 'srf'] as const;
/** Mei–Montanari needs μ* > 0: every activation but the linear one. */
const NONLINEAR = ACTIVATION_NAMES.filter((a) => a !== 'linear');

export const ORACLE_HELP = [
  'Usage: onestep oracle <mm|get-de|gm-ridge|srf> [options]   (onestep oracle <name> --help for its options)',
  '',
  'Closed-form asymptotics from the literature, independent of the simulator: a bug the network and its',
  'surrogates share (a wrong λ scaling, a missing ½) cannot hide from them. The checker compares them with',
  'simulations in the theorems oracle-mei-montanari, oracle-get-de and oracle-gm-ridge (onestep check).',
  '',
  'Oracles:',
  '  mm        Mei–Montanari: random-features ridge risk, isotropic data, no feature learning (β = 0)',
  '  get-de    deterministic equivalent of the readout on a fixed first layer F̂ (drawn from a seed, as in',
  '            onestep trial) with Gaussian inputs N(0, Σ): predicted gen and train errors',
  '  gm-ridge  Loureiro et al.: ridge classifier of a two-component Gaussian mixture on raw inputs',
  '  srf       Cui et al.: test error of the spiked random features model of a network after one giant',
  '            step, isotropic data, single-index target (their conventions, docs/model.md §11)',
  '',
  'Conventions (docs/oracles.md): the project’s λ multiplies (λ/2)‖w‖² next to (1/2m)‖y − Φᵀw‖² with',
  'features σ(F̂x)/√k; Mei–Montanari’s λ_MM multiplies (k/n)‖a‖² next to (1/m)Σ(y − aᵀz)², so λ_MM = n·λ;',
  'the project’s errors carry ½ and include the noise: gen = ½(R + τ²).',
  '',
  'Exit code: 0 when the fixed point converged, 1 when it did not (the value is printed with its status),',
  '2 for bad input (one line naming the flag, the value and the allowed range).',
  '',
  'Examples:',
  '  onestep oracle mm --act relu --psi1 2 --psi2 1 --lambda 1e-3 --n 400 --f1 1 --fstar 0.5 --tau 0.3',
  '  onestep oracle get-de --n 400 --rank 2 --theta 20 --k-ratio 0.5 --lambda 1e-3 --seed 7 --simulate',
  '  onestep oracle gm-ridge --alpha 2 --lambda 0.4 --rho 0.3 --delta 0.5 --json',
  '  onestep oracle srf --act tanh --target-act tanh --alpha0 2 --eta-tilde 1 --lambda 0.1 --alpha 1 --d 600',
  '',
].join('\n');

// ---------------------------------------------------------------------------------------------
// mm

const MM_FLAGS: FlagTable = {
  act: { type: 'string', value: 'A', help: `activation σ: ${NONLINEAR.join('|')} (needs μ* > 0)`, default: 'relu' },
  psi1: { type: 'string', value: 'P1', help: 'ψ1 = k/n, features per dimension (> 0)' },
  psi2: { type: 'string', value: 'P2', help: 'ψ2 = m/n, samples per dimension (> 0)' },
  'lambda-mm': { type: 'string', value: 'L', help: 'Mei–Montanari’s λ_MM (> 0): penalty (kλ_MM/n)‖a‖² beside (1/m)Σ(y − aᵀz)²' },
  lambda: { type: 'string', value: 'L', help: 'or the project’s λ (> 0), converted with --n: λ_MM = n·λ' },
  n: { type: 'string', value: 'N', help: 'input dimension n (with --lambda; optional with --lambda-mm, to report the project’s λ)' },
  f1: { type: 'string', value: 'F1', help: 'norm of the target’s linear part ⟨β1, x⟩', default: '1' },
  fstar: { type: 'string', value: 'FS', help: 'F*: root mean square of the target’s nonlinear part', default: '0' },
  tau: { type: 'string', value: 'T', help: 'noise standard deviation τ (≥ 0)', default: '0' },
  simulate: { type: 'string', value: 'T', help: 'also run T trials of the network at this setting (needs --n; --rank 0 --eta 0, the target above) and report its exact gen ± SE' },
  seed: { type: 'string', value: 'S', help: 'seed of the first simulated trial', default: '1' },
  json: { type: 'boolean', help: 'print {mm: {lambda, risk, …}, project: {lambda, n, gen}} (+ simulation)' },
  help: { type: 'boolean', help: 'show this help' },
};

export const MM_HELP = helpText(
  'onestep oracle mm --psi1 P1 --psi2 P2 (--lambda-mm L | --lambda L --n N) [--act A] [--f1 F1] [--fstar FS] [--tau T] [--simulate T --n N] [--json]',
  [
    'The limiting test risk R of random-features ridge regression (Mei & Montanari 2022) for a target',
    'y = β0 + ⟨β1, x⟩ + f_NL(x) + τε with ‖β1‖ = F1, E f_NL² = F*², and, in the project’s conventions,',
    'the generalisation error gen = ½(R + τ²) that `onestep trial --rank 0 --eta 0 --target-linear F1',
    '--target-nonlinear F* --noise τ --lambda λ` converges to at k/n = ψ1, m/n = ψ2, λ = λ_MM/n.',
    'R is the excess risk (no noise, no ½). With μ0 = 0 (tanh, erf) the target must be centred.',
  ].join('\n'),
  MM_FLAGS,
  [
    'onestep oracle mm --act relu --psi1 2 --psi2 1 --lambda 1e-3 --n 400 --f1 1 --fstar 0.5 --tau 0.3',
    'onestep oracle mm --act tanh --psi1 1 --psi2 1 --lambda-mm 1e-4 --json      # the interpolation peak',
    'onestep oracle mm --act sigmoid --psi1 0.5 --psi2 0.5 --lambda-mm 1 --n 200 --f1 1 --fstar 0.5 --tau 0.3 --simulate 40',
  ],
);

function requireFlag(flags: ParsedFlags, name: string, what: string): void {
  if (flags[name] === undefined) throw new UsageError(`--${name} is required (${what})`);
}

function mmCommand(argv: string[]): number {
  const { flags, positionals } = parseFlags(argv, MM_FLAGS);
  if (flags.help) {
    process.stdout.write(MM_HELP);
    return 0;
  }
  refusePositionals(positionals, 'oracle mm');
  const act = choiceFlag(flags, 'act', 'relu', NONLINEAR);
  requireFlag(flags, 'psi1', 'ψ1 = k/n, a number > 0');
  requireFlag(flags, 'psi2', 'ψ2 = m/n, a number > 0');
  // Lower bounds keep the fixed point inside double precision (a subnormal ψ or λ has none).
  const psi1 = numberFlag(flags, 'psi1', 0, { min: 1e-6, max: 1e6 });
  const psi2 = numberFlag(flags, 'psi2', 0, { min: 1e-6, max: 1e6 });
  const haveMM = flags['lambda-mm'] !== undefined;
  const haveProject = flags.lambda !== undefined;
  if (haveMM === haveProject) throw new UsageError('give exactly one of --lambda-mm L, or --lambda L with --n N');
  const n = flags.n === undefined ? null : numberFlag(flags, 'n', 0, { min: 1, max: 1e9, integer: true });
  if (haveProject && n === null) throw new UsageError('--lambda needs --n N (λ_MM = n·λ)');
  const lambdaMM = haveMM
    ? numberFlag(flags, 'lambda-mm', 0, { min: 1e-12, max: 1e9 })
    : lambdaMMFromProject(numberFlag(flags, 'lambda', 0, { min: 1e-15, max: 1e9 }), n as number);
  const f1 = numberFlag(flags, 'f1', 1, { min: -1e6, max: 1e6 });
  const fStar = numberFlag(flags, 'fstar', 0, { min: -1e6, max: 1e6 });
  const tau = numberFlag(flags, 'tau', 0, { min: 0, max: 1e6 });
  const moments = activationMoments(activation(act));
  const r = meiMontanariRisk({ psi1, psi2, lambdaMM, moments, f1, fStar, tau });
  if (r.status === 'diverged') {
    throw new UsageError(`--${haveMM ? 'lambda-mm' : 'lambda'}: the fixed point diverged at ψ1 = ${psi1}, ψ2 = ${psi2}, λ_MM = ${lambdaMM.toPrecision(3)}: no risk to report (a larger λ, or ψ1, ψ2 away from the peak)`);
  }
  const gen = projectGenFromRisk(r.risk, tau);
  const trials = flags.simulate === undefined ? 0 : numberFlag(flags, 'simulate', 0, { min: 2, max: 10000, integer: true });
  if (trials > 0 && n === null) throw new UsageError('--simulate needs --n N (the size to simulate at)');
  let simulation: MmSimulation | null = null;
  if (trials > 0) {
    const seed = numberFlag(flags, 'seed', 1, { min: 0, max: 2 ** 52, integer: true });
    simulation = simulateMM({ act, psi1, psi2, lambdaMM, f1, fStar, tau, n: n as number, trials, seed }, gen, (m) => progress(`onestep oracle mm: ${m}`));
    progress('');
  }
  const out = {
    mm: { lambda: lambdaMM, risk: r.risk, bias: r.bias, variance: r.variance, zeta: r.zeta, lambdaBar: r.lambdaBar, status: r.status, iterations: r.iterations, method: r.method },
    project: { lambda: n === null ? null : projectLambdaFromMM(lambdaMM, n), n, gen },
    inputs: { act, psi1, psi2, f1, fStar, tau, mu0: moments.mu0, mu1: moments.mu1, muStar: moments.muStar },
    simulation,
  };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const lines = [
      `Mei–Montanari, σ = ${act} (μ0 = ${moments.mu0.toPrecision(4)}, μ1 = ${moments.mu1.toPrecision(4)}, μ* = ${moments.muStar.toPrecision(4)}), ψ1 = ${psi1}, ψ2 = ${psi2}`,
      `  λ_MM = ${lambdaMM.toPrecision(6)}${n === null ? '' : `  (project λ = λ_MM/n = ${(lambdaMM / n).toPrecision(6)} at n = ${n})`}`,
      `  risk R = ${r.risk.toPrecision(6)} = F1²·B + (τ² + F*²)·V + F*² with B = ${r.bias.toPrecision(5)}, V = ${r.variance.toPrecision(5)}`,
      `  project gen = ½(R + τ²) = ${gen.toPrecision(6)}`,
      `  fixed point: ${r.status} after ${r.iterations} iterations (${r.method})`,
    ];
    if (simulation) {
      const e = (x: Estimate): string => `${x.mean.toPrecision(5)} ± ${(x.se ?? NaN).toPrecision(2)}`;
      lines.push(
        `  simulated (${simulation.trials} trials at n = ${simulation.n}, m = ${simulation.m}, k = ${simulation.k}, seeds ${simulation.seeds}):`,
        `    gen ${e(simulation.gen)} (exact over inputs; test set: ${e(simulation.genTestSet)}), gap (sim − oracle)/oracle ${(100 * simulation.gap.mean).toFixed(2)}% ± ${(100 * (simulation.gap.se ?? NaN)).toFixed(2)}%`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return r.status === 'converged' ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// get-de

const DE_CONFIG_FLAGS = [
  'n', 'm-ratio', 'k-ratio', 'step-ratio', 'act', 'target-act', 'beta', 'alpha', 'lambda', 'eta', 'target-linear', 'target-nonlinear',
  'step-scale', 'spikes', 'components', 'rho', 'rank', 'theta', 'align', 'target', 'noise', 'test-ratio', 'seed',
] as const;

const DE_FLAGS: FlagTable = {
  ...Object.fromEntries(DE_CONFIG_FLAGS.map((f) => [f, TRIAL_FLAGS[f]])),
  components: { ...TRIAL_FLAGS.components, default: '1' },
  eta: { ...TRIAL_FLAGS.eta, help: 'explicit learning rate η (0 = no step)', default: '0' },
  seed: { ...TRIAL_FLAGS.seed, help: 'the trial whose first layer F̂ is used (as onestep trial --seed S --trials 1)' },
  simulate: { type: 'boolean', help: 'also run that trial and print its errors beside the prediction' },
  json: { type: 'boolean', help: 'print one JSON object' },
  help: { type: 'boolean', help: 'show this help' },
};

export const DE_HELP = helpText(
  'onestep oracle get-de [trial options] [--seed S] [--simulate] [--json]',
  [
    'The deterministic equivalent of the readout for one fixed first layer: F̂ is the one `onestep trial`',
    'draws with the same options and seed (initialisation, then the step when η > 0). With Gaussian',
    'features μ0 + diag(μ1)F̂x + diag(μ*)g (per-neuron moments at b_i² = f̂_iᵀΣf̂_i), κ solves',
    'λ = κ(1 − Tr[Ω(Ω+κ)⁻¹]/m) and the bias/variance formula gives gen and train (project conventions,',
    'λ as is). Needs one centred Gaussian: --components 1 (the default here) or identical components;',
    'defaults as onestep trial otherwise, except --eta 0. A step at β ≥ ½ (spiked F̂) is not claimed.',
  ].join('\n'),
  DE_FLAGS,
  [
    'onestep oracle get-de --n 400 --rank 2 --theta 20 --k-ratio 0.5 --lambda 1e-3 --seed 7 --simulate',
    'onestep oracle get-de --act tanh --rank 1 --theta 10 --target spike --target-linear 1 --noise 0.2 --json',
  ],
);

function getDeCommand(argv: string[]): number {
  const { flags, positionals } = parseFlags(argv, DE_FLAGS);
  if (flags.help) {
    process.stdout.write(DE_HELP);
    return 0;
  }
  refusePositionals(positionals, 'oracle get-de');
  const withDefaults: ParsedFlags = { components: '1', eta: '0', ...flags };
  const config = configFromFlags(withDefaults);
  const seed = numberFlag(flags, 'seed', 1, { min: 0, max: Number.MAX_SAFE_INTEGER - 1, integer: true });
  const { sizes, step, de } = deterministicEquivalentOfSeed(config, seed);
  // A λ so small that 1 − df2/m rounds to 0 (k ≈ m, the interpolation peak) predicts an infinite error.
  if (![de.kappa, de.gen, de.train, de.bias, de.variance].every(Number.isFinite)) {
    throw new UsageError(`--lambda: '${config.lambda}' is not allowed (too small here: κ = ${de.kappa.toPrecision(3)} makes 1 − df2/m round to ${Number((1 - de.df2 / sizes.m).toPrecision(3))} and the predicted errors infinite; take a larger λ)`);
  }
  const hyp = deApplicability(config);
  const simulation = flags.simulate ? simulatedErrors(config, seed) : null;
  const out = { config: { ...config, sizes, step }, seed, applies: hyp.applies, hypotheses: hyp.reasons, oracle: de, simulation };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const lines = [
      `deterministic equivalent for the first layer of seed ${seed}: n = ${sizes.n}, m = ${sizes.m}, k = ${sizes.k}, σ = ${config.act}, λ = ${config.lambda}, step multiplier ${step}`,
      `  κ = ${de.kappa.toPrecision(5)}, df1 = ${de.df1.toPrecision(5)}, df2 = ${de.df2.toPrecision(5)}, unexplained variance σ_r² = ${de.residualVariance.toPrecision(5)}`,
      `  predicted gen   = ${de.gen.toPrecision(6)}   (bias ${de.bias.toPrecision(4)}, variance ${de.variance.toPrecision(4)}, both without ½)`,
      `  predicted train = ${de.train.toPrecision(6)}`,
    ];
    if (simulation) {
      lines.push(`  simulated gen   = ${simulation.gen.toPrecision(6)} (exact over inputs), ${simulation.genTestSet.toPrecision(6)} (test set); train = ${simulation.train.toPrecision(6)}`);
    }
    if (!hyp.applies) lines.push(`  note: not claimed here (${hyp.reasons.join('; ')})`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// gm-ridge

const GM_FLAGS: FlagTable = {
  alpha: { type: 'string', value: 'A', help: 'α = samples/n (> 0)' },
  lambda: { type: 'string', value: 'L', help: 'λ of Σ_j ½(y_j − wᵀx_j/√n − b)² + (λ/2)‖w‖² (> 0; a sum, not a mean)' },
  rho: { type: 'string', value: 'R', help: 'ρ = P(y = +1), in (0, 1)', default: '0.5' },
  delta: { type: 'string', value: 'D', help: 'Δ: x = yμ/√n + √Δ·z with ‖μ‖² = n (> 0)' },
  json: { type: 'boolean', help: 'print {error, bias, overlap, q, iterations, status}' },
  help: { type: 'boolean', help: 'show this help' },
};

export const GM_HELP = helpText(
  'onestep oracle gm-ridge --alpha A --lambda L --delta D [--rho R] [--json]',
  [
    'Ridge classification of y = ±1 (P(+1) = ρ) from x = yμ/√n + √Δ·z on raw inputs, with an unpenalised',
    'bias b (Loureiro et al. 2021): the fixed point of docs/model.md §9 gives the overlap m = wᵀμ/n, q = Δ‖w‖²/n,',
    'b, and the classification error ρQ((m+b)/√q) + (1−ρ)Q((m−b)/√q). From the project’s two-component',
    'data (--mean-norm, means μ_1, μ_2, δ = (μ_1 − μ_2)/2) and its λ: Δ = 1/‖δ‖², λ here = m·λ/‖δ‖².',
  ].join('\n'),
  GM_FLAGS,
  ['onestep oracle gm-ridge --alpha 2 --lambda 0.4 --rho 0.3 --delta 0.5', 'onestep oracle gm-ridge --alpha 1 --lambda 0.1 --delta 0.5 --json'],
);

function gmCommand(argv: string[]): number {
  const { flags, positionals } = parseFlags(argv, GM_FLAGS);
  if (flags.help) {
    process.stdout.write(GM_HELP);
    return 0;
  }
  refusePositionals(positionals, 'oracle gm-ridge');
  requireFlag(flags, 'alpha', 'α = samples/n, a number > 0');
  requireFlag(flags, 'lambda', 'λ, a number > 0');
  requireFlag(flags, 'delta', 'Δ, a number > 0');
  const alpha = numberFlag(flags, 'alpha', 0, { min: 1e-6, max: 1e6 });
  const lambda = numberFlag(flags, 'lambda', 0, { min: 1e-12, max: 1e9 });
  const rho = numberFlag(flags, 'rho', 0.5, { min: 0, minExclusive: true, max: 1, maxExclusive: true });
  const delta = numberFlag(flags, 'delta', 0, { min: 1e-6, max: 1e6 });
  const r = gmRidge({ alpha, lambda, rho, delta });
  const out = { error: r.error, bias: r.bias, overlap: r.overlap, q: r.q, iterations: r.iterations, status: r.status };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    process.stdout.write(
      [
        `Gaussian-mixture ridge classifier: α = ${alpha}, λ = ${lambda}, ρ = ${rho}, Δ = ${delta}`,
        `  classification error = ${r.error.toPrecision(6)}`,
        `  overlap m = ${r.overlap.toPrecision(6)}, q = ${r.q.toPrecision(6)}, bias b = ${r.bias.toPrecision(6)}`,
        `  fixed point: ${r.status} after ${r.iterations} iterations`,
        '',
      ].join('\n'),
    );
  }
  return r.status === 'converged' ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// srf

const SPECTRA: readonly SrfSpectrumMode[] = ['averaged', 'instance', 'limit'];
const SRF_ACTS = ANY_ACTIVATION_NAMES.filter((a) => a !== 'linear');

const SRF_FLAGS: FlagTable = {
  act: { type: 'string', value: 'A', help: `network activation σ: ${SRF_ACTS.join('|')}`, default: 'tanh' },
  'target-act': { type: 'string', value: 'T', help: `target σ_* of y = σ_*(x₁): ${ANY_ACTIVATION_NAMES.join('|')}`, default: 'tanh' },
  alpha0: { type: 'string', value: 'A0', help: 'α₀ = n₀/d, samples of the giant step per dimension (≥ 0; 0 = no step)', default: '2' },
  'eta-tilde': { type: 'string', value: 'E', help: 'η̃ of W₁ = W₀ + η̃·p·Gᵀ (≥ 0; the project’s η = η̃·p)', default: '1' },
  lambda: { type: 'string', value: 'L', help: 'λ of the sum loss ‖y − σ(ZW₁ᵀ)w/√p‖² + λ‖w‖² (> 0; λ_MM = λ/α, the project’s λ = λ/n)', default: '0.1' },
  alpha: { type: 'string', value: 'A', help: 'α = n/d, readout samples per dimension (> 0)', default: '1' },
  d: { type: 'string', value: 'D', help: 'input dimension d (width p = d), for the sampled spectra', default: '600' },
  spectrum: { type: 'string', value: 'S', help: 'averaged: H = D from one drawn W₀ (p×p eigendecomposition), F by its own law (docs/model.md §11) | instance: F, H of the drawn v, ζ | limit: Marchenko–Pastur quantiles (deterministic, d → ∞)', default: 'averaged' },
  seed: { type: 'string', value: 'S', help: 'seed of W₀, v, ζ (sampled spectra), and of the first simulated trial', default: '1' },
  simulate: { type: 'string', value: 'T', help: 'also run T trials of their protocol at d = p (the network, and on the same draws the sRF model, without its spike, and with c = 1, c² − 1 doubled and 2·c): test MSE ± SE on 4d test points' },
  json: { type: 'boolean', help: 'print one JSON object {error, status, iterations, lastChange, mapping, overlaps, conventions, simulation}' },
  help: { type: 'boolean', help: 'show this help' },
};

export const SRF_HELP = helpText(
  'onestep oracle srf [--act A] [--target-act T] [--alpha0 A0] [--eta-tilde E] [--lambda L] [--alpha A] [--d D] [--spectrum S] [--seed S] [--json]',
  [
    'Cui et al. (ICML 2024): after one giant step W₁ = W₀ + η̃·p·Gᵀ on n₀ = α₀d samples, a network',
    'f(x) = σ(W₁x)ᵀw/√p behaves as the spiked random features model σ(c·W₀x + r·κ), κ = vᵀx/√d, with',
    '(c, r, γ) from σ, σ_*, α₀, η̃. The self-consistent equations of docs/model.md §11 give its test error',
    'E(σ_*(x₁) − ŷ)² (no ½, noise-free) for the sum-loss ridge readout on n = αd samples, p = d.',
    'Diagnostics: fixed-point status, iterations, last relative change; an iteration that does not settle',
    'is refused (exit 2), never printed as a number. At η̃ = 0 it is `onestep oracle mm` with ψ1 = 1,',
    'ψ2 = α, λ_MM = λ/α.',
  ].join('\n'),
  SRF_FLAGS,
  [
    'onestep oracle srf --act tanh --target-act tanh --alpha0 2 --eta-tilde 1 --lambda 0.1 --alpha 1 --d 600',
    'onestep oracle srf --act relu --target-act tanh --alpha0 2 --eta-tilde 2 --alpha 0.5 --json',
    'onestep oracle srf --act tanh --target-act sin --alpha0 20 --eta-tilde 3 --spectrum limit',
  ],
);

function simulationLines(sim: CuiSimulation, theory: number): string[] {
  const e = (x: Estimate): string => `${x.mean.toPrecision(4)} ± ${(x.se ?? NaN).toPrecision(2)}`;
  const lines = [`  simulated (${sim.trials} trials at d = p = ${sim.d}, seeds ${sim.seeds}; test MSE ± SE, gap to the network paired on the same draws):`];
  for (const [name, est] of Object.entries(sim.errors)) {
    const gap = sim.gapsToNetwork[name];
    lines.push(`    ${name.padEnd(13)} ${e(est)}${gap ? `   gap to nn ${e(gap)}` : ''}   (theory − this)/theory ${(100 * (theory - est.mean) / theory).toFixed(1)}%`);
  }
  lines.push(`    realised step: γ̂ = ${e(sim.gammaHat)}, ĉ = ${e(sim.cHat)}, r̂ = ${e(sim.rHat)}`);
  return lines;
}

function srfCommand(argv: string[]): number {
  const { flags, positionals } = parseFlags(argv, SRF_FLAGS);
  if (flags.help) {
    process.stdout.write(SRF_HELP);
    return 0;
  }
  refusePositionals(positionals, 'oracle srf');
  const act = choiceFlag(flags, 'act', 'tanh', SRF_ACTS);
  const target = choiceFlag(flags, 'target-act', 'tanh', ANY_ACTIVATION_NAMES);
  const alpha0 = numberFlag(flags, 'alpha0', 2, { min: 0, max: 1e6 });
  const etaTilde = numberFlag(flags, 'eta-tilde', 1, { min: 0, max: 1e3 });
  const lambda = numberFlag(flags, 'lambda', 0.1, { min: 1e-8, max: 1e6 });
  const alpha = numberFlag(flags, 'alpha', 1, { min: 1e-4, max: 1e4 });
  const spectrum = choiceFlag(flags, 'spectrum', 'averaged', SPECTRA);
  // A p×p eigendecomposition in JavaScript: ~2 s at 600, ~15 s at 1200; 4000 caps it at minutes.
  const d = numberFlag(flags, 'd', 600, { min: 2, max: spectrum === 'limit' ? 1e6 : 4000, integer: true });
  const seed = numberFlag(flags, 'seed', 1, { min: 0, max: 2 ** 52, integer: true });
  const r = srfOracle({ act, target, alpha0, etaTilde, lambda, alpha, d, spectrum, seed });
  // No value from an iteration that did not settle: near the interpolation peak (α = 1, λ → 0) or
  // for a huge step the map stops contracting. One line, the flag to change, exit 2.
  if (!r.converged) {
    throw new UsageError(`--lambda: the sRF fixed point ${r.status === 'diverged' ? 'diverged' : 'did not settle'} at α = ${alpha}, λ = ${lambda}, η̃ = ${etaTilde} (${r.iterations} iterations, last relative change ${r.lastChange.toExponential(1)}): no error to report (a larger λ, or α away from 1)`);
  }
  const trials = flags.simulate === undefined ? 0 : numberFlag(flags, 'simulate', 0, { min: 1, max: 1000, integer: true });
  if (trials > 0 && d > 2000) throw new UsageError(`--d: '${d}' is not allowed with --simulate (at most 2000: a trial at d = 600 takes ~1 s)`);
  let simulation: CuiSimulation | null = null;
  if (trials > 0) {
    simulation = simulateCui({ act, target, alpha0, etaTilde, lambda, alpha, d }, trials, seed, Object.keys(SRF_VARIANTS), (m) => progress(`onestep oracle srf: ${m}`));
    progress('');
  }
  const conventions = { lambdaMM: srfLambdaToMM(lambda, alpha), projectLambda: srfLambdaToProject(lambda, Math.round(alpha * d)), projectEta: srfEtaToProject(etaTilde, d), samples: Math.round(alpha * d), stepSamples: Math.round(alpha0 * d) };
  const out = { error: r.error, status: r.status, converged: r.converged, iterations: r.iterations, lastChange: r.lastChange, mapping: r.mapping, overlaps: r.overlaps, inputs: { act, target, alpha0, etaTilde, lambda, alpha, d, p: d, spectrum, seed }, conventions, simulation: simulation && { ...simulation, perTrial: undefined } };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const m = r.mapping;
    const o = r.overlaps;
    const f = (x: number): string => x.toPrecision(5);
    process.stdout.write(
      [
        `sRF (Cui et al.), σ = ${act}, σ_* = ${target}, α₀ = ${alpha0}, η̃ = ${etaTilde}, λ = ${lambda}, α = ${alpha}, d = p = ${d}, spectrum ${spectrum}${spectrum === 'limit' ? '' : ` (seed ${seed})`}`,
        `  test error E(σ_*(x₁) − ŷ)² = ${r.error.toPrecision(6)}`,
        `  mapping: c = ${f(m.c)} (bulk), r = ${f(m.r)} (spike), γ = ${f(m.gamma)} (overlap with x₁); μ₁ = ${f(m.mu1)}, μ₁* = ${f(m.mu1Star)}, μ₂* = ${f(m.mu2Star)}, s² = ${f(m.s2)}`,
        `  overlaps: q₁ = ${f(o.q1)}, q₂ = ${f(o.q2)}, V₁ = ${f(o.V1)}, V₂ = ${f(o.V2)}, θ = ${f(o.theta)}, ψ = ${f(o.psi)}, m = ${f(o.m)}`,
        `  fixed point: ${r.status} after ${r.iterations} iterations, last relative change ${r.lastChange.toExponential(2)}`,
        `  conventions: λ_MM = λ/α = ${f(conventions.lambdaMM)}; project λ = λ/n = ${conventions.projectLambda.toExponential(4)} (n = ${conventions.samples}); project η = η̃·p = ${f(conventions.projectEta)}`,
        ...(simulation ? simulationLines(simulation, r.error) : []),
        '',
      ].join('\n'),
    );
  }
  return r.converged ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------

export function oracleCommand(argv: string[]): number {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(ORACLE_HELP);
    if (name === undefined) throw new UsageError(`an oracle is needed (one of ${ORACLES.join(', ')}; see onestep oracle --help)`);
    return 0;
  }
  switch (name) {
    case 'mm':
      return mmCommand(rest);
    case 'get-de':
      return getDeCommand(rest);
    case 'gm-ridge':
      return gmCommand(rest);
    case 'srf':
      return srfCommand(rest);
    default:
      throw new UsageError(`unknown oracle '${name}' (one of ${ORACLES.join(', ')}; see onestep oracle --help)`);
  }
}
