// The `onestep` command: dispatch to sub-commands; bad input → one line on stderr and exit 2,
// an internal failure → one line and exit 1 (the stack only with ONESTEP_DEBUG=1).
// Each command's module, and even the error types, are imported only when a command runs, so
// that `onestep --help` and `--version` load nothing but this file (no native addon, no Vega, no
// configuration table): node's own start-up is most of their time.
import { readFileSync } from 'node:fs';

type Run = (argv: string[]) => number | Promise<number>;

const COMMANDS: Record<string, { load: () => Promise<Run>; summary: string }> = {
  trial: { load: async () => (await import('./trial-command.ts')).trialCommand, summary: 'simulate the network and its surrogates on shared draws' },
  degree: { load: async () => (await import('./degree-command.ts')).degreeCommand, summary: 'the Hermite degree the theorem prescribes at strength β' },
  check: { load: async () => (await import('./check-command.ts')).checkCommand, summary: 'judge theorems along a ladder of n: agree | disagree | inconclusive' },
  figure: { load: async () => (await import('./figure-command.ts')).figureCommand, summary: 'reproduce one of the paper’s figures (JSON, SVG, Markdown; resumable)' },
  report: { load: async () => (await import('./report-command.ts')).reportCommand, summary: 'check every theorem and write report.json, report.md, index.html' },
  backends: { load: async () => (await import('./backends-command.ts')).backendsCommand, summary: 'the linear-algebra backends available here and the one in use' },
  render: { load: async () => (await import('./figure-command.ts')).renderCommand, summary: 're-make SVG, Markdown and HTML from figure or report JSON without re-running' },
  oracle: { load: async () => (await import('./oracle-command.ts')).oracleCommand, summary: 'closed-form asymptotics independent of the simulator: mm | get-de | gm-ridge' },
};

/** The package's version, from its package.json (src/cli/ or dist/src/cli/ below the package root). */
export function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'onestep' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not at this depth
    }
  }
  return 'unknown';
}

const MAIN_HELP = `onestep — a theory checker for two-layer networks after one gradient step

Usage: onestep <command> [options]   (onestep <command> --help for its options)
       onestep --version

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Exit codes: 0 pass; 1 a claim or control missed its expected verdict (check, report) or a
configuration checked by hand disagrees; 2 bad input; 3 undecided (see onestep check --help).

Start with:
  onestep trial --n 1000 --act relu --trials 3
  onestep degree --beta 0.74
  onestep check --theorem hermite-equivalence --tier quick
  onestep report --tier quick --junit report.xml --summary "$GITHUB_STEP_SUMMARY"
  onestep oracle mm --act relu --psi1 2 --psi2 1 --lambda 1e-3 --n 400 --f1 1 --fstar 0.5 --tau 0.3
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(MAIN_HELP);
    if (command !== undefined) return 0;
    process.stderr.write(`onestep: a command is needed (one of ${Object.keys(COMMANDS).join(', ')}; see onestep --help)\n`);
    return 2;
  }
  if (command === '--version' || command === '-V') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    process.stderr.write(`onestep: unknown command '${command}' (one of ${Object.keys(COMMANDS).join(', ')}; see onestep --help)\n`);
    return 2;
  }
  // Loaded only now: the error types pull in the configuration table and the file readers.
  const { badInputMessage, clip, isBadInput } = await import('./errors.ts');
  const { backendEnvError } = await import('../linalg/index.ts');
  const { jobsEnvError } = await import('../parallel/pool.ts');
  const envError = backendEnvError() ?? jobsEnvError();
  if (envError) {
    process.stderr.write(`onestep ${command}: ${clip(envError)}\n`);
    return 2;
  }
  try {
    const run = await entry.load();
    return await run(rest);
  } catch (e) {
    if (isBadInput(e)) {
      process.stderr.write(`onestep ${command}: ${badInputMessage(e)}\n`);
      return 2;
    }
    const err = e as Error;
    process.stderr.write(`onestep ${command}: internal error: ${err?.message ?? String(e)}\n`);
    if (process.env.ONESTEP_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
    return 1;
  }
}

// Run when executed directly (tsx src/cli/main.ts …); bin/onestep.mjs calls main() itself.
if (process.argv[1] && /src[\\/]cli[\\/]main\.ts$/.test(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
