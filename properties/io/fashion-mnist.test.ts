// The Fashion-MNIST loader on a synthetic fixture directory: rows kept exactly, empty rows
// skipped and counted, and every kind of bad data input refused as a DataInputError (one line,
// exit 2 in the CLI) naming the file and what is wrong.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clearFashionCache, DataInputError, fashionMnistDir, loadFashionClass, parseClassBytes, parseClassJson, scanClass } from '../../src/io/fashion-mnist.ts';
import { fixtureImages, writeFashionFixture } from '../fixtures/fashion-fixture.ts';

describe('fashion-mnist loader', () => {
  it('keeps every pixel of every non-empty row, in order, and skips empty rows', () => {
    const dir = writeFashionFixture([0, 1], 30, { emptyRows: 2 });
    const c = loadFashionClass(1, dir);
    expect(c.count).toBe(30);
    expect(c.skipped).toBe(2);
    const want = fixtureImages(1, 30);
    expect(Array.from(c.pixels.subarray(0, 784))).toEqual(want[0]);
    expect(Array.from(c.pixels.subarray(29 * 784))).toEqual(want[29]);
    // Parsed once per process: the same object comes back.
    expect(loadFashionClass(1, dir)).toBe(c);
  });

  it('refuses an unknown class, a missing class file, corrupt files and a missing package', () => {
    const dir = writeFashionFixture([0], 5);
    expect(() => loadFashionClass(10, dir)).toThrow(/class 10 is not a Fashion-MNIST class/);
    expect(() => loadFashionClass(-1, dir)).toThrow(DataInputError);
    expect(() => loadFashionClass(3, dir)).toThrow(/class 3 is missing/);
    const bad: [string, RegExp][] = [
      ['{"data": [[1,2', /not valid JSON/],
      ['{"images": []}', /no "data" list/],
      ['{"data": []}', /no images/],
      [JSON.stringify({ data: [new Array(783).fill(0)] }), /image 0 has 783 values/],
      [JSON.stringify({ data: [[...new Array(783).fill(0), 256]] }), /pixel 783 is 256/],
      [JSON.stringify({ data: [[...new Array(783).fill(0), 1.5]] }), /pixel 783 is 1.5/],
      [JSON.stringify({ data: [[...new Array(783).fill(0), null]] }), /pixel 783 is null/],
      [JSON.stringify({ data: ['x'] }), /image 0 has no pixel list/],
    ];
    for (const [text, re] of bad) {
      writeFileSync(join(dir, '2.json'), text);
      clearFashionCache();
      expect(() => loadFashionClass(2, dir), text.slice(0, 30)).toThrow(re);
      expect(() => loadFashionClass(2, dir)).toThrow(DataInputError);
    }
    expect(() => fashionMnistDir({ ONESTEP_FASHION_MNIST_DIR: dir })).not.toThrow();
    expect(fashionMnistDir({ ONESTEP_FASHION_MNIST_DIR: dir })).toBe(dir);
  });
});

describe('class file scan (the fast path)', () => {
  const parse = (text: string) => {
    try {
      return parseClassJson(3, text, 'f');
    } catch (e) {
      return (e as Error).message;
    }
  };
  const viaBytes = (text: string) => {
    try {
      return parseClassBytes(3, Buffer.from(text), 'f');
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('reads the published layout exactly as JSON.parse does, whatever the whitespace (property)', () => {
    const row = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 784, maxLength: 784 });
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 5, arbitrary: row }, { weight: 1, arbitrary: fc.constant([] as number[]) }), { minLength: 1, maxLength: 6 }), fc.constantFrom(undefined, 1, '\t'), (rows, indent) => {
        fc.pre(rows.some((r) => r.length > 0));
        const text = JSON.stringify({ data: rows }, null, indent);
        const fast = scanClass(3, Buffer.from(text), 'f');
        expect(fast).not.toBeNull();
        expect(fast).toEqual(parseClassJson(3, text, 'f'));
      }),
      { numRuns: 40 },
    );
  });

  it('declines every other spelling, which then gets the JSON reading (same pixels or the same refusal)', () => {
    const ok = new Array(784).fill(7);
    const at = (v: string) => `{"data": [[${[...ok.slice(0, 783), v].join(',')}]]}`;
    const variants = [
      at('7.0'), at('7e0'), at('007'), at('256'), at('-1'), at('null'), at('1.5'),
      `{"data": [[${ok.slice(0, 783).join(',')}]]}`, `{"data": [[${[...ok, 1].join(',')}]]}`,
      `{"data": [[${ok.join(',')}]], "x": 1}`, `{"data": [[${ok.join(',')}]]} trailing`, `\uFEFF{"data": [[${ok.join(',')}]]}`,
      '{"data": []}', '{"data": [[1, 2', '{"images": []}', '',
    ];
    for (const text of variants) {
      expect(scanClass(3, Buffer.from(text), 'f'), text.slice(-30)).toBeNull();
      expect(viaBytes(text), text.slice(-30)).toEqual(parse(text));
    }
    // 7.0 and 7e0 are the integer 7 to JSON: accepted, through the slow path.
    expect((viaBytes(at('7.0')) as { pixels: Uint8Array }).pixels[783]).toBe(7);
  });
});
