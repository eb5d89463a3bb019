// The shape of Cui et al.'s learning curves (docs/model.md §11): test error vs α = n/d for the
// network after one giant step (markers), the sRF model simulated on the same draws and the sRF
// fixed point (lines). One panel where the model holds (tanh) and one where it fails (ReLU,
// docs/findings.md §13). The result is an ordinary figure JSON, so `onestep render` re-makes it.
// The errors are their test MSE (no ½), in the figure's 'gen' column.
import type { ExperimentConfig } from '../data/config.ts';
import { configOfCui, type CuiTrialBatch, localCuiTrials, summariseCui } from '../experiment/cui-protocol.ts';
import { estimate, type Estimate } from '../experiment/stats.ts';
import { anyActivation } from '../math/activations.ts';
import { gaussianExpectation } from '../math/hermite/index.ts';
import { srfOracle } from '../oracles/srf.ts';
import type { FigureSpec } from './figures.ts';
import type { FigureResult, PointSummary } from './sweep.ts';

export const SRF_FIGURE_ID = 'srf-alpha';
export const SRF_FIGURE_ALPHAS = [0.25, 0.5, 1, 1.5, 2, 3];
export const SRF_FIGURE_DEFAULT_D = 300;

const PANELS = [
  { name: 'tanh / tanh, α₀ = 2, η̃ = 1', setting: { act: 'tanh', target: 'tanh', alpha0: 2, etaTilde: 1 } },
  { name: 'relu / tanh, α₀ = 2, η̃ = 2', setting: { act: 'relu', target: 'tanh', alpha0: 2, etaTilde: 2 } },
] as const;
const LAMBDA = 0.1;

export const SRF_FIGURE_TITLE = 'Cui et al.: test MSE vs α = n/d after one giant step (network, sRF model, sRF theory; λ = 0.1, p = d)';

export function srfFigureSpec(d: number): FigureSpec {
  return {
    id: SRF_FIGURE_ID,
    title: SRF_FIGURE_TITLE,
    x: { field: 'mRatio', label: 'α = n/d', values: SRF_FIGURE_ALPHAS },
    panels: PANELS.map((p) => ({ name: p.name, config: configOfCui({ ...p.setting, lambda: LAMBDA, alpha: 1, d }) })),
    base: {},
    surrogates: ['sRF model', 'sRF theory'],
    degreeCap: null,
    metric: 'gen',
    n: d,
  };
}

const exact = (v: number): Estimate => ({ mean: v, se: 0 });

/**
 * The figure's largest trial in onestep's terms (n = d, k = p = d, m = αd at the largest α,
 * m̃ = α₀d), for bounding the workers by memory as a mixture trial of those sizes.
 */
export function srfFigureLargestConfig(d: number): Partial<ExperimentConfig> {
  const alpha = Math.max(...SRF_FIGURE_ALPHAS);
  const widest = PANELS.reduce((a, b) => (b.setting.alpha0 > a.setting.alpha0 ? b : a));
  return configOfCui({ ...widest.setting, lambda: LAMBDA, alpha, d });
}

/**
 * Run the sweep: `trials` seeds per point from `seed`, the fixed point with the limit spectrum.
 * Every trial of every point is one batch (`runTrials`: in turn, or on workers with the same
 * results); `onProgress` counts trials.
 */
export function srfAlphaFigure(d: number, trials: number, seed: number, command: string, onProgress?: (done: number, total: number) => void, runTrials: CuiTrialBatch = localCuiTrials): FigureResult {
  const settings = PANELS.flatMap((panel) => SRF_FIGURE_ALPHAS.map((alpha) => ({ panel, s: { ...panel.setting, lambda: LAMBDA, alpha, d } })));
  // The fixed points first: one that does not converge stops the figure before any trial runs.
  const theories = settings.map(({ s }) => {
    const theory = srfOracle({ ...s, spectrum: 'limit' });
    if (!theory.converged) throw new Error(`sRF fixed point stopped with status '${theory.status}' at α = ${s.alpha}`);
    return theory;
  });
  const tasks = settings.flatMap(({ s }) => Array.from({ length: trials }, (_, t) => ({ setting: s, seed: seed + t, variants: ['srf'] })));
  let done = 0;
  const results = runTrials(tasks, () => onProgress?.(++done, tasks.length));
  const points: PointSummary[] = settings.map(({ panel, s }, i) => {
    const target = anyActivation(panel.setting.target);
    const mean = gaussianExpectation((z) => target.f(z), target.kinks);
    const halfVar = 0.5 * (gaussianExpectation((z) => target.f(z) ** 2, target.kinks) - mean * mean);
    const sim = summariseCui(s, results.slice(i * trials, (i + 1) * trials), seed);
    const theory = theories[i];
    const nnErr = sim.errors.nn;
    const modelGap = estimate(sim.perTrial.map((t) => (t.errors.srf - t.errors.nn) / t.errors.nn));
    const theoryGap = estimate(sim.perTrial.map((t) => (theory.error - t.errors.nn) / t.errors.nn));
    return {
      key: `${panel.name}|${s.alpha}`,
      panel: panel.name,
      x: s.alpha,
      y: null,
      // Per-trial errors stay in the summaries' spread; the figure JSON keeps the summaries.
      trials: [],
      nn: { train: nnErr, gen: nnErr },
      surrogates: {
        'sRF model': { train: sim.errors.srf, gen: sim.errors.srf, relGap: modelGap, relGapTrain: modelGap },
        'sRF theory': { train: exact(theory.error), gen: exact(theory.error), relGap: theoryGap, relGapTrain: theoryGap },
      },
      halfVarY: exact(halfVar),
    };
  });
  return { schema: 'onestep.figure/1', id: SRF_FIGURE_ID, title: SRF_FIGURE_TITLE, spec: srfFigureSpec(d), n: d, trialsPerPoint: trials, seed, command, points };
}
