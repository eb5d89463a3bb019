// Errors the command reports as one line with exit code 2 (bad input), as opposed to
// internal failures (exit 1). Library code throws ConfigError; the CLI adds UsageError.
import { ConfigError } from '../data/config.ts';
import { NpyError } from '../io/npy.ts';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function isBadInput(e: unknown): e is Error {
  return e instanceof UsageError || e instanceof ConfigError || e instanceof NpyError;
}
