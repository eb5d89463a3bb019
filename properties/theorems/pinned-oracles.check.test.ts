// Pinned claims of the closed-form oracles (Mei–Montanari, the ridge deterministic equivalent,
// the Gaussian-mixture fixed point, Cui et al.'s sRF): a file of their own so that the suite
// runs on both cores. See pinned.ts for the budget and the known-undecided rule.
import { describe } from 'vitest';
import { THEOREMS } from '../../theorems/index.ts';
import { pinnedClaims } from './pinned.ts';

const ORACLES = (id: string) => id.startsWith('oracle-') || id.startsWith('srf-');

describe(`pinned claims: oracles (${process.env.ONESTEP_TIER ?? 'quick'} tier)`, () => {
  pinnedClaims(THEOREMS.filter((t) => ORACLES(t.id)));
});
