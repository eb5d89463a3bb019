// Flag parsing with errors that name the flag, the value and the allowed range.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
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
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, spec] of Object.entries(table)) options[name] = { type: spec.type };
  // -h works like --help on every command.
  if (options.help) options.help.short = 'h';
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
  range: NumberRange,
): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const v = typeof raw === 'string' ? decimal(raw) : NaN;
  const { min = -Infinity, max = Infinity, integer = false, minExclusive = false, maxExclusive = false } = range;
  const okMin = minExclusive ? v > min : v >= min;
  const okMax = maxExclusive ? v < max : v <= max;
  if (!Number.isFinite(v) || !okMin || !okMax || (integer && !Number.isInteger(v))) {
    const kind = integer ? 'an integer' : 'a number';
    const lo = minExclusive ? `(${min}` : `[${min}`;
    const hi = maxExclusive ? `${max})` : `${max}]`;
    throw new UsageError(`--${name}: '${String(raw)}' is not allowed (${kind} in ${lo}, ${hi})`);
  }
  return v;
}

export interface NumberRange {
  min?: number;
  max?: number;
  integer?: boolean;
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

/** Words after the flags that a command does not take: refused, never silently ignored. */
export function refusePositionals(positionals: readonly string[], command: string): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (see onestep ${command} --help)`);
}

/**
 * Make sure `dir` is a directory we can write into, creating it (and missing parents) if
 * needed; `label` names where the path came from (e.g. '--save-npy'). Refuses a path that is a
 * file or lies under one, with one line instead of EEXIST/ENOTDIR. Creates one level at a time:
 * mkdirSync({ recursive: true }) never returns on some paths under /proc.
 */
/**
 * The output directory, created if needed, checked before any work: writable, and every file the
 * command will write there (`files`) either absent or a writable regular file — a directory or a
 * read-only file in its place would otherwise fail with a raw EISDIR or EACCES after the work.
 */
export function ensureOutputDir(label: string, dir: string, files: readonly string[] = []): string {
  const refuse = (why: string): UsageError => new UsageError(`${label}: '${dir}' ${why}`);
  const missing: string[] = [];
  let existing = resolve(dir);
  while (!existsSync(existing)) {
    missing.unshift(existing);
    existing = dirname(existing);
  }
  if (!statSync(existing).isDirectory()) {
    throw refuse(missing.length === 0 ? 'is not a directory (give a directory path)' : `cannot be created: '${existing}' is a file, not a directory`);
  }
  for (const path of missing) {
    try {
      mkdirSync(path);
    } catch (e) {
      throw refuse(`cannot be created (${(e as NodeJS.ErrnoException).code ?? (e as Error).message} at '${path}')`);
    }
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw refuse('is not writable');
  }
  for (const name of files) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    let writable = statSync(path).isFile();
    try {
      accessSync(path, constants.W_OK);
    } catch {
      writable = false;
    }
    if (!writable) throw new UsageError(`${label}: '${path}' would be overwritten but is not a writable file`);
  }
  return dir;
}

/**
 * An output file (--junit, --summary), checked before any work: its directory is created if
 * needed and writable, and the file itself absent or a writable regular file.
 */
export function ensureOutputFile(label: string, path: string): string {
  if (path === '') throw new UsageError(`${label}: '' is not allowed (a file path)`);
  ensureOutputDir(label, dirname(resolve(path)), [basename(path)]);
  return path;
}

/** The largest JSON file onestep reads (a report or figure is well under 10 MB). */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** The deepest nesting a configuration, figure or report has is under 10. */
const MAX_JSON_DEPTH = 64;

/** Nesting depth of parsed JSON, counted without recursion (a 100k-deep array must not overflow the stack). */
function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, d);
    if (d > MAX_JSON_DEPTH) break;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}

/**
 * Parse a JSON file the user pointed to; `label` names the flag it came from (null: an argument).
 * Only regular files are read (a FIFO or /dev/zero would block or never end), at most 64 MB, and
 * nested at most 64 deep.
 */
export function readJsonFile(label: string | null, path: string): unknown {
  const at = label === null ? `'${path}'` : `${label}: '${path}'`;
  let text: string;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new UsageError(`${at}: not a regular file`);
    if (stat.size > MAX_JSON_BYTES) throw new UsageError(`${at}: ${stat.size} bytes, more than the ${MAX_JSON_BYTES} a JSON input may have`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${at}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${at} is not valid JSON (${(e as Error).message.split('\n')[0].slice(0, 120)})`);
  }
  if (jsonDepth(value) > MAX_JSON_DEPTH) throw new UsageError(`${at}: JSON nested more than ${MAX_JSON_DEPTH} deep`);
  return value;
}

export function choiceFlag<T extends string>(flags: ParsedFlags, name: string, fallback: T, choices: readonly T[]): T {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name}: '${String(raw)}' is not allowed (one of ${choices.join(', ')})`);
  }
  return raw as T;
}

/**
 * A number written in decimal notation (an exponent allowed: 1e-4), else NaN. JavaScript's
 * Number() would also take '0x10', '0b1', '' and ' ' (as 16, 1, 0, 0): a typo must not run.
 */
export function decimal(text: string): number {
  const t = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

export function numberListFlag(flags: ParsedFlags, name: string): number[] | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  // Every item must be a number: '0.5,,0.5' or an empty value is refused, never read as 0.
  const parts = String(raw).split(',').map(decimal);
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

/** Time (ms) between progress lines when stderr is not a terminal (CI logs, pipes). */
const LOG_PROGRESS_EVERY_MS = 10_000;
let lastLogged = Date.now();
let loggedAny = false;

/**
 * A one-line status on stderr. On a terminal it is redrawn in place at every call; elsewhere
 * (CI, `2> file`) a plain line is written at most every 10 s, so a long run shows it is alive
 * and a short one prints nothing. `final` marks the last update of a bar. ONESTEP_PROGRESS=0
 * silences it.
 */
export function progress(message: string, final = false): void {
  if (process.env.ONESTEP_PROGRESS === '0') return;
  if (process.stderr.isTTY) {
    process.stderr.write(`\r\x1b[K${message}${final && message ? '\n' : ''}`);
    return;
  }
  const now = Date.now();
  // The closing line is written too once any line was, so a log never ends at "12/15".
  if (message && (now - lastLogged >= LOG_PROGRESS_EVERY_MS || (final && loggedAny))) {
    process.stderr.write(`${message}\n`);
    lastLogged = now;
    loggedAny = true;
  }
}
