// NumPy .npy I/O: bitwise round trips, header layout, error paths, and (when python3 with
// NumPy is present) interoperability with NumPy itself.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, NpyError, readMatrix, readNpy, readVector, writeNpy } from '../../src/io/npy.ts';

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
if (!hasNumpy) console.warn('npy: python3 with NumPy not found; NumPy interoperability tests are skipped');

function bits(a: Float64Array): string[] {
  return Array.from(new BigUint64Array(a.buffer, a.byteOffset, a.length), (b) => b.toString(16));
}

describe('npy encode/decode', () => {
  it('round-trips any shape and any double bit for bit, data aligned to 64 bytes', () => {
    // Shapes first, then exactly as many doubles (NaN, ±0, ±∞ and subnormals included).
    const arbArray = fc
      .array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 })
      .chain((shape) => {
        const count = shape.reduce((a, b) => a * b, 1);
        return fc.tuple(fc.constant(shape), fc.array(fc.double(), { minLength: count, maxLength: count }));
      });
    fc.assert(
      fc.property(arbArray, ([shape, values]) => {
        const data = Float64Array.from(values);
        const bytes = encodeNpy(shape, data);
        expect((bytes.length - data.length * 8) % 64).toBe(0);
        const back = decodeNpy(bytes);
        expect(back.shape).toEqual(shape);
        expect(bits(back.data)).toEqual(bits(data));
      }),
      { numRuns: 200 },
    );
  });

  it('reports bad magic, truncated data, unsupported dtypes and wrong shapes', () => {
    expect(() => decodeNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]))).toThrow(/bad magic/);
    const good = encodeNpy([2, 3], new Float64Array(6));
    expect(() => decodeNpy(good.subarray(0, good.length - 8))).toThrow(/truncated data: expected 48 bytes, got 40/);
    const text = new TextDecoder().decode(good).replace("'<f8'", "'<c16'");
    expect(() => decodeNpy(new TextEncoder().encode(text))).toThrow(NpyError);
    expect(() => encodeNpy([2, 2], new Float64Array(3))).toThrow(/holds 4 values, got 3/);
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    writeNpy(join(dir, 'v.npy'), [3], new Float64Array(3));
    expect(() => readMatrix(join(dir, 'v.npy'))).toThrow(/expected a 2-D array, got shape \(3\)/);
    expect(() => readNpy(join(dir, 'missing.npy'))).toThrow(/cannot read \(ENOENT\)/);
    // More bytes than the header describes.
    const long = new Uint8Array(good.length + 8);
    long.set(good);
    expect(() => decodeNpy(long)).toThrow(/8 bytes beyond the 48 its header's shape \(2, 3\)/);
  });

  it('arrays for arithmetic: every value finite, never empty, never a special file; the file and the first bad entry named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
        fc.nat(),
        (rows, cols, bad, where) => {
          const data = Float64Array.from({ length: rows * cols }, (_, i) => i / 7);
          const at = where % data.length;
          data[at] = bad;
          const path = join(dir, 'm.npy');
          writeNpy(path, [rows, cols], data);
          const entry = `[${Math.floor(at / cols)}, ${at % cols}]`;
          expect(() => readMatrix(path)).toThrow(`${path}: entry ${entry} is ${bad} (every value must be finite)`);
          writeNpy(path, [rows * cols], data);
          expect(() => readVector(path)).toThrow(`${path}: entry [${at}] is ${bad}`);
        },
      ),
      { numRuns: 30 },
    );
    writeNpy(join(dir, 'e.npy'), [0, 4], new Float64Array(0));
    expect(() => readMatrix(join(dir, 'e.npy'))).toThrow(/empty array \(shape \(0, 4\)\)/);
    writeNpy(join(dir, 'e1.npy'), [0], new Float64Array(0));
    expect(() => readVector(join(dir, 'e1.npy'))).toThrow(/empty array/);
    expect(() => readNpy(dir)).toThrow(/not a regular file/);
  });
});

describe.skipIf(!hasNumpy)('interoperability with NumPy', () => {
  it('NumPy reads our files exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    const data = Float64Array.from({ length: 12 }, (_, i) => (i - 5.5) / 3);
    data[3] = -0;
    data[4] = Number.MIN_VALUE;
    writeNpy(join(dir, 'a.npy'), [3, 4], data);
    const r = spawnSync('python3', ['-c', `import numpy as np; a = np.load('${join(dir, 'a.npy')}'); print(a.shape, a.dtype, a.tobytes().hex())`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`(3, 4) float64 ${Buffer.from(data.buffer).toString('hex')}`);
  });

  it('we read what NumPy writes: <f8, <f4, <i8, >f8, Fortran order, 0-d', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    const script = `
import numpy as np
a = np.arange(12, dtype=np.float64).reshape(3, 4) / 7
np.save('${dir}/f8.npy', a)
np.save('${dir}/f4.npy', a.astype(np.float32))
np.save('${dir}/i8.npy', np.arange(-3, 3, dtype=np.int64))
np.save('${dir}/be.npy', a.astype('>f8'))
np.save('${dir}/fo.npy', np.asfortranarray(a))
np.save('${dir}/scalar.npy', np.float64(2.5))
`;
    writeFileSync(join(dir, 'make.py'), script);
    expect(spawnSync('python3', [join(dir, 'make.py')]).status).toBe(0);
    const expected = Array.from({ length: 12 }, (_, i) => i / 7);
    expect(Array.from(readNpy(join(dir, 'f8.npy')).data)).toEqual(expected);
    expect(Array.from(readNpy(join(dir, 'be.npy')).data)).toEqual(expected);
    expect(Array.from(readNpy(join(dir, 'fo.npy')).data)).toEqual(expected);
    expect(readNpy(join(dir, 'fo.npy')).shape).toEqual([3, 4]);
    expect(Array.from(readNpy(join(dir, 'f4.npy')).data)).toEqual(expected.map((v) => Math.fround(v)));
    expect(Array.from(readNpy(join(dir, 'i8.npy')).data)).toEqual([-3, -2, -1, 0, 1, 2]);
    expect(readNpy(join(dir, 'scalar.npy'))).toEqual({ shape: [], data: Float64Array.from([2.5]) });
  });
});
