// Bench section: seconds of one whole trial (data, step, ridge, 5m test samples, network plus
// one Hermite model) at n = m = k, the median of a few seeds after a warm-up, measured inside the
// process with the backend named.
import { availableParallelism } from 'node:os';
import { DEFAULT_CONFIG, validateConfig } from '../data/config.ts';
import { runTrial } from '../experiment/trial.ts';
import { linalg } from '../linalg/index.ts';
import { parseSurrogateList } from '../surrogates/index.ts';

export interface TrialTiming {
  n: number;
  backend: string;
  cores: number;
  /** Median over `seconds`. */
  median: number;
  seconds: number[];
  gflop: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Trials at n = m = k with the default setting and hermite:3 (the paper's β = 0.74 asks for 3). */
export function trialSection(sizes: readonly number[], repeats: number, log: (line: string) => void = () => {}): TrialTiming[] {
  const out: TrialTiming[] = [];
  for (const n of sizes) {
    const config = validateConfig({ ...DEFAULT_CONFIG, n, mRatio: 1, kRatio: 1 });
    const once = (seed: number) => runTrial({ config, seed, surrogates: parseSurrogateList('hermite:3'), degreeCap: null }).seconds;
    once(0); // warm-up: module compilation, first allocations
    const seconds = Array.from({ length: repeats }, (_, r) => once(1 + r));
    // Products computed: step forward (2n³) and gradient (2n³), ridge features (2n³), test
    // features (5·2n³), and two Gram matrices (the network's and the surrogate's, n³ each: a
    // triangle) — 18n³ flops (the count, 16n³, left the Grams out).
    const timing = { n, backend: linalg().name, cores: availableParallelism(), median: median(seconds), seconds, gflop: (18 * n ** 3) / 1e9 };
    log(`trial n=m=k=${n}: ${timing.median.toFixed(3)} s median of ${repeats} (${seconds.map((x) => x.toFixed(2)).join(', ')}; ${timing.backend}, ${timing.gflop.toFixed(0)} GFLOP in products)`);
    out.push(timing);
  }
  return out;
}
