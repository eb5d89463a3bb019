// Bench section: onestep's GEMM beside NumPy/OpenBLAS's, both A·Bᵀ into a reused C at n×n with
// the same number of threads, in alternating rounds. On a shared host one side measured a minute
// after the other can differ by 10–20% from steal time alone (seen on the development machines),
// so the ratio is taken within each round, where both sides saw the same minutes, and the order
// within a round alternates so that a drifting host does not favour one side.
import { gemmIntoSeconds } from './kernel-bench.ts';
import { numpyGemm } from './numpy-side.ts';

export interface GemmComparison {
  n: number;
  /** GFLOP/s per round, best of `repeats` calls each. */
  ours: number[];
  numpy: number[];
  /** ours / numpy per round. */
  ratios: number[];
  medianRatio: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const range = (xs: readonly number[], digits: number): string => {
  const lo = Math.min(...xs).toFixed(digits);
  const hi = Math.max(...xs).toFixed(digits);
  return lo === hi ? lo : `${lo}–${hi}`;
};

/** Null without the native backend (there is no GEMM of ours to compare alone). */
export function gemmComparison(sizes: readonly number[], rounds: number, repeats: number, threads: number, log: (line: string) => void = () => {}): GemmComparison[] | null {
  if (gemmIntoSeconds(1, 1) === null) return null;
  const rows = sizes.map((n) => ({ n, ours: [] as number[], numpy: [] as number[] }));
  const oursRound = () => rows.forEach((r) => r.ours.push((2 * r.n ** 3) / gemmIntoSeconds(r.n, repeats)! / 1e9));
  const numpyRound = () => numpyGemm(sizes, repeats, threads).forEach((g, i) => rows[i].numpy.push(g.gflops));
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) [oursRound, numpyRound].forEach((f) => f());
    else [numpyRound, oursRound].forEach((f) => f());
  }
  return rows.map((r) => {
    const ratios = r.ours.map((g, i) => g / r.numpy[i]);
    const row = { ...r, ratios, medianRatio: median(ratios) };
    log(
      `GEMM vs NumPy       n=${String(r.n).padEnd(5)} onestep ${range(r.ours, 0)} GFLOP/s, NumPy ${range(r.numpy, 0)} (${threads} threads each, ${rounds} alternating rounds); ratio ${ratios.map((x) => x.toFixed(2)).join(', ')}, median ${row.medianRatio.toFixed(2)}`,
    );
    return row;
  });
}
