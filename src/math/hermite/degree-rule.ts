// The degree rule of the Hermite theorem (docs/model.md §4): with l the number of terms and D = l − 1
// the degree, the theorem covers (D−1)/D < β < D/(D+1) for D ≥ 2 and [0, ½) for D = 1, i.e.
// D = max(1, ⌈β/(1−β)⌉) on the open intervals. Boundaries β = D/(D+1) and β = 1 are not covered.

export interface DegreeInterval {
  lo: number;
  hi: number;
  loClosed: boolean;
  hiClosed: boolean;
}

export interface DegreeRule {
  /** Polynomial degree D = l − 1 (Infinity at β = 1). */
  degree: number;
  interval: DegreeInterval;
  status: 'inside' | 'boundary' | 'uncovered';
}

/** β values within this distance of a boundary D/(D+1) count as on it: decimal inputs like
 * 0.75 or 2/3 computed in floating point differ from the exact boundary by ~1e-16, while
 * the nearest boundaries up to degree 10^5 are ≥ 1e-10 apart. */
const BOUNDARY_TOLERANCE = 1e-12;

export function intervalOf(degree: number): DegreeInterval {
  if (degree === 1) return { lo: 0, hi: 0.5, loClosed: true, hiClosed: false };
  return { lo: (degree - 1) / degree, hi: degree / (degree + 1), loClosed: false, hiClosed: false };
}

export function degreeRule(beta: number): DegreeRule {
  if (!(Number.isFinite(beta) && beta >= 0 && beta <= 1)) {
    throw new RangeError(`beta: ${beta} is not allowed (a number in [0, 1])`);
  }
  if (beta >= 1 - BOUNDARY_TOLERANCE) {
    return { degree: Infinity, interval: { lo: 1, hi: 1, loClosed: true, hiClosed: true }, status: 'uncovered' };
  }
  // Nearest candidate boundary D/(D+1) = β ⇔ D = β/(1−β).
  const ratio = beta / (1 - beta);
  const nearest = Math.max(1, Math.round(ratio));
  if (Math.abs(nearest / (nearest + 1) - beta) <= BOUNDARY_TOLERANCE) {
    return { degree: nearest, interval: intervalOf(nearest), status: 'boundary' };
  }
  const degree = Math.max(1, Math.ceil(ratio));
  return { degree, interval: intervalOf(degree), status: 'inside' };
}

/** The paper caps the degree "for numerical stability" (at 4). */
export function applyDegreeCap(degree: number, cap?: number | null): number {
  return cap === undefined || cap === null ? degree : Math.min(degree, cap);
}
