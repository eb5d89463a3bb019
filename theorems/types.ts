// What a theorem module declares: the claim in words, when it applies, what must agree, how
// agreement is judged, and the examples pinned to it (the paper's settings and every
// counterexample found so far).
import type { ExperimentConfig } from '../src/data/config.ts';
import type { Budget, LadderSpec, TrialRunner } from '../src/experiment/engine.ts';
import type { Decision, Verdict } from '../src/experiment/verdict.ts';

export interface CustomCheckOptions {
  config: ExperimentConfig;
  ladder: number[];
  seed: number;
  budget: Budget;
  /** Seconds since some origin (the engine's clock; injected in tests). */
  clock?: () => number;
  onProgress?: (message: string) => void;
  /** A deliberately altered check (one of the theorem's `variants`): how negative controls of custom checks are run. */
  variant?: string;
  /** Parallel trials (src/experiment/engine.ts); the verdict is the same without it. */
  runner?: TrialRunner;
}

export interface Applicability {
  applies: boolean;
  reasons: string[];
}

export interface PinnedExample {
  name: string;
  /** Overrides of the default configuration. */
  config: Partial<ExperimentConfig>;
  /** Surrogate to check (the theorem's own when absent). */
  surrogate?: string;
  /** The ladder of n to run it on, when the tier's cannot apply (image data: n = 784 pixels). */
  ladder?: number[];
  /** What the checker is expected to answer, and why (a finding, a negative control …). */
  expect: Verdict;
  why: string;
  /**
   * Tiers known not to decide this true claim, and why (with the finding): the pinned suite skips
   * it at that tier (quick) or asserts 'inconclusive' (standard), so a change that decides it —
   * or rejects it — is noticed; reports count it as a known undecided case. Absent: every tier
   * must answer `expect`.
   */
  undecided?: Partial<Record<'quick' | 'standard' | 'stress', string>>;
}

export interface Theorem {
  id: string;
  title: string;
  /** The claim in words and formulas. */
  claim: string;
  /** Source of the claim. */
  source: string;
  hypotheses(config: ExperimentConfig): Applicability;
  /** The surrogate whose errors must match the network's (equivalence theorems). */
  surrogate?(config: ExperimentConfig): string;
  /** Which quantities must agree. */
  quantities: readonly ('train' | 'gen')[];
  /** A claim that is not a surrogate comparison brings its own decision procedure. */
  check?(opts: CustomCheckOptions): Decision;
  /**
   * The engine's spec of that custom check for a configuration (and variant): what a worker
   * thread rebuilds to run the check's trials in parallel (its spec's `remote` names it).
   */
  ladder?(config: ExperimentConfig, variant?: string): LadderSpec<unknown>;
  /**
   * Named alterations of a custom check (e.g. an oracle evaluated with a wrong λ convention),
   * name → what it changes. A pinned example or negative control selects one through its
   * `surrogate` field; the check must then reject (that is what makes it a control).
   */
  variants?: Readonly<Record<string, string>>;
  pinned: readonly PinnedExample[];
  /** Wrong surrogates the checker must reject on pinned configurations. */
  negativeControls: readonly PinnedExample[];
}
