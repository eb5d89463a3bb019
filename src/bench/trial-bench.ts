// Bench section: seconds of one whole trial (data, step, ridge, 5m test samples, network plus
// one Hermite model) at n = m = k, measured inside the process, with the backend named.
import { availableParallelism } from 'node:os';
import { DEFAULT_CONFIG, validateConfig } from '../data/config.ts';
import { runTrial } from '../experiment/trial.ts';
import { linalg } from '../linalg/index.ts';
import { parseSurrogateList } from '../surrogates/index.ts';

export interface TrialTiming {
  n: number;
  backend: string;
  cores: number;
  seconds: number;
  gflop: number;
}

/** One trial at n = m = k with the default setting and hermite:3. */
export function trialSection(sizes: readonly number[] = [1000, 2000], log: (line: string) => void = () => {}): TrialTiming[] {
  const out: TrialTiming[] = [];
  for (const n of sizes) {
    const config = validateConfig({ ...DEFAULT_CONFIG, n, mRatio: 1, kRatio: 1 });
    const r = runTrial({ config, seed: 1, surrogates: parseSurrogateList('hermite:3'), degreeCap: null });
    // Products: step forward (2n³) and gradient (2n³), ridge features (2n³), test features
    // (5·2n³), Gram (n³ with symmetry) — about 16n³ flops, the count.
    const timing = { n, backend: linalg().name, cores: availableParallelism(), seconds: r.seconds, gflop: (16 * n ** 3) / 1e9 };
    log(`trial n=m=k=${n}: ${r.seconds.toFixed(2)} s (${timing.backend}, ${timing.cores} cores, ~${timing.gflop.toFixed(0)} GFLOP in products)`);
    out.push(timing);
  }
  return out;
}
