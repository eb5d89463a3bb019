// The paper's experiments (docs/model.md §8) as data: each figure is a sweep of one parameter (or a
// grid of two) over a base configuration, for a list of activations, with the network as
// markers and the surrogates as lines.
import { type ExperimentConfig, IMAGE_DEFAULTS, IMAGE_DIMENSION } from '../data/config.ts';

export type Metric = 'gen' | 'train';

export interface FigureSpec {
  id: string;
  title: string;
  /** The swept configuration field(s) and their values. */
  x: { field: keyof ExperimentConfig | 'rho1'; label: string; values: number[] };
  /** Second axis for heat maps. */
  y?: { field: keyof ExperimentConfig; label: string; values: number[] };
  /** Panels: one per activation (or per fixed override). */
  panels: { name: string; config: Partial<ExperimentConfig> }[];
  base: Partial<ExperimentConfig>;
  surrogates: string[];
  degreeCap: number | null;
  metric: Metric;
  /** Default n for this figure (docs/model.md §8 uses 1000; defaults here are CI-friendly). */
  n: number;
}

const ACTS = [
  { name: 'relu', config: { act: 'relu' as const } },
  { name: 'tanh', config: { act: 'tanh' as const } },
  { name: 'sigmoid', config: { act: 'sigmoid' as const } },
];
const K_OVER_M = [0.1, 0.3, 0.4, 0.5, 0.7, 0.9, 1, 1.1, 1.5, 2, 3, 4, 5];
const PAPER = { beta: 0.74, alpha: 0.5, kRatio: 1, components: 2, rho: [0.5, 0.5], rank: 1, lambda: 1e-4 };

// The paper's Figure 3 (docs/model.md §10): Fashion-MNIST after the paper's pre-processing (θ = n,
// β = 1, α = 0, m = m̃ = 500, degree 4), the network as markers and the Hermite model as lines;
// the same network on the images' Gaussian twin in panels of its own ("… twin").
const FIG3_K_OVER_M = [0.01, 0.1, 0.3, 0.5, 1, 1.5, 2, 3, 5];
function imagePanels(withTwin: boolean): FigureSpec['panels'] {
  const images = ACTS.map((a) => ({ name: a.name, config: { ...a.config, data: 'fashion-mnist' as const } }));
  const twins = ACTS.map((a) => ({ name: `${a.name} twin`, config: { ...a.config, data: 'fashion-mnist-twin' as const } }));
  return withTwin ? [...images, ...twins] : images;
}
const fig3 = (id: string, classes: number[], what: string): FigureSpec => ({
  id,
  title: `Fashion-MNIST ${what}: generalisation error vs k/m (θ = n, degree 4; images and their Gaussian twin)`,
  x: { field: 'kRatio', label: 'k/m', values: FIG3_K_OVER_M },
  panels: imagePanels(true),
  base: { ...IMAGE_DEFAULTS, data: 'fashion-mnist', classes },
  surrogates: ['hermite:4'],
  degreeCap: 4,
  metric: 'gen',
  n: IMAGE_DIMENSION,
});

const FIGURES_IMAGES: FigureSpec[] = [
  fig3('fig3a', [0, 1], 'T-shirt vs trouser (0 vs 1)'),
  fig3('fig3b', [5, 9], 'sandal vs ankle boot (5 vs 9)'),
  {
    id: 'fig3-noise',
    title: 'Fashion-MNIST 0 vs 1: network and Hermite-4 errors vs the image strength θ (added noise N(0, I); k/m = 2)',
    x: { field: 'theta', label: 'θ (image trace; the noise has trace n = 784)', values: [7.84, 78.4, 196, 392, 784, 1568, 3136, 7840, 78400] },
    panels: [
      { name: 'relu', config: { act: 'relu', data: 'fashion-mnist' } },
      { name: 'relu twin', config: { act: 'relu', data: 'fashion-mnist-twin' } },
      { name: 'relu, no added noise', config: { act: 'relu', data: 'fashion-mnist', pixelNoise: 0 } },
    ],
    base: { ...IMAGE_DEFAULTS, data: 'fashion-mnist', classes: [0, 1], kRatio: 2 },
    surrogates: ['hermite:4'],
    degreeCap: 4,
    metric: 'gen',
    n: IMAGE_DIMENSION,
  },
];

export const FIGURES: readonly FigureSpec[] = [
  { id: 'fig1a', title: 'Generalisation error vs k/m (β = 0.74, α = ½, degree 3)', x: { field: 'kRatio', label: 'k/m', values: K_OVER_M }, panels: ACTS, base: PAPER, surrogates: ['hermite:3'], degreeCap: null, metric: 'gen', n: 400 },
  { id: 'fig1b', title: 'Generalisation error vs α (β = 0.74, k/m = 1, degree 3)', x: { field: 'alpha', label: 'α', values: [0, 0.25, 0.5, 0.75, 1] }, panels: ACTS, base: PAPER, surrogates: ['hermite:3'], degreeCap: null, metric: 'gen', n: 400 },
  { id: 'fig1c', title: 'Generalisation error vs β (α = ½, degree by the rule, capped at 4)', x: { field: 'beta', label: 'β', values: [0, 0.2, 0.4, 0.55, 0.62, 0.7, 0.74, 0.78, 0.85, 0.9, 0.95] }, panels: ACTS, base: PAPER, surrogates: ['hermite:auto'], degreeCap: 4, metric: 'gen', n: 400 },
  { id: 'fig2a', title: 'Classification (square loss) vs mixture ratio ρ₁ (β = 0.74, α = ½)', x: { field: 'rho1', label: 'ρ₁', values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] }, panels: ACTS, base: { ...PAPER, task: 'classification' }, surrogates: ['hermite:3'], degreeCap: null, metric: 'gen', n: 400 },
  { id: 'fig2b', title: 'Regression error vs alignment a', x: { field: 'align', label: 'alignment a', values: [-1, -0.5, 0, 0.5, 1] }, panels: ACTS, base: PAPER, surrogates: ['hermite:3'], degreeCap: null, metric: 'gen', n: 400 },
  { id: 'fig2c', title: 'Regression error vs covariance rank d (random spike strengths)', x: { field: 'rank', label: 'rank d', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }, panels: ACTS, base: { ...PAPER, theta: 'random' }, surrogates: ['hermite:3'], degreeCap: null, metric: 'gen', n: 400 },
  {
    id: 'fig4',
    title: '(α, β) heat maps: network error and surrogate gaps (spike-aligned target, m = k = 1.25n)',
    x: { field: 'alpha', label: 'α', values: [0, 0.25, 0.5, 0.75, 1] },
    y: { field: 'beta', label: 'β', values: [0.3, 0.5, 0.6, 0.7, 0.8, 0.9] },
    panels: [{ name: 'relu', config: { act: 'relu' } }],
    base: { ...PAPER, target: 'spike', mRatio: 1.25 },
    surrogates: ['hermite:1', 'hermite:auto', 'get', 'cget'],
    degreeCap: 6,
    metric: 'gen',
    n: 400,
  },
  { id: 'fig5', title: 'β sweeps at α = 0 and α = 1 (ReLU)', x: { field: 'beta', label: 'β', values: [0, 0.2, 0.4, 0.55, 0.62, 0.7, 0.78, 0.85, 0.9, 0.95] }, panels: [{ name: 'α = 0', config: { alpha: 0, act: 'relu' } }, { name: 'α = 1', config: { alpha: 1, act: 'relu' } }], base: PAPER, surrogates: ['hermite:auto', 'cget'], degreeCap: 4, metric: 'gen', n: 400 },
  { id: 'fig6', title: 'Training error vs k/m (β = 0.74, α = ½, degree 3)', x: { field: 'kRatio', label: 'k/m', values: K_OVER_M }, panels: ACTS, base: PAPER, surrogates: ['hermite:3'], degreeCap: null, metric: 'train', n: 400 },
  // Real data (docs/model.md §10): fig3a, fig3b, fig3-noise.
  ...FIGURES_IMAGES,
];

export function figureById(id: string): FigureSpec | undefined {
  return FIGURES.find((f) => f.id === id);
}
