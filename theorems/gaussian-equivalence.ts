import type { Theorem } from './types.ts';

export const gaussianEquivalence: Theorem = {
  id: 'gaussian-equivalence',
  title: 'Classical Gaussian equivalence at β < ½ (linear plus noise)',
  claim: [
    'For β < ½ the degree rule gives l = 2: the network is equivalent to the linear-plus-noise model',
    'σ̂(x) = h_0 + h_1·x/b + h*_2·z (the classical Gaussian equivalence of random features).',
  ].join('\n'),
  source: 'Mei & Montanari 2022; Hu & Lu 2022; Ba et al. 2022 (η = O(1) regime)',
  hypotheses(c) {
    const applies = c.beta < 0.5;
    return { applies, reasons: [applies ? `β = ${c.beta} < ½` : `β = ${c.beta} ≥ ½: the linear model is not claimed`] };
  },
  surrogate: () => 'hermite:1',
  quantities: ['train', 'gen'],
  pinned: [{ name: 'β = 0.3, spike-aligned target', config: { beta: 0.3, target: 'spike' }, expect: 'agree', why: 'inside [0, ½)', undecided: { quick: 'the linear model’s training gap shrinks like n^−0.4, slower than the tolerance: 2.25% [−1.02%, 5.51%] against ±3.54% at n = 400 after 96 trials (docs/findings.md §2)' } }],
  negativeControls: [
    {
      name: 'linear model without its noise term',
      config: { beta: 0.3 },
      surrogate: 'hermite:1:nonoise',
      expect: 'disagree',
      why: 'h*_2·z carries most of σ’s variance beyond the linear part',
    },
  ],
};
