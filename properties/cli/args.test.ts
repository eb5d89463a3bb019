// Flag parsing: negative numbers are values, not flags (`--align -0.5`), and unknown or
// malformed flags are refused with one line that points to --help.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimal, type FlagTable, numberListFlag, parseFlags } from '../../src/cli/args.ts';

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

describe('numbers on the command line', () => {
  it('are decimal: every double JavaScript prints round-trips, other notations and blanks are NaN', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        expect(decimal(String(v))).toBe(v === 0 ? 0 : v);
      }),
    );
    for (const bad of ['0x10', '0b1', '0o7', '', ' ', '1e', '--1', '1,5', 'Infinity', 'NaN', '1_000']) expect(decimal(bad)).toBeNaN();
    for (const [text, v] of [['.5', 0.5], ['5.', 5], ['+2', 2], ['1e-4', 1e-4], [' 40 ', 40]] as const) expect(decimal(text)).toBe(v);
  });

  it('lists refuse empty items instead of reading them as 0', () => {
    expect(numberListFlag({ rho: '0.2,0.8' }, 'rho')).toEqual([0.2, 0.8]);
    for (const bad of ['0.5,,0.5', '', ',', '0.5,']) expect(() => numberListFlag({ rho: bad }, 'rho')).toThrow(/--rho: .* is not allowed \(comma-separated numbers\)/);
  });
});
