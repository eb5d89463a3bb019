// A user's own surrogate and theorem, checked through onestep's public API as a user's suite
// would (`import … from 'onestep'`, `'onestep/vitest'`). Small n keeps it cheap (a few seconds):
// at n ≤ 200 the checker can reject a wrong model but not yet confirm a right one (the
// tolerance is ±5%, a trial's gap spreads by several percent), so the claims assert 'not
// rejected' and each is paired with a wrong variant that must be rejected.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { check, configArbitrary, registerSurrogate, type Theorem, trial } from 'onestep';
import { expectSurrogateMatches, expectSurrogateRejected } from 'onestep/vitest';
import { cubicSurrogate } from './cubic-surrogate.ts';

beforeAll(() => registerSurrogate(cubicSurrogate));

/** A claim of the user's own: the cubic model matches the network where the degree rule asks for degree 3. */
const cubicEquivalence: Theorem = {
  id: 'cubic-equivalence',
  title: 'the degree-3 model, written by a user',
  claim: 'for 2/3 < β < 3/4 the network and the cubic model have the same training and generalisation errors',
  source: 'Demir & Doğan, ICLR 2025 (Hermite model theorem), at degree 3',
  hypotheses: (c) => ({ applies: c.beta > 2 / 3 && c.beta < 3 / 4, reasons: [`β = ${c.beta}`] }),
  surrogate: () => 'cubic',
  quantities: ['train', 'gen'],
  pinned: [{ name: 'paper setting, ReLU', config: { act: 'relu', beta: 0.74 }, expect: 'agree', why: 'the degree the rule gives at β = 0.74' }],
  negativeControls: [
    { name: 'expanded at 2b', config: { target: 'spike', alpha: 0, beta: 0.6 }, surrogate: 'cubic:scale=2', expect: 'disagree', why: 'every coefficient taken at the wrong scale' },
  ],
};

const LADDER = [100, 200];

describe('a user-defined surrogate', () => {
  it('is the degree-3 Hermite model: equal to onestep’s hermite:3 on the same draws', () => {
    // Without the noise term both are deterministic functions of the same F̂x, so their errors
    // differ only by the quadrature of the coefficients (~1e-12 relative; ReLU's are closed forms
    // in onestep) amplified by the ridge solve (condition ≤ 1e6 at λ = 1e-4): 1e-6 relative bounds
    // it. Measured: 1.4e-15 (tanh), 3.0e-15 (ReLU) at seed 7.
    const r = trial({ config: { n: 100, act: 'tanh' }, seed: 7, surrogates: ['cubic:nonoise', 'hermite:3:nonoise'] });
    const mine = r.surrogates['cubic:nonoise'];
    const theirs = r.surrogates['hermite:3:nonoise'];
    expect(Math.abs(mine.gen - theirs.gen) / theirs.gen).toBeLessThan(1e-6);
    expect(Math.abs(mine.train - theirs.train) / theirs.train).toBeLessThan(1e-6);
  });

  it('is not told apart from the network on generated configurations with 2/3 < β < 3/4', () => {
    const configs = fc.tuple(configArbitrary({ cheap: true }), fc.double({ min: 0.68, max: 0.74, noNaN: true })).map(([c, beta]) => ({ ...c, beta }));
    expectSurrogateMatches('cubic', { configs, runs: 2, ladder: LADDER, require: 'not-rejected' });
  });

  it('expanded at the wrong scale, is told apart (the suite can fail)', () => {
    expectSurrogateRejected('cubic:scale=2', { configs: [{ target: 'spike', alpha: 0, beta: 0.6 }], ladder: LADDER });
  });
});

describe('a user-defined theorem, checked like onestep’s own', () => {
  it('its pinned example is not rejected and its negative control is', () => {
    const claim = check(cubicEquivalence, { config: cubicEquivalence.pinned[0].config, ladder: LADDER });
    expect(claim.verdict, claim.reasons.join('\n')).not.toBe('disagree');
    const control = cubicEquivalence.negativeControls[0];
    const r = check(cubicEquivalence, { config: control.config, surrogate: control.surrogate, ladder: LADDER });
    expect(r.verdict, r.reasons.join('\n')).toBe(control.expect);
  });
});
