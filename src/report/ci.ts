// What CI reads from a run of checks: each checked case's expectation met, missed or left
// undecided, a one-line tally, the exit code, JUnit XML (one test case per claim and control)
// and a Markdown job summary. Pure functions of the cases, so a report's JSON renders them
// again without re-running anything.
import { formatGap } from '../experiment/verdict.ts';

/** What the writers read of a checked case: a CheckReport, with its expectation when it has one. */
export interface CheckedCase {
  theorem: string;
  /** The pinned example or negative control's name; absent for a configuration given by hand. */
  example?: string;
  kind?: 'claim' | 'negative-control';
  surrogate?: string | null;
  /** The verdict the case should get; absent when nothing is expected (a configuration given by hand). */
  expected?: string;
  /** Why the standard tier is known not to decide this claim (a finding), when it is. */
  knownUndecided?: string;
  verdict: string;
  reasons: string[];
  ladder: { n: number; trials?: number; tolerance: number; relGap: { mean: number | null; lo: number | null; hi: number | null } }[];
}

/**
 * met: the verdict is the expected one. missed: a decided verdict other than the expected one
 * (the case CI must fail on). undecided: 'inconclusive' where a verdict was expected (more n or
 * trials needed; `known` when a finding says the tier cannot decide it). none: nothing expected.
 */
export type Outcome = 'met' | 'missed' | 'undecided' | 'none';

/** The largest n a finding's "undecided at n ≤ 800" speaks for (the standard tier's top rung). */
export const KNOWN_UNDECIDED_MAX_N = 800;

/** An undecided case a finding explains: the claim is known not to be decided at this ladder's largest n. */
export function knownUndecided(c: CheckedCase): boolean {
  const top = c.ladder[c.ladder.length - 1];
  return outcomeOf(c) === 'undecided' && c.knownUndecided !== undefined && (top === undefined || top.n <= KNOWN_UNDECIDED_MAX_N);
}

export function outcomeOf(c: CheckedCase): Outcome {
  if (c.expected === undefined) return 'none';
  if (c.verdict === c.expected) return 'met';
  return c.verdict === 'inconclusive' ? 'undecided' : 'missed';
}

export interface Tally {
  total: number;
  met: number;
  missed: number;
  undecided: number;
  /** Of the undecided, those a finding says the tier cannot decide. */
  knownUndecided: number;
  /** Cases without an expectation, by verdict. */
  agree: number;
  disagree: number;
  inconclusive: number;
}

export function tallyOf(cases: readonly CheckedCase[]): Tally {
  const t: Tally = { total: cases.length, met: 0, missed: 0, undecided: 0, knownUndecided: 0, agree: 0, disagree: 0, inconclusive: 0 };
  for (const c of cases) {
    const o = outcomeOf(c);
    if (o === 'none') {
      if (c.verdict === 'agree' || c.verdict === 'disagree' || c.verdict === 'inconclusive') t[c.verdict]++;
    } else t[o]++;
    if (knownUndecided(c)) t.knownUndecided++;
  }
  return t;
}

/** The one line that ends every multi-claim command: "27 checked: 20 met, 0 missed, 7 undecided (5 known) → PASS". */
export function tallyLine(t: Tally, strict = false): string {
  const parts: string[] = [];
  const expected = t.met + t.missed + t.undecided;
  if (expected > 0) parts.push(`${t.met} met, ${t.missed} missed, ${t.undecided} undecided${t.knownUndecided ? ` (${t.knownUndecided} known from docs/findings.md)` : ''}`);
  const free = t.agree + t.disagree + t.inconclusive;
  if (free > 0) parts.push(`${expected > 0 ? 'without an expectation: ' : ''}${t.agree} agree, ${t.disagree} disagree, ${t.inconclusive} inconclusive`);
  const code = exitCodeOf(t, strict);
  const word = code === 0 ? 'PASS' : code === 1 ? 'FAIL' : 'UNDECIDED';
  return `${t.total} checked${expected > 0 ? ', expectations' : ''}: ${parts.join('; ')} → ${word} (exit ${code})`;
}

/**
 * The exit code of check and report (documented in their --help and the README):
 *   1  a case missed its expected verdict, or a case without an expectation got 'disagree';
 *   3  otherwise, a case without an expectation is inconclusive, or (--strict) an expected
 *      verdict was left undecided that no finding explains;
 *   0  otherwise. (2 is bad input, decided before any check runs.)
 * An undecided expectation alone does not fail: the quick tier cannot decide most true claims
 * (docs/findings.md §8), and CI must fail on a wrong answer, not on a small budget.
 */
export function exitCodeOf(t: Tally, strict = false): 0 | 1 | 3 {
  if (t.missed > 0 || t.disagree > 0) return 1;
  if (t.inconclusive > 0 || (strict && t.undecided > t.knownUndecided)) return 3;
  return 0;
}

/** The case's name in JUnit and summaries: "wrong scale b (hermite:2:bscale=2)". */
export function caseName(c: CheckedCase): string {
  const example = c.example ?? 'given configuration';
  return `${example}${c.surrogate ? ` (${c.surrogate})` : ''}`;
}

/** The numbers behind the verdict at the largest n: "n = 800, 12 trials: gap 0.47% [−0.2%, 1.1%], tol ±2.50%". */
export function numbersOf(c: CheckedCase): string {
  const top = c.ladder[c.ladder.length - 1];
  if (!top || !(top.tolerance > 0)) return c.reasons[0] ?? 'no numbers recorded';
  const g = top.relGap;
  const gap = g.mean === null || g.lo === null || g.hi === null ? 'not a finite number' : formatGap({ mean: g.mean, lo: g.lo, hi: g.hi, se: NaN });
  return `n = ${top.n}${top.trials ? `, ${top.trials} trials` : ''}: gap ${gap}, tol ±${(100 * top.tolerance).toFixed(2)}%`;
}

/** "agree → agree ✓", "agree → inconclusive ?", "disagree → agree ✗"; "— → agree" without an expectation. */
export function expectationMark(c: CheckedCase): string {
  const mark = { met: ' ✓', missed: ' ✗', undecided: ' ?', none: '' }[outcomeOf(c)];
  return `${c.expected ?? '—'} → ${c.verdict}${mark}`;
}

/**
 * Why a printed number looks alarming although nothing is wrong, in one line citing the finding
 * (undefined when nothing needs saying): a negative control's gap of 100% or more (up to
 * millions of percent) is a deliberately wrong surrogate failing as it must.
 */
export function alarmNote(c: CheckedCase): string | undefined {
  const mean = c.ladder[c.ladder.length - 1]?.relGap.mean;
  if (c.kind !== 'negative-control' || mean === null || mean === undefined || !(Math.abs(mean) >= 1)) return undefined;
  const size = `a gap of ${Math.abs(100 * mean).toFixed(0)}%`;
  if (c.surrogate?.startsWith('hermite')) return `${size} is this control failing as it must: polynomial surrogates explode where the data's spikes are strong (docs/findings.md §5)`;
  if (c.surrogate === 'get') return `${size} is this control failing as it must: the unconditional Gaussian model misses the strong spikes the conditional one keeps (docs/findings.md §8)`;
  return `${size} is this control failing as it must: it is a deliberately wrong model`;
}

// ---- JUnit XML ----

/** Text for an XML attribute or element: the five entities escaped, characters XML 1.0 forbids dropped. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * JUnit XML: one <testsuite> per theorem, one <testcase> per checked case. A missed expectation
 * (or 'disagree' without one) is a <failure>; an undecided one (or 'inconclusive' without one) is
 * <skipped> — reported, not failed, as the exit code does (exitCodeOf); with `strict` an
 * undecided expectation no finding explains is a failure too. Every case's reasons go in its
 * <system-out>.
 */
export function junitXml(name: string, cases: readonly CheckedCase[], strict = false): string {
  const suites = new Map<string, CheckedCase[]>();
  for (const c of cases) suites.set(c.theorem, [...(suites.get(c.theorem) ?? []), c]);
  const t = tallyOf(cases);
  const failing = (c: CheckedCase): boolean => {
    const o = outcomeOf(c);
    return o === 'missed' || (o === 'none' && c.verdict === 'disagree') || (strict && o === 'undecided' && !knownUndecided(c));
  };
  const skipping = (c: CheckedCase): boolean => !failing(c) && (outcomeOf(c) === 'undecided' || (outcomeOf(c) === 'none' && c.verdict === 'inconclusive'));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(name)}" tests="${t.total}" failures="${cases.filter(failing).length}" errors="0" skipped="${cases.filter(skipping).length}">`,
  ];
  for (const [theorem, list] of suites) {
    lines.push(`  <testsuite name="${xmlEscape(theorem)}" tests="${list.length}" failures="${list.filter(failing).length}" errors="0" skipped="${list.filter(skipping).length}">`);
    for (const c of list) {
      const message = `expected ${c.expected ?? '(nothing)'}, got ${c.verdict}; ${numbersOf(c)}`;
      lines.push(`    <testcase classname="onestep.${xmlEscape(theorem)}" name="${xmlEscape(`${c.kind === 'negative-control' ? 'control' : 'claim'}: ${caseName(c)}`)}">`);
      if (failing(c)) lines.push(`      <failure type="${outcomeOf(c) === 'undecided' ? 'undecided' : 'missed'}" message="${xmlEscape(message)}">${xmlEscape(c.reasons.join('\n'))}</failure>`);
      else if (skipping(c)) lines.push(`      <skipped message="${xmlEscape(`${message}${knownUndecided(c) ? `; known: ${c.knownUndecided}` : ''}`)}"/>`);
      const note = alarmNote(c);
      lines.push(`      <system-out>${xmlEscape([`expected ${c.expected ?? '(nothing)'}, got ${c.verdict}`, ...c.reasons, ...(note ? [note] : [])].join('\n'))}</system-out>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

// ---- Markdown job summary ----

/** Markdown table cells: pipes escaped, line breaks flattened. */
export function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/**
 * A Markdown job summary (GitHub renders $GITHUB_STEP_SUMMARY): the tally as the headline, then
 * one row per case with "expected → got ✓/✗" and the numbers at the largest n; missed cases
 * first, with their reasons below the table.
 */
export function summaryMarkdown(title: string, cases: readonly CheckedCase[], strict = false): string {
  const t = tallyOf(cases);
  const order: Record<Outcome, number> = { missed: 0, undecided: 1, none: 2, met: 3 };
  const sorted = [...cases].sort((a, b) => order[outcomeOf(a)] - order[outcomeOf(b)]);
  const lines = [
    `### ${mdCell(title)}`,
    '',
    `**${mdCell(tallyLine(t, strict))}**`,
    '',
    '| theorem | case | expected → got | largest n: gap [interval at the final look, valid under optional stopping], tolerance |',
    '|---|---|---|---|',
  ];
  for (const c of sorted) {
    const note = alarmNote(c);
    lines.push(`| ${mdCell(c.theorem)} | ${mdCell(`${c.kind === 'negative-control' ? 'control' : 'claim'}: ${caseName(c)}`)} | ${expectationMark(c)} | ${mdCell(numbersOf(c))}${note ? ` — ${mdCell(note)}` : ''} |`);
  }
  const missed = cases.filter((c) => outcomeOf(c) === 'missed' || (outcomeOf(c) === 'none' && c.verdict === 'disagree'));
  if (missed.length > 0) {
    lines.push('', '#### Why they missed', '');
    for (const c of missed) lines.push(`- **${mdCell(c.theorem)} · ${mdCell(caseName(c))}**: ${mdCell(c.reasons.join('; '))}`);
  }
  lines.push('', '✓ expectation met · ✗ missed (fails the job) · ? undecided (more n or trials needed; reported, not failed)', '');
  return lines.join('\n');
}
