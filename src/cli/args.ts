// Flag parsing with errors that name the flag, the value and the allowed range.
import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';

export interface FlagSpec {
  /** 'boolean' flags take no value. */
  type: 'string' | 'boolean';
  /** Placeholder shown in --help, e.g. 'N'. */
  value?: string;
  help: string;
  /** Default as shown in --help (applied by the command, not by the parser). */
  default?: string;
}

export type FlagTable = Record<string, FlagSpec>;
export type ParsedFlags = Record<string, string | boolean | undefined>;

export function parseFlags(argv: string[], table: FlagTable): { flags: ParsedFlags; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, spec] of Object.entries(table)) options[name] = { type: spec.type };
  try {
    const { values, positionals } = parseArgs({ args: joinNegativeValues(argv, table), options, strict: true, allowPositionals: true });
    return { flags: values as ParsedFlags, positionals };
  } catch (e) {
    // Node's messages are clear but long; keep the first sentence and point to --help.
    const msg = (e as Error).message.split('\n')[0].replace(/\. To specify.*$/, '');
    throw new UsageError(`${msg} (see --help)`);
  }
}

/**
 * `--align -0.5` means the value −0.5, but Node's parser reads '-0.5' as a flag and refuses it.
 * Rewrite it as `--align=-0.5` when the flag takes a value and the next word is a number.
 */
function joinNegativeValues(argv: string[], table: FlagTable): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    const next = argv[i + 1];
    const name = word.startsWith('--') && !word.includes('=') ? word.slice(2) : null;
    if (name !== null && table[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d|Infinity)/.test(next)) {
      out.push(`${word}=${next}`);
      i++;
    } else out.push(word);
  }
  return out;
}

export function numberFlag(
  flags: ParsedFlags,
  name: string,
  fallback: number,
  range: { min?: number; max?: number; integer?: boolean; minExclusive?: boolean },
): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  const { min = -Infinity, max = Infinity, integer = false, minExclusive = false } = range;
  const okMin = minExclusive ? v > min : v >= min;
  if (!Number.isFinite(v) || !okMin || v > max || (integer && !Number.isInteger(v))) {
    const kind = integer ? 'an integer' : 'a number';
    const lo = minExclusive ? `(${min}` : `[${min}`;
    throw new UsageError(`--${name}: '${String(raw)}' is not allowed (${kind} in ${lo}, ${max}])`);
  }
  return v;
}

export function choiceFlag<T extends string>(flags: ParsedFlags, name: string, fallback: T, choices: readonly T[]): T {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name}: '${String(raw)}' is not allowed (one of ${choices.join(', ')})`);
  }
  return raw as T;
}

export function numberListFlag(flags: ParsedFlags, name: string): number[] | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const parts = String(raw).split(',').map((s) => Number(s.trim()));
  if (parts.length === 0 || parts.some((v) => !Number.isFinite(v))) {
    throw new UsageError(`--${name}: '${String(raw)}' is not allowed (comma-separated numbers)`);
  }
  return parts;
}

export function helpText(usage: string, description: string, table: FlagTable, examples: string[]): string {
  const rows = Object.entries(table).map(([name, s]) => {
    const left = `  --${name}${s.value ? ` ${s.value}` : ''}`;
    const def = s.default !== undefined ? ` [default: ${s.default}]` : '';
    return `${left.padEnd(30)} ${s.help}${def}`;
  });
  return [`Usage: ${usage}`, '', description, '', 'Options:', ...rows, '', 'Examples:', ...examples.map((e) => `  ${e}`), ''].join('\n');
}

/** A one-line status on stderr, redrawn in place; only on a terminal, so logs and pipes stay clean. */
export function progress(message: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${message}`);
}
