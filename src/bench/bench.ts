// `npm run bench [-- --json] [-- --sizes 1000,2000] [-- --kernel-sizes 500,1000,2000]`: figures,
// not timed tests. Kernel GFLOP/s per size, then the seconds of one whole trial per size, with
// the backend (ONESTEP_BACKEND=reference to compare) and the core count.
import { availableParallelism, cpus } from 'node:os';
import { linalg, nativeStatus } from '../linalg/index.ts';
import { kernelSection } from './kernel-bench.ts';
import { trialSection } from './trial-bench.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const list = (flag: string, fallback: number[]): number[] => {
  const i = args.indexOf(flag);
  return i >= 0 && args[i + 1] ? args[i + 1].split(',').map(Number) : fallback;
};
const sizes = list('--sizes', [1000, 2000]);
const kernelSizes = list('--kernel-sizes', linalg().name === 'reference' ? [500, 1000] : [500, 1000, 2000]);
const log = json ? () => {} : (line: string) => console.log(line);

const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version, backend: linalg().name, native: nativeStatus };
const nativeNote = nativeStatus.available ? `native ${nativeStatus.simd}, ${nativeStatus.threads} threads` : `native: ${nativeStatus.reason}`;
log(`backend ${machine.backend} (${machine.backend === 'native' ? nativeNote : `${nativeNote}, not in use`}), ${machine.cores} cores, ${machine.cpu}`);
const kernels = kernelSection(kernelSizes, log);
const trials = trialSection(sizes, log);
if (json) console.log(JSON.stringify({ machine, kernels, trials }, null, 2));
