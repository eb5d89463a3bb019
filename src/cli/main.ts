// The `onestep` command: dispatch to sub-commands; bad input → one line on stderr and exit 2,
// an internal failure → one line and exit 1 (the stack only with ONESTEP_DEBUG=1).
import { backendsCommand } from './backends-command.ts';
import { checkCommand } from './check-command.ts';
import { degreeCommand } from './degree-command.ts';
import { figureCommand, renderCommand } from './figure-command.ts';
import { oracleCommand } from './oracle-command.ts';
import { reportCommand } from './report-command.ts';
import { badInputMessage, clip, isBadInput } from './errors.ts';
import { backendEnvError } from '../linalg/index.ts';
import { trialCommand } from './trial-command.ts';

const COMMANDS: Record<string, { run: (argv: string[]) => number | Promise<number>; summary: string }> = {
  trial: { run: trialCommand, summary: 'simulate the network and its surrogates on shared draws' },
  degree: { run: degreeCommand, summary: 'the Hermite degree the theorem prescribes at strength β' },
  check: { run: checkCommand, summary: 'judge theorems along a ladder of n: agree | disagree | inconclusive' },
  figure: { run: figureCommand, summary: 'reproduce one of the paper’s figures (JSON, SVG, Markdown; resumable)' },
  report: { run: reportCommand, summary: 'check every theorem and write report.json, report.md, index.html' },
  backends: { run: backendsCommand, summary: 'the linear-algebra backends available here and the one in use' },
  render: { run: renderCommand, summary: 're-make SVG, Markdown and HTML from figure or report JSON without re-running' },
  oracle: { run: oracleCommand, summary: 'closed-form asymptotics independent of the simulator: mm | get-de | gm-ridge' },
};

const MAIN_HELP = `onestep — a theory checker for two-layer networks after one gradient step

Usage: onestep <command> [options]   (onestep <command> --help for its options)

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Start with:
  onestep trial --n 1000 --act relu --trials 3
  onestep degree --beta 0.74
  onestep check --theorem hermite-equivalence --tier quick
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
  const entry = COMMANDS[command];
  if (!entry) {
    process.stderr.write(`onestep: unknown command '${command}' (one of ${Object.keys(COMMANDS).join(', ')}; see onestep --help)\n`);
    return 2;
  }
  const envError = backendEnvError();
  if (envError) {
    process.stderr.write(`onestep ${command}: ${clip(envError)}\n`);
    return 2;
  }
  try {
    return await entry.run(rest);
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
