// `onestep backends`: which linear-algebra backends this installation has, which one is in use,
// and, for the native one, why it is or is not available.
import { backendNames, linalg, nativeStatus } from '../linalg/index.ts';
import { type FlagTable, helpText, parseFlags } from './args.ts';

const FLAGS: FlagTable = {
  json: { type: 'boolean', help: 'print JSON' },
  help: { type: 'boolean', help: 'show this help' },
};

const HELP = helpText(
  'onestep backends [--json]',
  [
    'The linear-algebra backends: `reference` (plain TypeScript, always there) and `native`',
    '(C++ kernels built at npm install; rebuild with `npm run build:native`). The default is native',
    'when it loaded. Choose one with `--backend B` on onestep trial or ONESTEP_BACKEND=B for any',
    'command; ONESTEP_THREADS=N sets the native kernels’ threads. Results agree to ~1e-13.',
  ].join('\n'),
  FLAGS,
  ['onestep backends', 'ONESTEP_BACKEND=reference onestep trial --n 300'],
);

export function backendsCommand(argv: string[]): number {
  const { flags } = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const out = { available: backendNames(), current: linalg().name, native: nativeStatus };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return 0;
  }
  const native = nativeStatus.available
    ? `native: loaded (${nativeStatus.simd}, ${nativeStatus.threads} threads)`
    : `native: not available — ${nativeStatus.reason}`;
  process.stdout.write(`backends: ${out.available.join(', ')} (in use: ${out.current})\n${native}\n`);
  return 0;
}
