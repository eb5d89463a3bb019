// The report of `onestep report`: every theorem checked on its pinned examples and negative
// controls, with the machine and package versions it ran on. report.json (this shape) is the
// source of truth, versioned; Markdown, HTML and the chart are made from it alone
// (src/report/report-render.ts), so `onestep render DIR` re-makes them without re-running.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import { THEOREMS } from '../../theorems/index.ts';
import { type CheckReport, runCheck, type Tier } from '../../theorems/run.ts';
import type { TrialRunner } from '../experiment/engine.ts';
import { fashionMnistAvailable } from '../io/fashion-mnist.ts';
import { DEFAULT_CONFIG, isImageData } from '../data/config.ts';
import { linalg } from '../linalg/index.ts';
import { list, nullable, num, obj, oneOf, optional, shapeProblem, str } from './shape.ts';

export interface ReportEntry extends CheckReport {
  example: string;
  expected: string;
  kind: 'claim' | 'negative-control';
  why: string;
  /** Why the standard tier is known not to decide this claim (a finding), when it is. */
  knownUndecided?: string;
}

export interface Report {
  schema: 'onestep.report/1';
  createdAt: string;
  tier: Tier;
  seed: number;
  machine: { platform: string; release: string; cpu: string; cores: number; node: string; backend: string };
  packages: Record<string, string>;
  entries: ReportEntry[];
  power: { rejected: number; controls: number };
  falseAlarms: { rejected: number; claims: number };
  findings: { theorem: string; example: string; reasons: string[]; replay: string }[];
  /** Examples not run, and why (claims on real images when the fashion-mnist package is absent). */
  skipped?: string[];
}

/** What rendering a report reads from its JSON. */
const REPORT_JSON = obj({
  schema: oneOf('onestep.report/1'),
  createdAt: str,
  tier: str,
  seed: num,
  machine: obj({ platform: str, cpu: str, cores: num, node: str, backend: str }),
  power: obj({ rejected: num, controls: num }),
  falseAlarms: obj({ rejected: num, claims: num }),
  entries: list(
    obj({
      theorem: str,
      example: str,
      kind: oneOf('claim', 'negative-control'),
      surrogate: optional(nullable(str)),
      expected: str,
      verdict: str,
      reasons: list(str),
      tolerance: str,
      ladder: list(obj({ n: num, tolerance: num, relGap: obj({ mean: nullable(num), lo: nullable(num), hi: nullable(num) }) })),
    }),
  ),
  findings: list(obj({ theorem: str, example: str, reasons: list(str), replay: str })),
});

/** What is wrong with report JSON read back from disk (its first bad field), or undefined. */
export function reportProblem(data: unknown): string | undefined {
  return shapeProblem(REPORT_JSON, data);
}

export function packageVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['fast-check', 'ml-matrix', 'vega', 'vega-lite', 'vitest', 'tsx', 'typescript']) {
    try {
      out[name] = (JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      out[name] = 'not installed';
    }
  }
  return out;
}

/** The Fashion-MNIST classes the pinned examples and controls on images use. */
export function imageClassesOfTheorems(): number[] {
  const classes = THEOREMS.flatMap((t) => [...t.pinned, ...t.negativeControls])
    .filter((ex) => isImageData(ex.config))
    .flatMap((ex) => ex.config.classes ?? DEFAULT_CONFIG.classes);
  return [...new Set(classes)];
}

export function buildReport(tier: Tier, seed: number, onProgress?: (m: string) => void, runner?: TrialRunner): Report {
  const entries: ReportEntry[] = [];
  const skipped: string[] = [];
  const images = fashionMnistAvailable();
  for (const t of THEOREMS) {
    for (const [kind, list] of [['claim', t.pinned], ['negative-control', t.negativeControls]] as const) {
      for (const ex of list) {
        if (!images && isImageData(ex.config)) {
          skipped.push(`${t.id} / ${ex.name}: needs the Fashion-MNIST images (ONESTEP_OFFLINE forbids fetching them)`);
          onProgress?.(`${t.id} / ${ex.name}: skipped (no Fashion-MNIST images offline)`);
          continue;
        }
        const r = runCheck({ theorem: t, config: ex.config, surrogate: ex.surrogate, ladder: ex.ladder, tier, seed, runner, onProgress: (m) => onProgress?.(`${t.id} / ${ex.name}: ${m}`) });
        entries.push({ ...r, example: ex.name, expected: ex.expect, kind, why: ex.why, ...(ex.undecided?.[tier] ? { knownUndecided: ex.undecided[tier] } : {}) });
      }
    }
  }
  const controls = entries.filter((e) => e.kind === 'negative-control');
  const claims = entries.filter((e) => e.kind === 'claim' && e.expected === 'agree');
  const findings = entries
    .filter((e) => e.kind === 'claim' && e.verdict === 'disagree')
    .map((e) => ({ theorem: e.theorem, example: e.example, reasons: e.reasons, replay: `onestep check --theorem ${e.theorem} --tier ${tier} --seed ${seed}${e.spent ? ` --looks ${e.spent.looks}` : ''}` }));
  return {
    schema: 'onestep.report/1',
    createdAt: new Date().toISOString(),
    tier,
    seed,
    machine: { platform: platform(), release: release(), cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version, backend: linalg().name },
    packages: packageVersions(),
    entries,
    power: { rejected: controls.filter((e) => e.verdict === 'disagree').length, controls: controls.length },
    falseAlarms: { rejected: claims.filter((e) => e.verdict === 'disagree').length, claims: claims.length },
    findings,
    ...(skipped.length > 0 ? { skipped } : {}),
  };
}
