// Flag parsing: negative numbers are values, not flags (`--align -0.5`), and unknown or
// malformed flags are refused with one line that points to --help.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FlagTable, parseFlags } from '../../src/cli/args.ts';

const TABLE: FlagTable = {
  align: { type: 'string', value: 'A', help: 'alignment' },
  json: { type: 'boolean', help: 'json' },
};

describe('flag parsing', () => {
  it('takes a negative number after a valued flag as its value, in both spellings', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: -1e-9, noNaN: true }), (v) => {
        for (const argv of [['--align', String(v), '--json'], [`--align=${v}`, '--json']]) {
          const { flags, positionals } = parseFlags(argv, TABLE);
          expect(Number(flags.align)).toBe(v);
          expect(flags.json).toBe(true);
          expect(positionals).toEqual([]);
        }
      }),
    );
  });

  it('still refuses an unknown flag, and a boolean flag does not swallow a negative number', () => {
    expect(() => parseFlags(['--nope', '1'], TABLE)).toThrow(/--nope.*see --help/);
    expect(() => parseFlags(['--json', '-1'], TABLE)).toThrow(/Unknown option '-1'/);
  });
});
