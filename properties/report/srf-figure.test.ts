// The sRF learning-curve figure: a valid figure JSON (so `onestep render` re-makes it), its theory
// line is the oracle's value, and its network markers replay the protocol simulation.
import { describe, expect, it } from 'vitest';
import { simulateCui } from '../../src/experiment/cui-protocol.ts';
import { srfOracle } from '../../src/oracles/srf.ts';
import { figureProblem } from '../../src/report/render.ts';
import { SRF_FIGURE_ALPHAS, srfAlphaFigure } from '../../src/report/srf-figure.ts';

describe('onestep figure srf-alpha', () => {
  it('is a figure JSON whose lines are the oracle and the simulated model, markers the network', () => {
    const fig = srfAlphaFigure(30, 2, 5, 'test');
    expect(figureProblem(JSON.parse(JSON.stringify(fig)))).toBeUndefined();
    expect(fig.points).toHaveLength(2 * SRF_FIGURE_ALPHAS.length);
    const p = fig.points[2];
    const s = { act: 'tanh', target: 'tanh', alpha0: 2, etaTilde: 1, lambda: 0.1, alpha: p.x, d: 30 } as const;
    expect(p.surrogates['sRF theory'].gen.mean).toBe(srfOracle({ ...s, spectrum: 'limit' }).error);
    const sim = simulateCui(s, 2, 5, ['srf']);
    expect(p.nn.gen).toEqual(sim.errors.nn);
    expect(p.surrogates['sRF model'].gen).toEqual(sim.errors.srf);
  });
});
