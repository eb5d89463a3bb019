// The fast path of the conditional Gaussian moments (see ./gaussian-moments.ts for the
// definitions and the table design): every (sample, neuron) entry of a shift matrix, millions
// of times per trial. tanh, sigmoid and erf read a precomputed piecewise-Chebyshev table built
// on first use; ReLU and linear use closed forms; anything else falls back to the scalar path.
import normal from '@stdlib/stats-base-dists-normal';
import type { Matrix } from '../linalg/matrix.ts';
import { type Activation, activation } from './activations.ts';
import { checkScale, gaussianMoments, INV_SQRT_2PI, type MomentMatrices } from './gaussian-moments.ts';
// ---------------------------------------------------------------------------------------------
// Tables for the smooth bounded activations.

/** Degree of the per-interval polynomials in t (unit intervals). */
const DEGREE = 13;
const NCOEF = DEGREE + 1;
/** Three tabulated functions per interval: ν, Ψ√(1+b²), Φ/q². */
const STRIDE = 3 * NCOEF;
/**
 * Chebyshev nodes per θ-panel; panels are narrower near θ = 0, where tanh's poles at ±iπ/2 make
 * the small-b moments vary fastest. With these sizes the table matches the quadrature to ≤ 3.3e-11
 * absolute in ν, Ψ and Φ (measured on b ∈ [0.001, 100] × |s| ≤ 60 and 6000 random pairs), 300×
 * inside the 1e-8 requirement. Φ's relative error can reach ~4e-7 where Φ itself is ~1e-6 (small b
 * at an inflection point of σ, where Φ ≈ b⁴σ''²/2 nearly vanishes): √Φ is still good to 1e-8.
 */
const THETA_NODES = 10;
const HALF_PI = Math.PI / 2;
const THETA_EDGES = [0, 0.12, 0.28, 0.5, 0.75, 1].map((f) => f * HALF_PI);

interface MomentTable {
  /** Half-width of the tabulated t-range: beyond it, ν = ±limit, Ψ = Φ = 0 to 1e-12. */
  readonly tMax: number;
  readonly intervals: number;
  /** ν's limits as t → −∞ and t → +∞. */
  readonly lower: number;
  readonly upper: number;
  /** Per θ-panel, per Chebyshev node: intervals × STRIDE monomial coefficients in u ∈ [−1, 1]. */
  readonly coef: Float64Array;
  /** Build time in ms, for reporting. */
  readonly buildMs: number;
}

/** First-kind Chebyshev points on [−1, 1] (descending): they avoid the ends b = 0 and b = ∞. */
function chebyshevPoints(n: number): Float64Array {
  const x = new Float64Array(n);
  for (let j = 0; j < n; j++) x[j] = Math.cos(((2 * j + 1) * Math.PI) / (2 * n));
  return x;
}

const THETA_CHEB = chebyshevPoints(THETA_NODES);
/** Barycentric weights of first-kind Chebyshev points: (−1)^j sin((2j+1)π/(2n)). */
const THETA_BARY = THETA_CHEB.map((_, j) => (j % 2 === 0 ? 1 : -1) * Math.sin(((2 * j + 1) * Math.PI) / (2 * THETA_NODES)));
const T_CHEB = chebyshevPoints(NCOEF);

/** Monomial coefficients of T_0..T_{n−1} (row k holds T_k), for Chebyshev → monomial conversion. */
const CHEB_TO_MONO: Float64Array[] = (() => {
  const rows: Float64Array[] = [Float64Array.of(1), Float64Array.of(0, 1)];
  for (let k = 2; k < NCOEF; k++) {
    const r = new Float64Array(k + 1);
    const a = rows[k - 1];
    const c = rows[k - 2];
    for (let i = 0; i < a.length; i++) r[i + 1] += 2 * a[i];
    for (let i = 0; i < c.length; i++) r[i] -= c[i];
    rows.push(r);
  }
  return rows;
})();

/** Monomial coefficients (in u) of the interpolant through values at T_CHEB, written into out. */
function fitInterval(values: Float64Array, out: Float64Array, offset: number): void {
  out.fill(0, offset, offset + NCOEF);
  for (let k = 0; k < NCOEF; k++) {
    // Discrete Chebyshev transform: exact for first-kind points.
    let a = 0;
    for (let j = 0; j < NCOEF; j++) a += values[j] * Math.cos((k * (2 * j + 1) * Math.PI) / (2 * NCOEF));
    a *= (k === 0 ? 1 : 2) / NCOEF;
    const mono = CHEB_TO_MONO[k];
    for (let i = 0; i < mono.length; i++) out[offset + i] += a * mono[i];
  }
}

/**
 * Tabulate an ODD activation (tanh, erf): then ν(b, −s) = −ν(b, s) while Ψ and Φ are even in s,
 * so only t ≥ 0 is integrated and the mirror interval gets the coefficients of u ↦ −u (with ν's
 * sign flipped) — half the quadratures.
 */
function buildTable(act: Activation, tMax: number, lower: number, upper: number): MomentTable {
  const start = performance.now();
  const intervals = 2 * tMax;
  const panels = THETA_EDGES.length - 1;
  const perNode = intervals * STRIDE;
  const coef = new Float64Array(panels * THETA_NODES * perNode);
  const nu = new Float64Array(NCOEF);
  const psi = new Float64Array(NCOEF);
  const phi = new Float64Array(NCOEF);
  for (let p = 0; p < panels; p++) {
    const q0 = THETA_EDGES[p];
    const q1 = THETA_EDGES[p + 1];
    for (let j = 0; j < THETA_NODES; j++) {
      const theta = (q0 + q1) / 2 + ((q1 - q0) / 2) * THETA_CHEB[j];
      const b = Math.tan(theta);
      const root = 1 / Math.cos(theta); // √(1+b²)
      const q = Math.sin(theta) ** 2; // b²/(1+b²)
      const base = (p * THETA_NODES + j) * perNode;
      for (let iv = tMax; iv < intervals; iv++) {
        for (let c = 0; c < NCOEF; c++) {
          const t = -tMax + iv + (1 + T_CHEB[c]) / 2;
          const m = gaussianMoments(act, b, t * root);
          nu[c] = m.nu;
          psi[c] = m.psi * root;
          phi[c] = m.phi / (q * q);
        }
        const at = base + iv * STRIDE;
        fitInterval(nu, coef, at);
        fitInterval(psi, coef, at + NCOEF);
        fitInterval(phi, coef, at + 2 * NCOEF);
        const mirror = base + (intervals - 1 - iv) * STRIDE;
        for (let d = 0; d < NCOEF; d++) {
          const sign = d % 2 === 0 ? 1 : -1;
          coef[mirror + d] = -sign * coef[at + d];
          coef[mirror + NCOEF + d] = sign * coef[at + NCOEF + d];
          coef[mirror + 2 * NCOEF + d] = sign * coef[at + 2 * NCOEF + d];
        }
      }
    }
  }
  return { tMax, intervals, lower, upper, coef, buildMs: performance.now() - start };
}

type TableName = 'tanh' | 'erf';
const tables = new Map<TableName, MomentTable>();

/**
 * The table of an activation, built on first use (~once per process). tMax: tanh's slowest tail
 * is at b → 0, 1 − tanh(s) ≈ 2e^{−2s} < 1e-12 needs s > 14.5; erf's is at b → ∞, where
 * Ψ√(1+b²) → (2/√(2π))e^{−t²/2} < 1e-12 needs t > 7.4.
 */
function table(name: TableName): MomentTable {
  let t = tables.get(name);
  if (!t) {
    t = name === 'tanh' ? buildTable(activation('tanh'), 15, -1, 1) : buildTable(activation('erf'), 8, -1, 1);
    tables.set(name, t);
  }
  return t;
}

export interface MomentTableInfo {
  /** Wall time of the (one-off, lazy) build. */
  readonly buildMs: number;
  /** |t| = |s|/√(1+b²) beyond which the limits are returned. */
  readonly tMax: number;
  /** Size of the coefficient table. */
  readonly bytes: number;
}

/** The tanh (which also serves sigmoid) and erf tables' vital statistics, building them if needed. */
export function momentTableInfo(): Record<TableName, MomentTableInfo> {
  const info = (t: MomentTable): MomentTableInfo => ({ buildMs: t.buildMs, tMax: t.tMax, bytes: t.coef.byteLength });
  return { tanh: info(table('tanh')), erf: info(table('erf')) };
}

/**
 * Barycentric interpolation weights in θ for one neuron (normalised to sum 1) written to
 * w[offset..offset+THETA_NODES); returns the θ-panel they refer to.
 */
function thetaWeights(theta: number, w: Float64Array, offset: number): number {
  let p = 0;
  while (p < THETA_EDGES.length - 2 && theta > THETA_EDGES[p + 1]) p++;
  const q0 = THETA_EDGES[p];
  const q1 = THETA_EDGES[p + 1];
  const x = (2 * theta - q0 - q1) / (q1 - q0);
  let sum = 0;
  for (let j = 0; j < THETA_NODES; j++) {
    const d = x - THETA_CHEB[j];
    if (d === 0) {
      // On a node: the barycentric formula is 0/0 there, the interpolant is the node's value.
      w.fill(0, offset, offset + THETA_NODES);
      w[offset + j] = 1;
      return p;
    }
    w[offset + j] = THETA_BARY[j] / d;
    sum += w[offset + j];
  }
  for (let j = 0; j < THETA_NODES; j++) w[offset + j] /= sum;
  return p;
}

/**
 * One interval of one neuron's slice: its STRIDE coefficients as Σ_j w_j coef[panel, j, interval].
 * Done on first use, so a call with few samples pays for the intervals it touches, not all.
 */
function fillInterval(
  tab: MomentTable,
  panel: number,
  w: Float64Array,
  wOffset: number,
  interval: number,
  slice: Float64Array,
  offset: number,
): void {
  const perNode = tab.intervals * STRIDE;
  const coef = tab.coef;
  slice.fill(0, offset, offset + STRIDE);
  for (let j = 0; j < THETA_NODES; j++) {
    const wj = w[wOffset + j];
    const src = (panel * THETA_NODES + j) * perNode + interval * STRIDE;
    for (let c = 0; c < STRIDE; c++) slice[offset + c] += wj * coef[src + c];
  }
}

/** Neurons per block: their slices (10 kB each for tanh) stay in cache while rows stream by. */
const BLOCK = 16;

/**
 * Table evaluation at (bScale·b, sScale·s), then ν ← nuMul·ν + nuAdd, Ψ ← psiMul·Ψ, Φ ← phiMul·Φ.
 * Identity for tanh and erf. Sigmoid: sigmoid(x) = (1 + tanh(x/2))/2 gives ν = (1 + ν_tanh)/2,
 * Ψ = Ψ_tanh/4 (chain rule ½·½) and Φ = Φ_tanh/4 (Var σ is Var tanh/4, and
 * b²Ψ² = (b/2)²Ψ_tanh²/4), all at (b/2, s/2).
 */
function tableMoments(
  tab: MomentTable,
  bs: Float64Array,
  shifts: Matrix,
  out: MomentMatrices,
  bScale: number,
  sScale: number,
  nuMul: number,
  nuAdd: number,
  psiMul: number,
  phiMul: number,
): void {
  const k = shifts.cols;
  const rows = shifts.rows;
  const perNode = tab.intervals * STRIDE;
  const intervals = tab.intervals;
  const slices = new Float64Array(Math.min(BLOCK, k) * perNode);
  const built = new Uint8Array(BLOCK * intervals);
  const weights = new Float64Array(BLOCK * THETA_NODES);
  const panels = new Int32Array(BLOCK);
  const invRoot = new Float64Array(BLOCK);
  const qq = new Float64Array(BLOCK);
  const sd = shifts.data;
  const nuD = out.nu.data;
  const psiD = out.psi.data;
  const phiD = out.phi.data;
  const tMax = tab.tMax;
  const lower = nuMul * tab.lower + nuAdd;
  const upper = nuMul * tab.upper + nuAdd;
  for (let i0 = 0; i0 < k; i0 += BLOCK) {
    const i1 = Math.min(i0 + BLOCK, k);
    for (let i = i0; i < i1; i++) {
      const b = bs[i] * bScale;
      const b2 = b * b;
      // Written so that b² = ∞ (b > 1e154) still gives q = 1 rather than ∞/∞.
      const q = 1 / (1 + 1 / b2);
      invRoot[i - i0] = 1 / Math.hypot(1, b);
      qq[i - i0] = q * q;
      panels[i - i0] = thetaWeights(Math.atan(b), weights, (i - i0) * THETA_NODES);
    }
    built.fill(0);
    for (let r = 0; r < rows; r++) {
      const rowBase = r * k;
      for (let i = i0; i < i1; i++) {
        const e = rowBase + i;
        const ir = invRoot[i - i0];
        const t = sd[e] * sScale * ir;
        if (!(t > -tMax && t < tMax)) {
          // Beyond the table every moment is within 1e-12 of its limit (NaN stays NaN).
          nuD[e] = t < 0 ? lower : t > 0 ? upper : NaN;
          psiD[e] = t === t ? 0 : NaN;
          phiD[e] = t === t ? 0 : NaN;
          continue;
        }
        const x = t + tMax;
        // t just below tMax can round x up to 2·tMax: keep it in the last interval (u = 1).
        const iv = x < intervals ? Math.floor(x) : intervals - 1;
        const u = 2 * (x - iv) - 1;
        const slot = (i - i0) * intervals + iv;
        const c = slot * STRIDE;
        if (built[slot] === 0) {
          fillInterval(tab, panels[i - i0], weights, (i - i0) * THETA_NODES, iv, slices, c);
          built[slot] = 1;
        }
        // Three interleaved Horner chains, highest coefficient first.
        let a0 = slices[c + DEGREE];
        let a1 = slices[c + NCOEF + DEGREE];
        let a2 = slices[c + 2 * NCOEF + DEGREE];
        for (let d = DEGREE - 1; d >= 0; d--) {
          a0 = a0 * u + slices[c + d];
          a1 = a1 * u + slices[c + NCOEF + d];
          a2 = a2 * u + slices[c + 2 * NCOEF + d];
        }
        nuD[e] = nuMul * a0 + nuAdd;
        psiD[e] = psiMul * a1 * ir;
        const ph = phiMul * a2 * qq[i - i0];
        phiD[e] = ph > 0 ? ph : 0;
      }
    }
  }
}

function checkShapes(b: Float64Array, shifts: Matrix, out: MomentMatrices): void {
  if (b.length !== shifts.cols) {
    throw new RangeError(`${b.length} scales for ${shifts.cols} neurons (shift columns)`);
  }
  for (const [name, m] of Object.entries(out) as [string, Matrix][]) {
    if (m.rows !== shifts.rows || m.cols !== shifts.cols) {
      throw new RangeError(`out.${name} is ${m.rows}x${m.cols}, shifts are ${shifts.rows}x${shifts.cols}`);
    }
  }
  for (let i = 0; i < b.length; i++) checkScale(b[i]);
}

/**
 * Conditional moments for every entry: out.nu[r, i] = ν(b_i, shifts[r, i]), likewise Ψ and Φ.
 * Rows are samples, columns neurons (b holds one scale per column). Accurate to ~1e-10 for all
 * b ≥ 0 and finite s (see properties/math/gaussian-moments.test.ts); no allocation per entry.
 */
export function conditionalMoments(act: Activation, b: Float64Array, shifts: Matrix, out: MomentMatrices): void {
  checkShapes(b, shifts, out);
  const k = shifts.cols;
  const n = shifts.rows * k;
  const sd = shifts.data;
  const nuD = out.nu.data;
  const psiD = out.psi.data;
  const phiD = out.phi.data;
  switch (act.name) {
    case 'tanh':
      return tableMoments(table('tanh'), b, shifts, out, 1, 1, 1, 0, 1, 1);
    case 'sigmoid':
      return tableMoments(table('tanh'), b, shifts, out, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25);
    case 'erf':
      return tableMoments(table('erf'), b, shifts, out, 1, 1, 1, 0, 1, 1);
    case 'linear':
      for (let e = 0; e < n; e++) {
        nuD[e] = sd[e];
        psiD[e] = 1;
        phiD[e] = 0;
      }
      return;
    case 'relu':
      for (let e = 0, i = 0; e < n; e++, i = i + 1 === k ? 0 : i + 1) {
        const bi = b[i];
        const s = sd[e];
        if (bi === 0) {
          nuD[e] = s > 0 ? s : 0;
          psiD[e] = s > 0 ? 1 : 0;
          phiD[e] = 0;
          continue;
        }
        const t = s / bi;
        const a = Math.abs(t);
        const p = 0.5 * erfcPos(a * Math.SQRT1_2);
        const dens = INV_SQRT_2PI * Math.exp(-0.5 * a * a);
        const cdfT = t >= 0 ? 1 - p : p;
        nuD[e] = s * cdfT + bi * dens;
        psiD[e] = cdfT;
        const ph = bi * bi * ((a * a + 1) * p * (1 - p) - a * dens * (1 - 2 * p) - dens * dens);
        phiD[e] = ph > 0 ? ph : 0;
      }
      return;
    default:
      // Any other activation: the accurate scalar path, entry by entry (slow but correct).
      for (let e = 0, i = 0; e < n; e++, i = i + 1 === k ? 0 : i + 1) {
        const m = gaussianMoments(act, b[i], sd[e]);
        nuD[e] = m.nu;
        psiD[e] = m.psi;
        phiD[e] = m.phi;
      }
  }
}

/** erfc(x) for x ≥ 0 via the normal tail (stdlib's erfc, accurate in the far tail). */
function erfcPos(x: number): number {
  return 2 * normal.cdf(-x * Math.SQRT2, 0, 1);
}
