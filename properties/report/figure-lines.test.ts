// Paper figures on synthetic figure JSON: the ½·Var(y) baseline is drawn, a surrogate that
// explodes is clipped at the panel's cap and named (never silently off the top), and the
// classification note appears exactly when the network is above the baseline.
import { describe, expect, it } from 'vitest';
import { BASELINE, figureMarkdown, figureNotes, lineRows } from '../../src/report/render.ts';
import type { FigureResult } from '../../src/report/sweep.ts';

const est = (mean: number, se = 0.001) => ({ mean, se });

function figure(hermiteAt: (x: number) => number, task = 'regression', halfVarY = 0.5): FigureResult {
  const points = [0.2, 0.5, 0.9].map((x) => ({
    panel: 'α = 0',
    x,
    y: null,
    nn: { train: est(0.1), gen: est(0.1 + 0.01 * x) },
    surrogates: { 'hermite:auto': { train: est(0.1), gen: est(hermiteAt(x)), relGap: est(0), relGapTrain: est(0) } },
    halfVarY: est(halfVarY),
  }));
  return {
    schema: 'onestep.figure/1',
    id: 'figx',
    title: 'synthetic',
    n: 100,
    trialsPerPoint: 3,
    seed: 1,
    command: 'test',
    spec: { id: 'figx', title: 'synthetic', x: { field: 'beta', label: 'β', values: [0.2, 0.5, 0.9] }, panels: [], base: { task }, surrogates: ['hermite:auto'], degreeCap: null, metric: 'gen', n: 100 },
    points,
  } as unknown as FigureResult;
}

describe('line figures', () => {
  it('draw the ½·Var(y) baseline at every point', () => {
    const { rows } = lineRows(figure((x) => 0.1 + 0.01 * x));
    expect(rows.filter((r) => r.model === BASELINE).map((r) => r.value)).toEqual([0.5, 0.5, 0.5]);
  });

  it('clip an exploding surrogate at the cap and say so; leave a sane one alone', () => {
    expect(lineRows(figure((x) => 0.1 + 0.01 * x)).clipped).toEqual([]);
    // Network 0.102–0.109 (±0.002) and baseline 0.5: the cap is one span (0.5 − 0.1) above 0.5.
    const exploding = figure((x) => (x > 0.8 ? 40 : 0.1));
    const { rows, clipped } = lineRows(exploding);
    expect(clipped).toHaveLength(1);
    expect(clipped[0]).toMatchObject({ model: 'hermite:auto', xs: [0.9], max: 40 });
    expect(clipped[0].cap).toBeCloseTo(0.5 + (0.5 - 0.1), 2);
    const drawn = rows.find((r) => r.model === 'hermite:auto' && r.x === 0.9)!;
    expect(drawn.value).toBe(clipped[0].cap);
    expect(drawn.above).toBe(40);
    expect(figureNotes(exploding).join('\n')).toContain('hermite:auto in α = 0 is above the drawn range at β = 0.9 (up to 40.0');
    expect(figureMarkdown(exploding)).toContain('Note: hermite:auto in α = 0 is above the drawn range');
  });

  it('explain classification errors above ½·Var(y) with the finding, and only there', () => {
    expect(figureNotes(figure((x) => 0.1, 'classification', 0.05)).join()).toContain('docs/findings.md §6');
    expect(figureNotes(figure((x) => 0.1, 'classification', 0.5))).toEqual([]);
    expect(figureNotes(figure((x) => 0.1, 'regression', 0.05))).toEqual([]);
  });
});
