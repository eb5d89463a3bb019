// Errors the command reports as one line with exit code 2 (bad input), as opposed to
// internal failures (exit 1). Library code throws ConfigError; the CLI adds UsageError.
import { ConfigError, configField } from '../data/config.ts';
import { DataInputError } from '../io/fashion-mnist.ts';
import { NpyError } from '../io/npy.ts';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function isBadInput(e: unknown): e is Error {
  return e instanceof UsageError || e instanceof ConfigError || e instanceof NpyError || e instanceof DataInputError;
}

/** A config field that is also a flag name (lower case, dashes): 'n', 'm-ratio', 'rho' … */
const FLAG_LIKE = /^[a-z][a-z0-9-]*$/;

/**
 * The one line printed for bad input. A ConfigError that reaches the top came from the
 * command line (file contents are wrapped by `fieldsOfFile`), and its field names the flag:
 * print it as `--field`.
 */
export function badInputMessage(e: Error): string {
  return clip(e instanceof ConfigError && FLAG_LIKE.test(e.field) ? `--${e.message}` : e.message);
}

/** The most a refusal may hold (its line, with "onestep <command>: ", stays under 300 characters): a value the user gave (a 50 MB list, say) is cut, not echoed. */
export const MAX_MESSAGE = 260;

export function clip(message: string): string {
  const line = message.replace(/\s*\n\s*/g, ' ');
  return line.length <= MAX_MESSAGE ? line : `${line.slice(0, MAX_MESSAGE - 40)}… (${line.length} characters in all)`;
}

/**
 * Run `fn` on values read from a file: a ConfigError then names the file and the key as it is
 * spelt there (the field's key: 'm-ratio' → 'mRatio', from CONFIG_FIELDS), not a flag the user
 * never gave.
 */
export function fieldsOfFile<T>(label: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const key = configField(e.field)?.key ?? e.field;
    throw new UsageError(`${label}: ${key}${e.message.slice(e.field.length)}`);
  }
}
