// `npm run bench [-- --json] [-- --sizes 1000,2000] [-- --kernel-sizes 500,1000,2000] [-- --repeats 5]
// [-- --sweep 400,40] [-- --no-numpy]`, compiled first (so that worker threads start from
// JavaScript, as the installed CLI's do): figures, not timed tests, in one run:
//   1. GFLOP/s of each product kernel and the Cholesky solve; the GEMM beside NumPy/OpenBLAS's
//      A·Bᵀ with as many threads (when python3 and NumPy are present), in alternating rounds, and
//      the ratio in each round;
//   2. one whole trial (median of --repeats seeds) beside the same trial in NumPy, and the ratio;
//   3. a sweep of independent trials on 1 worker and on every core, its speed-up, and whether the
//      numbers were the same.
import { availableParallelism, cpus } from 'node:os';
import { linalg, nativeStatus } from '../linalg/index.ts';
import { kernelSection } from './kernel-bench.ts';
import { gemmComparison } from './gemm-comparison.ts';
import { numpyMissing, numpyTrial } from './numpy-side.ts';
import { oneThreadSweepSeconds, sweepSection } from './sweep-bench.ts';
import { trialSection } from './trial-bench.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const list = (flag: string, fallback: number[]): number[] => {
  const i = args.indexOf(flag);
  return i >= 0 && args[i + 1] ? args[i + 1].split(',').map(Number) : fallback;
};
const sizes = list('--sizes', [1000, 2000]);
const kernelSizes = list('--kernel-sizes', linalg().name === 'reference' ? [500, 1000] : [500, 1000, 2000]);
const [repeats] = list('--repeats', [5]);
const [sweepN, sweepTrials] = list('--sweep', [400, 40]);
const log = json ? () => {} : (line: string) => console.log(line);

const cores = availableParallelism();
const threads = nativeStatus.threads ?? 1;
const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores, node: process.version, backend: linalg().name, native: nativeStatus };
const nativeNote = nativeStatus.available ? `native ${nativeStatus.simd}, ${nativeStatus.threads} threads` : `native: ${nativeStatus.reason}`;
log(`backend ${machine.backend} (${machine.backend === 'native' ? nativeNote : `${nativeNote}, not in use`}), ${cores} cores, ${machine.cpu}`);
const blk = nativeStatus.blocking;
if (blk) log(`GEMM blocks: ${blk.mr}×${blk.nr} tile, KC ${blk.kc}, MC ${blk.mc}, NC ${blk.nc} (from ${blk.source}: L1d ${blk.l1 / 1024} KB, L2 ${blk.l2 / 1024} KB, L3 ${blk.l3 / 1048576} MB)`);
const missing = args.includes('--no-numpy') ? 'not asked for (--no-numpy)' : numpyMissing();
if (missing) log(`NumPy: ${missing}; onestep's figures only`);

const kernels = kernelSection(kernelSizes, log);
// mulABt, mulAB, mulAtB with a fresh result each call (page faults included; a trial mostly
// gets recycled storage since round 4), beside the median of NumPy's rounds above.
const comparison = missing ? null : gemmComparison(kernelSizes, 3, 5, threads, log);
for (const g of comparison ?? []) {
  const numpyMedian = [...g.numpy].sort((a, b) => a - b)[Math.floor(g.numpy.length / 2)];
  const products = kernels.filter((k) => k.size === g.n && k.kernel.startsWith('mul'));
  if (products.length) log(`products into fresh results n=${g.n}: ${(Math.min(...products.map((k) => k.gflops)) / numpyMedian).toFixed(2)}–${(Math.max(...products.map((k) => k.gflops)) / numpyMedian).toFixed(2)}× NumPy's median GEMM`);
}

const trials = trialSection(sizes, repeats, log);
// A trial against its flop time: its products' flops at the speed the GEMM reached above.
for (const t of trials) {
  const gemm = kernels.find((k) => k.size === t.n && k.kernel.startsWith('gemm'));
  if (gemm) log(`trial n=m=k=${t.n}: ${(t.median / (t.gflop / gemm.gflops)).toFixed(2)}× its flop time (${t.gflop.toFixed(0)} GFLOP at the GEMM's ${gemm.gflops.toFixed(0)} GFLOP/s above: ${((1000 * t.gflop) / gemm.gflops).toFixed(0)} ms)`);
}
const numpyTrials = missing ? null : sizes.map((n) => numpyTrial(n, repeats, threads));
for (const t of numpyTrials ?? []) {
  const ours = trials.find((x) => x.n === t.n)!;
  log(`NumPy trial n=m=k=${t.n}: ${t.median.toFixed(3)} s median of ${t.seconds.length} (${threads} BLAS threads); onestep/NumPy = ${(ours.median / t.median).toFixed(2)}`);
}

const sweep = sweepSection(sweepN, sweepTrials, cores > 1 ? [1, cores] : [1], log);
const oneThread = cores > 1 ? oneThreadSweepSeconds(sweepN, sweepTrials) : null;
if (oneThread !== null) {
  const widest = sweep[sweep.length - 1];
  log(`sweep ${sweepTrials} trials n=${sweepN}: --jobs 1 on one kernel thread ${oneThread.toFixed(2).padStart(7)} s  (--jobs ${widest.jobs} takes ${(widest.seconds / oneThread).toFixed(2)}× of it: the baseline where a lone trial leaves the other cores idle)`);
}
if (json) console.log(JSON.stringify({ machine, kernels, gemmComparison: comparison, trials, numpyTrials, sweep, sweepOneKernelThreadSeconds: oneThread }, null, 2));
