// The CI writers on synthetic cases: outcomes and the exit code (fail exactly on a missed
// expectation), JUnit XML that is well-formed whatever the reasons hold, and a Markdown summary
// whose headline is the tally.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CheckedCase, exitCodeOf, junitXml, outcomeOf, summaryMarkdown, tallyLine, tallyOf, xmlEscape } from '../../src/report/ci.ts';

function kase(over: Partial<CheckedCase>): CheckedCase {
  return {
    theorem: 'hermite-equivalence',
    example: 'paper setting, ReLU',
    kind: 'claim',
    surrogate: 'hermite:auto',
    expected: 'agree',
    verdict: 'agree',
    reasons: ['n = 800, 6 paired trials: generalisation gap 0.47% [−0.20%, 1.10%] → agree'],
    ladder: [{ n: 800, trials: 6, tolerance: 0.025001, relGap: { mean: 0.0047, lo: -0.002, hi: 0.011 } }],
    ...over,
  };
}

const met = kase({});
const control = kase({ example: 'wrong scale b', kind: 'negative-control', surrogate: 'hermite:2:bscale=2', expected: 'disagree', verdict: 'disagree' });
const undecided = kase({ example: 'paper setting', theorem: 'conditional-gaussian-equivalence', verdict: 'inconclusive' });
const known = { ...undecided, knownUndecided: 'needs n ≈ 1600 (docs/findings.md §3)' };
const missedControl = { ...control, verdict: 'agree' };
const falseAlarm = kase({ verdict: 'disagree' });
const byHand = (verdict: string): CheckedCase => kase({ expected: undefined, example: undefined, kind: undefined, verdict });

/**
 * A strict well-formedness check of the XML the writer emits (no XML parser is a dependency):
 * one declaration, tags properly nested, attribute values double-quoted with no raw '<', '&' or
 * '"', text with no raw '<' or '&' outside the five entities.
 */
function wellFormed(xml: string): string | null {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  if (body === xml) return 'no XML declaration';
  const stack: string[] = [];
  const entity = /&(amp|lt|gt|quot|apos);/g;
  let i = 0;
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const text = body.slice(i, lt === -1 ? body.length : lt);
    if (/[<&]/.test(text.replace(entity, ''))) return `bad text: ${text.slice(0, 60)}`;
    if (lt === -1) break;
    const gt = body.indexOf('>', lt);
    if (gt === -1) return 'unclosed tag';
    const tag = body.slice(lt + 1, gt);
    const m = /^(\/)?([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/)?$/.exec(tag);
    if (!m) return `bad tag: <${tag.slice(0, 80)}>`;
    for (const [, value] of m[3].matchAll(/="([^"]*)"/g)) if (/&/.test(value.replace(entity, ''))) return `raw & in attribute: ${value.slice(0, 60)}`;
    if (m[1]) {
      if (stack.pop() !== m[2]) return `mismatched </${m[2]}>`;
    } else if (!m[4]) stack.push(m[2]);
    i = gt + 1;
  }
  return stack.length === 0 ? null : `unclosed <${stack.join('>, <')}>`;
}

describe('outcomes, tally and exit code', () => {
  it('classifies each case', () => {
    expect([met, control, undecided, missedControl, falseAlarm, byHand('agree')].map(outcomeOf)).toEqual(['met', 'met', 'undecided', 'missed', 'missed', 'none']);
  });

  it('fails exactly when an expectation is missed (or a hand-given configuration disagrees)', () => {
    expect(exitCodeOf(tallyOf([met, control, undecided, known]))).toBe(0);
    expect(exitCodeOf(tallyOf([met, control, missedControl]))).toBe(1);
    expect(exitCodeOf(tallyOf([met, falseAlarm, undecided]))).toBe(1);
    // By hand: the verdict decides, as before.
    expect([byHand('agree'), byHand('disagree'), byHand('inconclusive')].map((c) => exitCodeOf(tallyOf([c])))).toEqual([0, 1, 3]);
    // --strict: an undecided expectation no finding explains is 3; a known one stays 0.
    expect(exitCodeOf(tallyOf([met, undecided]), true)).toBe(3);
    expect(exitCodeOf(tallyOf([met, known]), true)).toBe(0);
    expect(exitCodeOf(tallyOf([missedControl, undecided]), true)).toBe(1);
  });

  it('a known-undecided claim counts as known only where the finding speaks (n ≤ 800)', () => {
    const atStress = { ...known, ladder: [{ ...known.ladder[0], n: 1600 }] };
    expect(tallyOf([known]).knownUndecided).toBe(1);
    expect(tallyOf([atStress]).knownUndecided).toBe(0);
    expect(exitCodeOf(tallyOf([atStress]), true)).toBe(3);
  });

  it('the tally line counts every case and never hides the undecided', () => {
    const line = tallyLine(tallyOf([met, control, undecided, known, missedControl]));
    expect(line).toBe('5 checked, expectations: 2 met, 1 missed, 2 undecided (1 known from docs/findings.md) → FAIL (exit 1)');
  });
});

describe('JUnit XML', () => {
  it('one test case per case, failures for misses, skips for the undecided, numbers in the message', () => {
    const xml = junitXml('onestep report (quick tier, seed 1)', [met, control, undecided, known, missedControl]);
    expect(wellFormed(xml)).toBeNull();
    expect(xml.match(/<testcase /g)).toHaveLength(5);
    expect(xml).toContain('<testsuites name="onestep report (quick tier, seed 1)" tests="5" failures="1" errors="0" skipped="2">');
    expect(xml).toContain('<testsuite name="hermite-equivalence" tests="3" failures="1" errors="0" skipped="0">');
    expect(xml).toMatch(/<failure type="missed" message="expected disagree, got agree; n = 800, 6 trials: gap 0.47% \[-0.20%, 1.10%\], tol ±2.50%">/);
    expect(xml).toContain('known: needs n ≈ 1600');
    // --strict turns the unexplained undecided case into a failure, not the known one.
    expect(junitXml('x', [undecided, known], true)).toContain('failures="1" errors="0" skipped="1"');
  });

  it('stays well-formed whatever the names and reasons hold', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('agree', 'disagree', 'inconclusive'), (name, reason, verdict) => {
        const xml = junitXml(name, [kase({ theorem: name, example: name, reasons: [reason, '<&"\'>'], verdict })]);
        expect(wellFormed(xml)).toBeNull();
      }),
    );
  });

  it('escapes the five entities and drops characters XML 1.0 forbids', () => {
    expect(xmlEscape(`a<b>&"c'\u0000\u0008\t`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;\t');
    // The well-formedness check itself must be able to fail.
    expect(wellFormed('<?xml version="1.0" encoding="UTF-8"?>\n<a b="<"></a>')).not.toBeNull();
    expect(wellFormed('<?xml version="1.0" encoding="UTF-8"?>\n<a>&</a>')).not.toBeNull();
    expect(wellFormed('<?xml version="1.0" encoding="UTF-8"?>\n<a><b></a>')).not.toBeNull();
  });
});

describe('Markdown summary', () => {
  it('headline tally, expected → got with ✓/✗/?, misses first with their reasons', () => {
    const md = summaryMarkdown('onestep report (quick tier, seed 1)', [met, control, undecided, missedControl]);
    const lines = md.split('\n');
    expect(lines[0]).toBe('### onestep report (quick tier, seed 1)');
    expect(lines[2]).toBe('**4 checked, expectations: 2 met, 1 missed, 1 undecided → FAIL (exit 1)**');
    const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| theorem'));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain('disagree → agree ✗');
    expect(rows[1]).toContain('agree → inconclusive ?');
    expect(rows.slice(2).every((r) => r.includes('✓'))).toBe(true);
    expect(md).toContain('#### Why they missed');
  });

  it('escapes pipes so a reason cannot break the table', () => {
    const md = summaryMarkdown('t', [kase({ example: 'a | b', reasons: ['x | y'] })]);
    const row = md.split('\n').find((l) => l.includes('a \\| b'));
    expect(row?.split(/(?<!\\)\|/).length).toBe(6);
  });

  it('says why a control’s enormous gap is no alarm (docs/findings.md §5)', () => {
    const exploding = { ...control, ladder: [{ ...control.ladder[0], relGap: { mean: 120997.1877, lo: 1000, hi: 240000 } }] };
    expect(summaryMarkdown('t', [exploding])).toContain('docs/findings.md §5');
  });
});
