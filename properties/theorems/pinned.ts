// The pinned-claims suite, shared by the two files that split it across both cores: every pinned
// claim (the paper's settings, every example a finding pinned) must get its known answer.
// Budgets are trial caps, not seconds, so the suite replays on any machine: at the quick tier
// (`npm test`) the quick ladder with at most 64 trials at n = 400 — about what the tier's 30 s buy
// on the 2-core development machine — and at the standard tier the standard ladder with at most
// 128 at n = 800. A claim a tier is known not to decide within its time budget
// (PinnedExample.undecided, with the finding) is skipped at the quick tier, where it would only
// spend the cap, and elsewhere must not get the opposite answer (the suite's trial cap is not the
// tier's seconds, so it may decide what the timed tier could not — never the other way).
import { expect, it } from 'vitest';
import { isImageData } from '../../src/data/config.ts';
import { fashionMnistAvailable } from '../../src/io/fashion-mnist.ts';
import type { Theorem } from '../../theorems/index.ts';
import { runCheck, type Tier } from '../../theorems/run.ts';

const tier = (process.env.ONESTEP_TIER ?? 'quick') as Tier;
const IMAGES = fashionMnistAvailable();
if (!IMAGES) console.warn('no Fashion-MNIST images here (tests never fetch them: run any command with --data fashion-mnist once to cache them): claims on real images are skipped');

export const SUITE_BUDGET = { seconds: Infinity, maxTrials: tier === 'quick' ? 64 : 128 };

export function pinnedClaims(theorems: readonly Theorem[]): void {
  for (const t of theorems) {
    for (const ex of t.pinned) {
      const known = ex.undecided?.[tier];
      // Claims on real images need the Fashion-MNIST data (fetched on first use, README).
      const needsImages = isImageData(ex.config);
      const skip = (needsImages && !IMAGES) || (tier === 'quick' && known !== undefined);
      const label = known ? `is undecided at the ${tier} tier, as known (${known})` : `is answered ${ex.expect}`;
      (skip ? it.skip : it)(`${t.id}: ${ex.name} ${label}`, () => {
        const r = runCheck({ theorem: t, config: ex.config, surrogate: ex.surrogate, ladder: ex.ladder, tier, seed: 1, budget: SUITE_BUDGET });
        const why = r.reasons.join('\n');
        if (known) expect(r.verdict, why).not.toBe(ex.expect === 'agree' ? 'disagree' : 'agree');
        else expect(r.verdict, why).toBe(ex.expect);
      });
    }
  }
}
