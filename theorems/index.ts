// The registry of claims the checker knows.
import { conditionalGaussianEquivalence } from './conditional-gaussian-equivalence.ts';
import { dataUniversality } from './data-universality.ts';
import { degreeRuleTheorem } from './degree-rule.ts';
import { gaussianEquivalence } from './gaussian-equivalence.ts';
import { gradientSpike } from './gradient-spike.ts';
import { hermiteEquivalence } from './hermite-equivalence.ts';
import { oracleGetDe } from './oracle-get-de.ts';
import { oracleGmRidge } from './oracle-gm-ridge.ts';
import { oracleMeiMontanari } from './oracle-mei-montanari.ts';
import { srfAsymptotics } from './srf-asymptotics.ts';
import { srfEquivalence } from './srf-equivalence.ts';
import type { Theorem } from './types.ts';

export const THEOREMS: readonly Theorem[] = [
  hermiteEquivalence,
  conditionalGaussianEquivalence,
  gradientSpike,
  degreeRuleTheorem,
  gaussianEquivalence,
  oracleMeiMontanari,
  oracleGetDe,
  oracleGmRidge,
  srfAsymptotics,
  srfEquivalence,
  dataUniversality,
];

export function theoremById(id: string): Theorem | undefined {
  return THEOREMS.find((t) => t.id === id);
}

export type { Theorem } from './types.ts';
