// Pure mathematics: the degree rule's interval table, its boundaries, and its relation to the
// learning-rate exponent. Checked exactly, no simulation.
import { degreeRule, intervalOf } from '../src/math/hermite/index.ts';
import type { Decision } from '../src/experiment/verdict.ts';
import type { Theorem } from './types.ts';

/** Every check returns a reason line; any failure makes the verdict 'disagree'. */
export function degreeRuleChecks(maxDegree = 40): { ok: boolean; line: string }[] {
  const out: { ok: boolean; line: string }[] = [];
  for (let D = 1; D <= maxDegree; D++) {
    const iv = intervalOf(D);
    const next = intervalOf(D + 1);
    out.push({ ok: Math.abs(iv.hi - next.lo) < 1e-15, line: `interval ${D} ends where ${D + 1} begins (${iv.hi})` });
    const mid = (iv.lo + iv.hi) / 2;
    out.push({ ok: degreeRule(mid).degree === D && degreeRule(mid).status === 'inside', line: `midpoint ${mid.toFixed(6)} → degree ${D}` });
    out.push({ ok: degreeRule(iv.hi).status === 'boundary', line: `β = ${D}/${D + 1} is a boundary` });
    // Relation to the learning-rate exponent: degree D = ⌈β/(1−β)⌉ means the spike of size n^β
    // needs D polynomial terms: D − 1 < β/(1−β) < D.
    const r = mid / (1 - mid);
    out.push({ ok: D - 1 < r && r < D, line: `β/(1−β) = ${r.toFixed(4)} ∈ (${D - 1}, ${D})` });
  }
  out.push({ ok: degreeRule(1).status === 'uncovered', line: 'β = 1 is not covered (l → ∞)' });
  out.push({ ok: degreeRule(0).degree === 1, line: 'β = 0 → degree 1 (classical Gaussian equivalence)' });
  return out;
}

export const degreeRuleTheorem: Theorem = {
  id: 'degree-rule',
  title: 'The degree rule (docs/model.md §4)',
  claim: 'degree D = l − 1 = max(1, ⌈β/(1−β)⌉) on the open intervals ((D−1)/D, D/(D+1)); [0, ½) → 1; boundaries and β = 1 uncovered.',
  source: 'Demir & Doğan, ICLR 2025',
  hypotheses: () => ({ applies: true, reasons: ['pure mathematics'] }),
  quantities: [],
  pinned: [{ name: 'the interval table', config: {}, expect: 'agree', why: 'exact checks' }],
  negativeControls: [],
  check(): Decision {
    const checks = degreeRuleChecks();
    const failed = checks.filter((c) => !c.ok);
    return {
      verdict: failed.length === 0 ? 'agree' : 'disagree',
      reasons: failed.length === 0 ? [`${checks.length} exact checks of the interval table passed`] : failed.map((f) => `failed: ${f.line}`),
      ladder: [],
      trend: null,
      rule: 'exact',
      tolerance: 'exact (floating-point boundaries detected within 1e-12)',
    };
  },
};
