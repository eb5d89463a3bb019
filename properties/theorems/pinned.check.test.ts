// Pinned claims of the theorems that compare the network with a surrogate (or another data
// source): see pinned.ts for the budget and the known-undecided rule.
import { describe } from 'vitest';
import { THEOREMS } from '../../theorems/index.ts';
import { pinnedClaims } from './pinned.ts';

const ORACLES = (id: string) => id.startsWith('oracle-') || id.startsWith('srf-');

describe(`pinned claims: surrogates and data (${process.env.ONESTEP_TIER ?? 'quick'} tier)`, () => {
  pinnedClaims(THEOREMS.filter((t) => !ORACLES(t.id)));
});
